from django.urls import path

from reputation.replies import views

urlpatterns = [
    path("org/<uuid:code>/replies/templates/", views.templates, name="reply-templates"),
]
