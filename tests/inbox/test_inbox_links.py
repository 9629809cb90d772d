"""The one builder of filtered inbox links, and the filters it needs: author, subject,
mentions counted in the figures, days in the organisation's time zone."""

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from reputation.inbox.filters import inbox_queryset
from reputation.inbox.links import inbox_url
from reputation.mentions.models import Mention
from tests.base import BaseTestCase
from tests.inbox_data import add_mentions


class InboxLinksTestCase(BaseTestCase):
    def test_it_builds_the_query_string_the_inbox_reads(self):
        url = inbox_url(
            self.org, since=date(2026, 3, 1), sentiment=["negative", "neutral"], counted=True
        )
        self.assertEqual(
            url,
            reverse("inbox", args=[self.org.code])
            + "?since=2026-03-01&sentiment=negative&sentiment=neutral&counted=1",
        )
        self.assertEqual(
            inbox_url(self.org, author="", tag=None), reverse("inbox", args=[self.org.code])
        )

    def test_it_refuses_a_filter_the_inbox_does_not_know(self):
        with self.assertRaises(ValueError):
            inbox_url(self.org, colour="red")

    def test_it_filters_by_author_as_the_rollups_count_them(self):
        a, b, c = add_mentions(self.org, 3)
        Mention.objects.filter(pk=a.pk).update(author="Jeanne")
        Mention.objects.filter(pk=b.pk).update(author=" Jeanne ")
        Mention.objects.filter(pk=c.pk).update(author="Jeanne Dupont")
        self.assertEqual(inbox_queryset(self.org, {"author": "Jeanne"}).count(), 2)

    def test_it_filters_by_subject(self):
        a, b, c = add_mentions(self.org, 3)
        Mention.objects.filter(pk=a.pk).update(aspects=["price", "staff"])
        Mention.objects.filter(pk=b.pk).update(aspects=["price"])
        Mention.objects.filter(pk=c.pk).update(aspects=["after_sales"])
        self.assertEqual(inbox_queryset(self.org, {"aspect": "price"}).count(), 2)
        self.assertEqual(inbox_queryset(self.org, {"aspect": "after_sales"}).count(), 1)
        self.assertEqual(inbox_queryset(self.org, {"aspect": "bogus"}).count(), 3)  # ignored

    def test_it_leaves_out_the_undated_backlog_when_asked(self):
        a, _b = add_mentions(self.org, 2)
        Mention.objects.filter(pk=a.pk).update(published_known=False, alertable=False)
        self.assertEqual(inbox_queryset(self.org, {}).count(), 2)
        self.assertEqual(inbox_queryset(self.org, {"counted": "1"}).count(), 1)

    def test_it_reads_days_in_the_organisations_time_zone(self):
        self.org.time_zone = "Pacific/Auckland"
        self.org.save()
        zone = self.org.zone
        # 00:30 on 2 March in Auckland is still 1 March in UTC and in Paris.
        add_mentions(self.org, 1, start=datetime(2026, 3, 2, 0, 30, tzinfo=zone))
        one_day = {"since": "2026-03-02", "until": "2026-03-02"}
        self.assertEqual(inbox_queryset(self.org, one_day).count(), 1)
        day_before = {"since": "2026-03-01", "until": "2026-03-01"}
        self.assertEqual(inbox_queryset(self.org, day_before).count(), 0)

    def test_it_says_how_many_mentions_match(self):
        add_mentions(self.org, 3, sentiment="negative")
        add_mentions(self.org, 2, start=timezone.now() - timedelta(hours=1))
        self.login(self.alice)
        url = inbox_url(self.org, sentiment="negative")
        response = self.client.get(url)
        self.assertContains(response, 'data-total="3"')
        self.assertContains(response, "3 mentions")
        response = self.client.get(reverse("inbox", args=[self.org.code]) + "?after=1.1")
        self.assertContains(response, 'data-total="5"')
