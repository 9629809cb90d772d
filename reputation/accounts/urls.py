from django.urls import path

from reputation.accounts import members, views

org = "org/<uuid:code>/"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/confirm/<str:token>/", views.signup_confirm, name="signup-confirm"),
    path("orgs/new/", views.org_add, name="org-add"),
    path("switch/", views.switch, name="switch-org"),
    path("account/brand/", views.brand_settings, name="brand-settings"),
    path("account/brand/logo.png", views.brand_logo, name="brand-logo"),
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
]
