"""An invited client gets by default what an owner would want for their role, and can
change it: alerts for owners and admins, the weekly digest for everyone, the monthly
report for owners. Invitation and digest go through a real SMTP server."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from reputation.alerts import digests, outbox
from reputation.alerts.models import AlertPreference
from reputation.orgs.models import Membership, Role
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase
from tests.smtpserver import LocalSMTP

STRONG = "un-mot-de-passe-solide"


class InvitedDefaultsTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.smtp = LocalSMTP().start()
        self.addCleanup(self.smtp.stop)
        ctx = self.smtp.overridden()
        ctx.__enter__()
        self.addCleanup(ctx.__exit__, None, None, None)

    def invite_and_accept(self, email: str, role: str) -> Membership:
        self.login(self.alice)
        r = self.client.post(
            reverse("member-invite", args=[self.org.code]), {"email": email, "role": role}
        )
        self.assertEqual(r.status_code, 302)
        body = self.smtp.text(self.smtp.to(email)[-1])
        link = [line for line in body.splitlines() if "/invitations/" in line][0]
        token = link.strip().rstrip("/").rsplit("/", 1)[1]
        self.client.logout()
        url = reverse("invitation-accept", args=[token])
        r = self.client.post(url, {"name": "Dan", "password": STRONG})
        self.assertEqual(r.status_code, 302)
        return Membership.objects.get(user=User.objects.get(email=email), organisation=self.org)

    def test_it_gives_each_invited_role_its_defaults_at_once(self):
        expected = {
            Role.OWNER: (True, "weekly", True),
            Role.ADMIN: (True, "weekly", False),
            Role.MEMBER: (False, "weekly", False),
            Role.VIEWER: (False, "weekly", False),
        }
        for i, (role, (instant, digest, report)) in enumerate(expected.items()):
            membership = self.invite_and_accept(f"guest{i}@example.org", role)
            pref = AlertPreference.objects.get(membership=membership)
            self.assertEqual(
                (pref.instant, pref.spikes, pref.digest, pref.monthly_report),
                (instant, instant, digest, report),
                role,
            )

    def test_it_sends_an_invited_member_the_weekly_digest_by_default(self):
        dan = self.invite_and_accept("dan@example.org", Role.MEMBER)
        paris = ZoneInfo("Europe/Paris")
        monday = timezone.datetime(2026, 3, 9, 8, 30, tzinfo=paris)
        source = followed_source(self.org)
        name = tracked(self.org)
        mention(self.org, source, name, title="Pain rassis", published=monday - timedelta(days=2))
        # Alice, Bob, Vera and Dan: every member's digest is weekly by default.
        self.assertEqual(digests.create_due(now=monday), 4)
        outbox.send_due(now=monday)
        got = self.smtp.to("dan@example.org")
        self.assertEqual(len(got), 2)  # the invitation, then the digest
        self.assertIn("Pain rassis", self.smtp.text(got[-1]))
        # And Dan may turn it off.
        self.client.force_login(dan.user)
        r = self.client.post(
            reverse("alerts", args=[self.org.code]),
            {"threshold": 50, "digest": "off", "language": "fr"},
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(AlertPreference.objects.get(membership=dan).digest, "off")
        next_monday = monday + timedelta(days=7)
        mention(self.org, source, name, title="Encore", published=next_monday - timedelta(days=1))
        digests.create_due(now=next_monday)
        outbox.send_due(now=next_monday)
        self.assertEqual(len(self.smtp.to("dan@example.org")), 2)
