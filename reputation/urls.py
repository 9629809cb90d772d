from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reputation import source_names, source_status, views

urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/<uuid:code>/", views.dashboard, name="dashboard"),
    path(
        "org/<uuid:code>/sources/<uuid:source_code>/status/",
        source_status.source_status,
        name="source-status",
    ),
    path(
        "org/<uuid:code>/sources/<uuid:source_code>/rename/",
        source_names.source_rename,
        name="source-rename",
    ),
    path("", include("reputation.inbox.urls")),
    path("", include("reputation.accounts.urls")),
    path("", include("monitoring.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEMO_MODE:
    urlpatterns += [path("demo/", include("monitoring.demo_urls"))]
