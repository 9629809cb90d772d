"""The dashboard's figures as chart specifications for static/js/dashboard.js.

Each chart is labels plus datasets; a dataset names a colour (`tone`) that the
script reads from the page's CSS variables, so the charts use the same colours as
the badges. Tables with the same numbers are in the template.

A dataset may carry `links`, one address per point (figure_links.add_links): a click
on a bar or a point opens the inbox filtered to the mentions it counts.
"""

from django.utils.translation import gettext as _

from reputation.templatetags.humantime import day_month


def _day(d) -> str:
    return day_month(d)


def chart_specs(f: dict) -> dict:
    days = [_day(p["day"]) for p in f["over_time"]]
    tones = [("positive", _("Positive")), ("neutral", _("Neutral")), ("negative", _("Negative"))]
    aspect_tones = ["accent", "warn", "pos", "neg", "neu", "accent2", "fg"]
    return {
        "tones": {
            "type": "bar",
            "stacked": True,
            "labels": days,
            "datasets": [
                {
                    "label": label,
                    "tone": tone,
                    "data": [p[tone] for p in f["over_time"]],
                    "links": [p["links"][tone] for p in f["over_time"]],
                }
                for tone, label in tones
            ],
        },
        "net": {
            "type": "line",
            "labels": days,
            "min": -100,
            "max": 100,
            "datasets": [
                {
                    "label": _("Net sentiment (%)"),
                    "tone": "accent",
                    "data": [p["net"] for p in f["over_time"]],
                    "links": [p["links"]["total"] for p in f["over_time"]],
                }
            ],
        },
        "share": {
            "type": "bar",
            "horizontal": True,
            "labels": [s["label"] for s in f["share"]],
            "datasets": [
                {
                    "label": _("Share of voice (%)"),
                    "tone": "accent",
                    "data": [s["pct"] for s in f["share"]],
                    "links": [s["link"] for s in f["share"]],
                }
            ],
        },
        "sources": _top(f["sources"], [s["label"] or _("Unknown source") for s in f["sources"]]),
        "authors": _top(f["authors"], [a["author"] for a in f["authors"]]),
        "aspects": {
            "type": "line",
            "labels": [_day(b) for b in f["aspects"]["buckets"]],
            "datasets": [
                {
                    "label": a["label"],
                    "tone": aspect_tones[i % len(aspect_tones)],
                    "data": a["points"],
                    "links": a["point_links"],
                }
                for i, a in enumerate(f["aspects"]["rows"])
            ],
        },
    }


def _top(rows: list[dict], labels: list[str]) -> dict:
    return {
        "type": "bar",
        "horizontal": True,
        "stacked": True,
        "labels": [label[:40] for label in labels],
        "datasets": [
            {
                "label": _("Negative"),
                "tone": "negative",
                "data": [r["negative"] for r in rows],
                "links": [r.get("negative_link") for r in rows],
            },
            {
                "label": _("Other mentions"),
                "tone": "neutral",
                "data": [r["n"] - r["negative"] for r in rows],
                "links": [r.get("other_link") for r in rows],
            },
        ],
    }
