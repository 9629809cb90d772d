"""The "Reply templates" page: the organisation's signature, private contact and
deadlines, and its own wording of each case. Everyone in the organisation reads it;
members and up change it (viewers get a 403, outsiders a 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reputation.access import get_membership
from reputation.replies.defaults import LANGUAGES, default_body
from reputation.replies.forms import ReplySettingsForm, TemplateForm
from reputation.replies.models import Case, ReplySettings, ReplyTemplate


@login_required
def templates(request, code):
    write = request.method == "POST"
    membership = get_membership(request, code, write=write)
    org = membership.organisation
    reply_settings = ReplySettings.of(org)
    language = request.GET.get("language") or request.POST.get("language") or org.language
    language = language if language in LANGUAGES else "fr"
    here = reverse("reply-templates", args=[code]) + f"?language={language}"
    settings_form = ReplySettingsForm(instance=reply_settings)
    if write and request.POST.get("form") == "settings":
        settings_form = ReplySettingsForm(request.POST, instance=reply_settings)
        if settings_form.is_valid():
            settings_form.save()
            messages.success(request, _("Saved."))
            return redirect(here)
    elif write:
        form = TemplateForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect(here)
        _save_template(org, request.user, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(here + f"#case-{form.cleaned_data['case']}")
    own = dict(
        ReplyTemplate.objects.filter(organisation=org, language=language).values_list(
            "case", "body"
        )
    )
    cases = [
        {
            "case": value,
            "label": label,
            "body": own.get(value) or default_body(value, language),
            "own": value in own,
        }
        for value, label in Case.choices
    ]
    ctx = {
        "org": org,
        "membership": membership,
        "settings_form": settings_form,
        "cases": cases,
        "language": language,
        "languages": [("fr", "Français"), ("en", "English")],
    }
    return render(request, "replies/templates.html", ctx)


def _save_template(org, user, data) -> None:
    """An empty body or "reset" gives the case back to the shipped wording."""
    found = ReplyTemplate.objects.filter(
        organisation=org, case=data["case"], language=data["language"]
    )
    body = data["body"].replace("\r\n", "\n")
    if data["reset"] or not body or body == default_body(data["case"], data["language"]):
        found.delete()
        return
    ReplyTemplate.objects.update_or_create(
        organisation=org,
        case=data["case"],
        language=data["language"],
        defaults={"body": body, "updated": timezone.now(), "updated_by": user},
    )
