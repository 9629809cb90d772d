"""What a notification says: the context its email templates and webhook text use."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

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
    mentions = notification.mentions.select_related("item", "source", "tracked_name")
    rows = []
    for m in mentions:
        rows.append(
            {
                "title": m.title or m.item.title or m.snippet[:80],
                "url": m.item.url,
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


def webhook_text(notification, now) -> str:
    """Markdown for Slack and Mattermost incoming webhooks (both read `text`)."""
    ctx = context(notification, now)
    with translation.override(settings.LANGUAGE_CODE):
        if notification.kind == NotificationKind.SPIKE:
            head = _(
                "%(org)s: %(count)d negative mentions in 24 h (usually %(expected)s a day)"
            ) % {
                "org": ctx["org"].name,
                "count": ctx["data"].get("count", 0),
                "expected": ctx["data"].get("expected", 0),
            }
        else:
            head = _("%(org)s: %(count)d new negative mention(s)") % {
                "org": ctx["org"].name,
                "count": len(ctx.get("mentions", [])),
            }
        lines = [f"*{head}*"]
        for row in ctx.get("mentions", [])[:10]:
            title = row["title"].replace("|", "-").replace(">", "")
            link = f"<{row['url']}|{title}>" if row["url"] else title
            lines.append(f"• {link} — {row['name']} ({row['source']}, {row['delay']})")
        lines.append(ctx["org_url"])
    return "\n".join(lines)
