"""White-label monthly reports: the consultant's name and logo, where they chose it,
in HTML and PDF; hostile logo uploads refused; the logo served to its owner only."""

import io
import struct
import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from reputation.accounts.models import Brand
from reputation.orgs.models import Membership, Organisation, Role
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase, make_user

NAME = "Cabinet Lemoine Conseil"


def image(fmt="PNG", size=(120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims these dimensions (a decompression bomb's shape)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return b"\x89PNG\r\n\x1a\n" + ihdr + b"\x00\x00\x00\x00IEND\xaeB`\x82"


class WhiteLabelTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        # Cora, the consultant, administers Alice & Co and is a plain member of Bistro.
        self.cora = make_user("cora@example.org")
        Membership.objects.create(user=self.cora, organisation=self.org, role=Role.ADMIN)
        self.bistro = Organisation.objects.create(slug="bistro", name="Bistro Bleu")
        Membership.objects.create(user=self.cora, organisation=self.bistro, role=Role.MEMBER)
        source = followed_source(self.org, days_ago=120)
        march = datetime(2026, 3, 10, 12, tzinfo=ZoneInfo("Europe/Paris"))
        mention(self.org, source, tracked(self.org), title="Accueil glacial", published=march)

    def save_brand(self, clients=None, logo=None, **extra):
        self.login(self.cora)
        data = {
            "display_name": NAME,
            "clients": [str(c.code) for c in ([self.org] if clients is None else clients)],
        }
        if logo is not None:
            data["logo"] = SimpleUploadedFile("logo.png", logo, "image/png")
        return self.client.post(reverse("brand-settings"), {**data, **extra})

    def report(self, user, org=None, fmt=""):
        self.login(user)
        url = f"/org/{(org or self.org).code}/report/?month=2026-03{fmt}"
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        return r


class ReportTests(WhiteLabelTestCase):
    def test_it_puts_the_consultants_name_and_logo_on_the_html_report(self):
        self.assertEqual(self.save_brand(logo=image()).status_code, 302)
        html = self.report(self.viewer).content.decode()
        self.assertIn(NAME, html)
        self.assertIn('src="data:image/png;base64,', html)
        self.assertIn(f"Report prepared by {NAME}.", html)

    def test_it_puts_them_in_the_pdf(self):
        self.save_brand(logo=image("JPEG"))
        pdf = PdfReader(io.BytesIO(self.report(self.alice, fmt="&format=pdf").content))
        text = "".join(page.extract_text() for page in pdf.pages)
        self.assertIn(NAME, text)
        self.assertIn("Accueil glacial", text)
        self.assertGreaterEqual(sum(len(page.images) for page in pdf.pages), 1)

    def test_it_leaves_reports_unbranded_without_the_consultants_choice(self):
        self.save_brand(logo=image(), clients=[])
        self.assertNotContains(self.report(self.alice), NAME)

    def test_it_brands_only_clients_the_consultant_manages(self):
        # Chosen while admin, then only a member: the report is the client's own again.
        self.save_brand()
        self.assertContains(self.report(self.alice), NAME)
        Membership.objects.filter(user=self.cora, organisation=self.org).update(role=Role.MEMBER)
        self.assertNotContains(self.report(self.alice), NAME)
        # Nor may Bistro (where Cora is a member) be chosen.
        r = self.save_brand(clients=[self.bistro])
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Brand.objects.get(user=self.cora).clients.filter(pk=self.bistro.pk))
        self.assertNotContains(self.report(self.cora, self.bistro), NAME)


class UploadTests(WhiteLabelTestCase):
    def refused(self, logo: bytes, sentence: str):
        r = self.save_brand(logo=logo)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, sentence)
        self.assertFalse(bytes(Brand.objects.get(user=self.cora).logo))

    def test_it_refuses_a_logo_over_200_kb(self):
        self.refused(b"\x89PNG\r\n\x1a\n" + b"\0" * (200 * 1024), "at most 200 KB")

    def test_it_refuses_what_is_not_png_or_jpeg_by_its_bytes(self):
        self.refused(image("GIF"), "must be a PNG or JPEG")
        self.refused(
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', "PNG or JPEG"
        )

    def test_it_refuses_huge_dimensions_and_broken_images(self):
        self.refused(png_claiming(50_000, 50_000), "at most 2000 pixels")
        self.refused(png_claiming(3000, 10), "at most 2000 pixels")
        self.refused(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "cannot be read")
        self.refused(b"\xff\xd8\xff\xe0" + b"\0" * 64, "cannot be read")

    def test_it_keeps_a_clean_small_png_of_a_good_upload(self):
        self.save_brand(logo=image("JPEG", (1800, 600)))
        kept = Image.open(io.BytesIO(bytes(Brand.objects.get(user=self.cora).logo)))
        self.assertEqual(kept.format, "PNG")
        self.assertLessEqual(kept.size, (600, 200))

    def test_it_serves_the_logo_to_its_owner_only(self):
        self.save_brand(logo=image())
        r = self.client.get(reverse("brand-logo"))
        self.assertEqual((r.status_code, r["Content-Type"]), (200, "image/png"))
        self.assertEqual(r["X-Content-Type-Options"], "nosniff")
        self.login(self.charlie)
        self.assertEqual(self.client.get(reverse("brand-logo")).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("brand-logo")).status_code, 302)
