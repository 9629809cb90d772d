from django.urls import path

from reputation.alerts.web import views

org = "org/<uuid:code>/alerts/"

urlpatterns = [
    path(org, views.alerts, name="alerts"),
    path(org + "webhooks/", views.webhook_add, name="alerts-webhook-add"),
    path(
        org + "webhooks/<uuid:webhook_code>/delete/",
        views.webhook_delete,
        name="alerts-webhook-delete",
    ),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="alerts-unsubscribe"),
]
