from django.urls import path

from reputation.webhooks import views

hook = "org/<uuid:code>/alerts/webhooks/<uuid:webhook_code>/"

urlpatterns = [
    path(hook + "test/", views.send_test, name="webhook-test"),
    path(hook + "secret/", views.rotate_secret, name="webhook-rotate"),
    path(
        hook + "deliveries/<int:delivery_id>/redeliver/",
        views.redeliver,
        name="webhook-redeliver",
    ),
]
