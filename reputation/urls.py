from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from monitoring.websub import views as websub_views
from reputation import healthz
from reputation.dashboard import views

urlpatterns = [
    path("", include("reputation.api.urls")),
    path("", views.index, name="index"),
    # Browsers ask for /favicon.ico where a page names none (a PDF, an API answer).
    path("favicon.ico", lambda request: redirect(static("favicon.svg"), permanent=True)),
    path("healthz", healthz.healthz, name="healthz"),
    # WebSub hubs verify our subscriptions and push new items here.
    path("websub/<str:token>/", websub_views.callback, name="websub-callback"),
    path("about/bot/", views.about_bot, name="about-bot"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("reputation.security.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/<uuid:code>/", views.dashboard, name="dashboard"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("", include("reputation.sources.urls")),
    path("", include("reputation.names.urls")),
    path("", include("reputation.mentions.urls")),
    path("", include("reputation.alerts.web.urls")),
    path("", include("reputation.webhooks.urls")),
    path("", include("reputation.reports.urls")),
    path("", include("reputation.inbox.urls")),
    path("", include("reputation.replies.urls")),
    path("", include("reputation.accounts.urls")),
    path("", include("reputation.privacy.urls")),
    path("", include("reputation.diagnostic.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEMO_MODE:
    urlpatterns += [path("demo/", include("reputation.demo.urls"))]
