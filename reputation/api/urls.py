from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from reputation.api import keys_views, problems, schema, views

v1 = "api/v1/"

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", schema.docs, name="api-docs"),
    path(v1 + "organisations/", views.Organisations.as_view(), name="api-orgs"),
    path(v1 + "organisations/<uuid:code>/", views.OrganisationDetail.as_view(), name="api-org"),
    path(v1 + "names/", views.TrackedNames.as_view(), name="api-names"),
    path(v1 + "sources/", views.Sources.as_view(), name="api-sources"),
    path(v1 + "mentions/", views.Mentions.as_view(), name="api-mentions"),
    path(v1 + "mentions/bulk/", views.MentionBulk.as_view(), name="api-mentions-bulk"),
    path(v1 + "mentions/<uuid:code>/", views.MentionDetail.as_view(), name="api-mention"),
    path(v1 + "statistics/", views.Statistics.as_view(), name="api-statistics"),
    path(v1 + "alert-preferences/", views.Preferences.as_view(), name="api-preferences"),
    path(v1 + "webhooks/", views.Webhooks.as_view(), name="api-webhooks"),
    path(v1 + "webhooks/<uuid:code>/", views.WebhookDetail.as_view(), name="api-webhook"),
    re_path(r"^api/", problems.not_found),
    # The keys page of an organisation (a web page, with the session).
    path("org/<uuid:code>/api-keys/", keys_views.keys, name="api-keys"),
    path(
        "org/<uuid:code>/api-keys/<uuid:key_code>/revoke/",
        keys_views.revoke,
        name="api-key-revoke",
    ),
]
