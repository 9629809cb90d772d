from django.urls import path

from reputation.inbox import clients, views

org = "org/<uuid:code>/"
mention = org + "mentions/<uuid:mention_code>/"

urlpatterns = [
    path("inbox/", clients.inbox_all, name="inbox-all"),
    path("inbox/bulk/", clients.bulk_all, name="inbox-all-bulk"),
    path(org + "mentions/", views.inbox, name="inbox"),
    path(org + "mentions/bulk/", views.bulk, name="inbox-bulk"),
    path(mention, views.mention_detail, name="mention-detail"),
    path(mention + "triage/", views.mention_triage, name="mention-triage"),
]
