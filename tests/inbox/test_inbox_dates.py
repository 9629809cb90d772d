"""Reversed dates in the inbox's filters are said next to the dates, not answered
with an empty list."""

from django.urls import reverse

from tests.base import BaseTestCase
from tests.inbox_data import add_mentions


class InboxDatesTestCase(BaseTestCase):
    def test_it_says_the_end_date_is_before_the_start_date(self):
        add_mentions(self.org, 2)
        self.login(self.alice)
        url = reverse("inbox", args=[self.org.code])
        r = self.client.get(url, {"since": "2026-03-10", "until": "2026-03-01"})
        self.assertContains(r, '<details class="card filters" open>', html=False)
        self.assertContains(r, "The end date is before the start date.")
