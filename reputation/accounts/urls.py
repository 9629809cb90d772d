from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from reputation.accounts import members, views

org = "org/<uuid:code>/"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("orgs/new/", views.org_add, name="org-add"),
    path("switch/", views.switch, name="switch-org"),
    path(org + "settings/", views.org_settings, name="org-settings"),
    path(org + "members/", members.members, name="members"),
    path(org + "members/invite/", members.member_invite, name="member-invite"),
    path(org + "members/role/", members.member_role, name="member-role"),
    path(org + "members/remove/", members.member_remove, name="member-remove"),
    path(
        org + "invitations/<uuid:invitation_code>/cancel/",
        members.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitations/<str:token>/", members.invitation_accept, name="invitation-accept"),
    # Password reset by email: Django's views, our templates (templates/registration/).
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            html_email_template_name="registration/password_reset_email.html",
            email_template_name="registration/password_reset_email.txt",
            extra_email_context={"site_name": settings.SITE_NAME},
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
