"""The public pages of the free diagnostic: the form, the result (with its progress
while a worker collects) and the progress as JSON for static/diagnostic/progress.js."""

from datetime import datetime

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from reputation.diagnostic import advice, services
from reputation.diagnostic.forms import DiagnosticForm
from reputation.diagnostic.models import RETENTION, Diagnostic
from reputation.security.login_throttle import client_ip
from reputation.security.rates import RateLimited

STEPS = {
    "searching": gettext_lazy("Searching the news…"),
    "website": gettext_lazy("Reading the website and its reviews…"),
    "feeds": gettext_lazy("Reading the website's news feeds…"),
    "reading": gettext_lazy("Reading the tone of each mention…"),
}
FACTORS = {
    "volume": gettext_lazy("Volume"),
    "tone": gettext_lazy("Tone"),
    "recency": gettext_lazy("Recency"),
    "ratings": gettext_lazy("Ratings"),
    "answers": gettext_lazy("Answers to reviews"),
    "spread": gettext_lazy("Spread of sources"),
}
TONES = {
    "positive": gettext_lazy("positive"),
    "neutral": gettext_lazy("neutral"),
    "negative": gettext_lazy("negative"),
}


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "fr"


def start(request):
    form = DiagnosticForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            diagnostic = services.start(
                data["name"], data["town"], data["website"], _language(), client_ip(request)
            )
        except RateLimited as exc:
            form.add_error(None, exc.message)
            return render(request, "diagnostic/start.html", {"form": form}, status=429)
        return redirect("diagnostic-result", code=diagnostic.code)
    return render(request, "diagnostic/start.html", {"form": form})


def _find(code) -> Diagnostic | None:
    diagnostic = Diagnostic.objects.filter(code=code).first()
    if diagnostic is None or diagnostic.is_expired:
        return None
    return diagnostic


@never_cache
def result(request, code):
    diagnostic = _find(code)
    if diagnostic is None:
        hours = int(RETENTION.total_seconds() // 3600)
        ctx = {"hours": hours}
        return render(request, "diagnostic/expired.html", ctx, status=404)
    ctx = {"diagnostic": diagnostic, "step": STEPS.get(diagnostic.step, "")}
    if diagnostic.state == Diagnostic.DONE:
        ctx.update(snapshot(diagnostic.result))
    return render(request, "diagnostic/result.html", ctx)


@never_cache
def status(request, code):
    diagnostic = _find(code)
    if diagnostic is None:
        return JsonResponse({"state": "expired", "finished": True}, status=404)
    return JsonResponse(
        {
            "state": diagnostic.state,
            "progress": diagnostic.progress,
            "step": str(STEPS.get(diagnostic.step, "")),
            "finished": diagnostic.is_finished,
        }
    )


def _when(value):
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def snapshot(result: dict) -> dict:
    """What the result page shows, in the visitor's language of the moment."""
    reviews = result.get("reviews", {})
    mentions = [
        {**m, "published": _when(m.get("published")), "tone_label": TONES.get(m["tone"], "")}
        for m in result.get("mentions", [])
    ]
    factors = [
        {**f, "label": FACTORS.get(f["key"], f["key"]), "detail": _detail(f, reviews)}
        for f in result.get("factors", [])
    ]
    tone = result.get("tone", {})
    total = sum(tone.values()) or 1
    return {
        "score": result.get("score", 0),
        "factors": factors,
        "mentions": mentions,
        "tone": [
            {
                "key": key,
                "label": TONES[key],
                "count": tone.get(key, 0),
                "percent": round(100 * tone.get(key, 0) / total),
            }
            for key in ("positive", "neutral", "negative")
        ],
        "sites": result.get("sites", []),
        "reviews": reviews,
        "feeds": result.get("feeds", []),
        "errors": result.get("errors", []),
        "advice": [advice.text(code) for code in result.get("advice", [])],
    }


def _detail(factor: dict, reviews: dict) -> str:
    value, key = factor["value"], factor["key"]
    if key == "volume":
        return _("%(n)s mentions found") % {"n": value}
    if key == "tone":
        return _("net tone %(n)s %%") % {"n": value}
    if key == "recency":
        return _("%(n)s mentions in the last 30 days") % {"n": value}
    if key == "ratings":
        if not value:
            return _("no rating found")
        return _("%(avg)s out of 5, %(count)s reviews") % {
            "avg": value,
            "count": reviews.get("count", 0),
        }
    if key == "answers":
        if not reviews.get("read"):
            return _("no reviews found")
        return _("%(n)s %% of reviews answered") % {"n": value}
    return _("%(n)s different sites") % {"n": value}
