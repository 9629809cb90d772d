from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reputation import views
from reputation.dashboard import views as dashboard_views

urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/<uuid:code>/", dashboard_views.dashboard, name="dashboard"),
    path("portfolio/", dashboard_views.portfolio, name="portfolio"),
    path("", include("monitoring.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEMO_MODE:
    urlpatterns += [path("demo/", include("monitoring.demo_urls"))]
