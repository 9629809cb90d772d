"""Password change for every logged-in user, and password reset by email: Django's
own views, with the product's templates.

A reset (issue 17, points 7 and 8) finds the account with the one normalisation of
addresses, is limited per email address and per client address each hour, and its
link is built on SITE_ROOT, never on the request's Host (any port of an allowed host
would otherwise put an address of the requester's choosing in the email). The answer
is the same whether the address has an account.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _

from reputation.accounts.addresses import normalise
from reputation.accounts.forms import ResetForm
from reputation.security import rates
from reputation.security.login_throttle import client_ip


class ResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "registration/account_form.html"

    def form_valid(self, form):
        try:
            rates.check(
                _("Too many password resets asked for this hour: try again later."),
                ("reset-client", client_ip(self.request), rates.limit("reset_per_client")),
                (
                    "reset-email",
                    normalise(form.cleaned_data["email"]),
                    rates.limit("reset_per_email"),
                ),
            )
        except rates.RateLimited as exc:
            form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        # Links and the site's name come from SITE_ROOT, not from the request's Host.
        self.domain_override = urlsplit(settings.SITE_ROOT).netloc
        self.extra_email_context = {"site_root": settings.SITE_ROOT}
        return super().form_valid(form)


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
        ResetView.as_view(),
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
