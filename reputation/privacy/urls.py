from django.urls import path

from reputation.privacy import views

org = "org/<uuid:code>/privacy/"

urlpatterns = [
    path("privacy/", views.public, name="privacy-public"),
    path("privacy/sent/", views.sent, name="privacy-sent"),
    path(org, views.privacy, name="privacy"),
    path(org + "retention/", views.retention, name="privacy-retention"),
    path(org + "erase/", views.erase, name="privacy-erase"),
    path(org + "requests/<uuid:request_code>/", views.request_status, name="privacy-request"),
    path(org + "export/", views.export, name="privacy-export"),
    path(org + "delete/", views.delete, name="privacy-delete"),
    path(org + "register/", views.processing_register, name="privacy-register"),
]
