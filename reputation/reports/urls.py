from django.urls import path

from reputation.reports import views

org = "org/<uuid:code>/"

urlpatterns = [
    path(org + "export.csv", views.export_csv, name="export-csv"),
    path(org + "report/", views.report, name="report"),
]
