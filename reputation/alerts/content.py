"""What a notification says: the context its email templates and webhook text use."""

from django.conf import settings
from django.urls import reverse

from monitoring.parse.sanitize import safe_url
from reputation.alerts import digests, unsubscribe
from reputation.alerts.models import NotificationKind
from reputation.reports import monthly
from reputation.templatetags.durations import duration_short

TEMPLATES = {
    NotificationKind.INSTANT: "alert",
    NotificationKind.SPIKE: "spike",
    NotificationKind.DIGEST: "digest",
    NotificationKind.REPORT: "report",
}


def mention_rows(notification, now) -> list[dict]:
    severities = (notification.data or {}).get("severity", {})
    mentions = notification.mentions.select_related("source", "tracked_name")
    rows = []
    for m in mentions:
        rows.append(
            {
                "title": m.title or m.snippet[:80],
                "url": safe_url(m.url),
                "snippet": m.snippet,
                "name": m.tracked_name.label,
                "source": (m.source.title or m.source.url) if m.source_id else "",
                "published": m.published,
                "delay": duration_short(now - m.published),
                "severity": severities.get(str(m.pk)),
                "score": m.score,
            }
        )
    rows.sort(key=lambda r: (-(r["severity"] or 0), -r["published"].timestamp()))
    return rows


def context(notification, now) -> dict:
    org = notification.organisation
    ctx = {
        "org": org,
        "notification": notification,
        "kind": notification.kind,
        "data": notification.data or {},
        "org_url": settings.SITE_ROOT + reverse("dashboard", args=[org.code]),
        "preferences_url": settings.SITE_ROOT + reverse("alerts", args=[org.code]),
    }
    if notification.kind in (NotificationKind.INSTANT, NotificationKind.SPIKE):
        ctx["mentions"] = mention_rows(notification, now)
    if notification.kind == NotificationKind.DIGEST:
        ctx["digest"] = digests.summary(notification, now)
    if notification.kind == NotificationKind.REPORT:
        ctx["report"] = monthly.for_notification(notification)
        ctx["report_url"] = (
            settings.SITE_ROOT
            + reverse("report", args=[org.code])
            + f"?month={ctx['report']['start']:%Y-%m}"
        )
    pref = notification.preference
    if pref is not None:
        what = {
            NotificationKind.INSTANT: "instant",
            NotificationKind.SPIKE: "spikes",
            NotificationKind.REPORT: "monthly_report",
        }.get(notification.kind, "digest")
        ctx["unsubscribe_url"] = unsubscribe.url(pref, what)
    return ctx
