from django.urls import path

from reputation.diagnostic import views

urlpatterns = [
    path("diagnostic/", views.start, name="diagnostic"),
    path("diagnostic/<uuid:code>/", views.result, name="diagnostic-result"),
    path("diagnostic/<uuid:code>/status/", views.status, name="diagnostic-status"),
]
