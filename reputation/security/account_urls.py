"""Password change for every logged-in user, and password reset by email: Django's
own views, with the product's templates."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from reputation.accounts.forms import ResetForm

FORM = "registration/account_form.html"
DONE = "registration/account_done.html"

urlpatterns = [
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name=FORM),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name=DONE),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name=FORM,
            form_class=ResetForm,
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name=DONE),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=FORM, success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name=DONE),
        name="password_reset_complete",
    ),
]
