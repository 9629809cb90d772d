"""CSV export and the monthly report (HTML, PDF, scheduled email)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from reputation.alerts import outbox, preferences
from reputation.alerts.models import Notification
from reputation.orgs.models import Membership
from reputation.reports import monthly, scheduled
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase
from tests.smtpserver import LocalSMTP


class CsvExportTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        source = followed_source(self.org)
        self.name = tracked(self.org)
        mention(self.org, source, self.name, title='=HYPERLINK("http://evil")')
        mention(
            self.org,
            source,
            self.name,
            title="Société très appréciée",
            score=0.6,
            sentiment="positive",
        )
        mention(
            self.other_org,
            followed_source(self.other_org),
            tracked(self.other_org),
            title="Secret d'un autre",
        )

    def get(self, user, query=""):
        self.login(user)
        return self.client.get(f"/org/{self.org.code}/export.csv{query}")

    def test_it_exports_for_french_excel(self):
        r = self.get(self.viewer)
        body = b"".join(r.streaming_content)
        self.assertEqual(r["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", r["Content-Disposition"])
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"))
        text = body.decode("utf-8-sig")
        self.assertTrue(text.splitlines()[0].startswith("Published;Name;Sentiment"))
        self.assertIn("Société très appréciée", text)
        self.assertIn("'=HYPERLINK", text)
        self.assertIn("0,600", text)
        self.assertNotIn("Secret d'un autre", text)

    def test_it_applies_the_filters(self):
        text = b"".join(self.get(self.alice, "?sentiment=negative").streaming_content).decode()
        self.assertIn("HYPERLINK", text)
        self.assertNotIn("Société", text)
        text = b"".join(
            self.get(self.alice, f"?name={self.name.code}&since=2000-01-01").streaming_content
        ).decode()
        self.assertEqual(len(text.strip().splitlines()), 3)
        text = b"".join(self.get(self.alice, "?until=2000-01-01").streaming_content).decode()
        self.assertEqual(len(text.strip().splitlines()), 1)

    def test_it_is_404_for_outsiders(self):
        self.assertEqual(self.get(self.charlie).status_code, 404)

    def test_it_is_linked_from_the_inbox_with_its_filter(self):
        self.login(self.bob)
        r = self.client.get(f"/org/{self.org.code}/mentions/?sentiment=negative")
        self.assertContains(r, f"/org/{self.org.code}/export.csv?sentiment=negative")


class MonthlyReportTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.org.created = datetime(2026, 1, 1, tzinfo=ZoneInfo("Europe/Paris"))
        self.org.save()
        source = followed_source(self.org, days_ago=120)
        name = tracked(self.org)
        tz = ZoneInfo("Europe/Paris")
        self.march = datetime(2026, 3, 10, 12, tzinfo=tz)
        bad = mention(self.org, source, name, title="Accueil glacial", published=self.march)
        bad.status = "answered"
        bad.save()
        mention(
            self.org,
            source,
            name,
            title="Meilleur croissant",
            score=0.9,
            sentiment="positive",
            published=self.march + timedelta(days=5),
        )

    def test_it_shows_key_figures_top_mentions_and_what_was_done(self):
        self.login(self.viewer)
        r = self.client.get(f"/org/{self.org.code}/report/?month=2026-03")
        self.assertContains(r, "Key figures")
        self.assertContains(r, "Accueil glacial")
        self.assertContains(r, "Meilleur croissant")
        self.assertContains(r, "Answered")

    def test_it_downloads_as_pdf(self):
        self.login(self.alice)
        r = self.client.get(f"/org/{self.org.code}/report/?month=2026-03&format=pdf")
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertTrue(r.content.startswith(b"%PDF"))
        self.assertIn("alice-co-2026-03.pdf", r["Content-Disposition"])
        import io

        from pypdf import PdfReader

        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
        self.assertIn("Accueil glacial", text)
        self.assertIn("08/03", text)  # a label of the weekly chart (SVG drawn into the PDF)

    def test_it_is_404_for_outsiders(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(f"/org/{self.org.code}/report/").status_code, 404)

    def test_it_emails_the_report_once_on_the_first_of_the_month(self):
        smtp = LocalSMTP().start()
        self.addCleanup(smtp.stop)
        april = datetime(2026, 4, 1, 9, tzinfo=ZoneInfo("Europe/Paris"))
        pref = preferences.preference_for(Membership.objects.get(user=self.alice))
        pref.language = "fr"
        pref.save()
        with smtp.overridden():
            self.assertEqual(scheduled.create_due(now=april - timedelta(hours=2)), 0)
            scheduled.create_due(now=april)
            scheduled.create_due(now=april + timedelta(hours=1))
            outbox.send_due(now=april)
        self.assertEqual(Notification.objects.filter(organisation=self.org).count(), 1)
        [message] = smtp.to("alice@example.org")
        self.assertIn("mars 2026", message["Subject"])
        [pdf] = [p for p in message.iter_attachments()]
        self.assertEqual(pdf.get_content_type(), "application/pdf")
        self.assertTrue(pdf.get_content().startswith(b"%PDF"))

    def test_it_reads_months_in_the_time_zone(self):
        start, end = monthly.bounds(self.org, 2026, 12)
        self.assertEqual((start.month, end.year, end.month), (12, 2027, 1))
        self.assertEqual(monthly.previous_month(start).month, 11)
