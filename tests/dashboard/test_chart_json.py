"""The dashboard's chart data is written exactly as Django's json_script writes it."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils.html import json_script

from reputation.dashboard import rollups
from reputation.mentions.models import Mention
from reputation.names.models import TrackedKind, TrackedName
from reputation.templatetags.dashboard_tags import chart_json
from tests.base import BaseTestCase
from tests.inbox_data import add_mentions

HOSTILE = "</script><script>alert(1)</script> <!-- & &amp; \u2028 \"q\" 'q' é ☃ \\ >"


def test_it_writes_what_json_script_writes():
    values = [
        {
            "labels": [HOSTILE, "7 déc."],
            "datasets": [{"data": [1, None, -3.5], "links": [HOSTILE]}],
        },
        [date(2026, 12, 7), datetime(2026, 12, 7, 8, 30, tzinfo=UTC), Decimal("1.50")],
        timedelta(hours=2),
        "",
        None,
    ]
    for value in values:
        ours = chart_json(value, "chart-<x>")
        assert ours == json_script(value, "chart-<x>")
        assert "</script><script>" not in ours[: -len("</script>")]


class DashboardChartsTestCase(BaseTestCase):
    def test_it_writes_the_dashboards_charts_as_json_script_did(self):
        self.org.name = HOSTILE[:100]
        self.org.save()
        add_mentions(self.org, 3, sentiment="negative", label=HOSTILE[:100])
        add_mentions(self.org, 2, sentiment="positive", label="Rival")
        TrackedName.objects.filter(label="Rival").update(kind=TrackedKind.COMPETITOR)
        Mention.objects.update(author=HOSTILE, aspects=["price"])
        rollups.rebuild(self.org)
        self.login(self.alice)
        r = self.client.get(reverse("dashboard", args=[self.org.code]) + "?days=30")
        page = r.content.decode()
        for name, value in r.context["charts"].items():
            theirs = json_script(value, f"chart-{name}")
            self.assertEqual(chart_json(value, f"chart-{name}"), theirs)
            self.assertIn(theirs, page)
        self.assertIn("\\u003C/script\\u003E", page)
