"""Dates a person reads and types on the dashboard: French month abbreviations in
the charts, and wrong dates said next to the dates (never silently replaced)."""

from datetime import date

from django.urls import reverse
from django.utils import translation

from reputation.dashboard.charts import _day
from reputation.templatetags.humantime import short_date
from tests.base import BaseTestCase


class MonthWordsTestCase(BaseTestCase):
    def test_it_abbreviates_months_as_french_writes_them(self):
        with translation.override("fr"):
            self.assertEqual(_day(date(2026, 12, 7)), "7 déc.")
            self.assertEqual(_day(date(2026, 7, 1)), "1 juill.")
            self.assertEqual(_day(date(2026, 6, 1)), "1 juin")
            self.assertEqual(short_date(date(2026, 2, 3)), "3 févr. 2026")
        with translation.override("en"):
            self.assertEqual(_day(date(2026, 12, 7)), "7 Dec.")


class PeriodErrorsTestCase(BaseTestCase):
    def url(self):
        return reverse("dashboard", args=[self.org.code])

    def test_it_says_what_is_wrong_next_to_the_dates_it_keeps(self):
        self.login(self.alice)
        r = self.client.get(self.url(), {"start": "2026-03-10", "end": "2026-03-01"})
        self.assertContains(r, '<details class="custom" open>', html=False)
        self.assertContains(r, "The end date is before the start date. The last 30 days")
        # The dates typed stay in the fields, marked wrong, to be corrected.
        self.assertContains(r, 'value="2026-03-10" required aria-invalid="true"', html=False)
        self.assertContains(r, 'value="2026-03-01" required aria-invalid="true"', html=False)

    def test_it_names_the_field_of_a_date_that_is_no_date(self):
        self.login(self.alice)
        r = self.client.get(
            self.url(), {"start": "2026-13-45", "end": "2026-03-01"}, HTTP_ACCEPT_LANGUAGE="fr"
        )
        self.assertContains(r, "Du\u202f: Saisissez une date valide.")
        self.assertContains(r, "Les 30 derniers jours sont affichés à la place.")
