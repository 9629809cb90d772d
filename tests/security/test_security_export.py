"""Issue 9, point 11: exports never carry a spreadsheet formula; a bad date is a
clear error."""

import io
import json

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from monitoring.models import Item, Source
from reputation.mentions import export
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation
from reputation.reports import csv as csv_export


class ExportTestCase(TestCase):
    def setUp(self):
        self.org = Organisation.objects.create(slug="dupont", name="Dupont")
        source = Source.objects.create(url="https://avis.example/")
        tracked = TrackedName.objects.create(organisation=self.org, label="=Dupont")
        for n, title in enumerate(
            ('=HYPERLINK("http://evil")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "Fine = ok")
        ):
            item = Item.objects.create(
                source=source,
                guid_hash=str(n),
                title=title,
                author="=cmd|' /C calc'!A0",
                published=timezone.now(),
            )
            Mention.objects.create(
                organisation=self.org,
                tracked_name=tracked,
                item=item,
                published=item.published,
                title=item.title,
                author=item.author,
                snippet="-2+3",
                aspects=["=x"],
                score=-0.5,
            )

    def export(self, *args):
        out = io.StringIO()
        call_command("exportmentions", "dupont", *args, stdout=out)
        return [json.loads(line) for line in out.getvalue().splitlines()]

    def test_it_neutralises_formulas_in_every_text_cell(self):
        rows = self.export()
        titles = sorted(row["title"] for row in rows)
        self.assertEqual(
            titles,
            sorted(
                [
                    '\'=HYPERLINK("http://evil")',
                    "'+1",
                    "'-1+2",
                    "'@SUM(A1)",
                    "'\tx",
                    "'\rx",
                    "Fine = ok",
                ]
            ),
        )
        for row in rows:
            self.assertEqual(row["author"], "'=cmd|' /C calc'!A0")
            self.assertEqual(row["tracked_name"], "'=Dupont")
            self.assertEqual(row["snippet"], "'-2+3")
            self.assertEqual(row["aspects"], ["'=x"])
            self.assertEqual(row["score"], -0.5)  # numbers stay numbers

    def test_it_explains_a_bad_since_date(self):
        for bad in ("yesterday", "2024-02-30", "2024-13-01"):
            with self.assertRaisesRegex(CommandError, "invalid date"):
                self.export("--since", bad)

    def test_it_filters_by_a_good_since_date(self):
        self.assertEqual(len(self.export("--since", "2000-01-01")), 7)
        self.assertEqual(len(self.export("--since", "2999-01-01T10:00")), 0)


LOOK_ALIKES = [
    '\uff1dHYPERLINK("http://evil")',  # fullwidth equals sign
    "\uff0b1",  # fullwidth plus
    "\uff0d1+2",  # fullwidth minus
    "\uff20SUM(A1)",  # fullwidth commercial at
    "\ufe66cmd",  # small equals sign
    "\u22121+2",  # minus sign
    "\u200b=1+2",  # zero-width space, then =
]


class LookAlikeTestCase(TestCase):
    """Issue 17, point 11: spreadsheets fold look-alikes into the operator."""

    def test_it_neutralises_look_alikes_in_the_csv_export(self):
        for text in LOOK_ALIKES:
            self.assertEqual(csv_export.neutralise(text), "'" + text, repr(text))
        self.assertEqual(csv_export.neutralise("\uff21bc"), "\uff21bc")  # fullwidth A
        self.assertEqual(csv_export.neutralise("Café ＝ ok"), "Café ＝ ok")

    def test_it_neutralises_look_alikes_in_the_json_lines_export(self):
        for text in LOOK_ALIKES:
            self.assertEqual(export.neutralise(text), "'" + text, repr(text))
        self.assertEqual(export.neutralise(["\uff1dx"]), ["'\uff1dx"])
