"""The consultant's inbox across every client: content, filters, keyset pages,
isolation, and bulk triage with a different role per client."""

import re
from datetime import datetime, time, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reputation.inbox.models import MentionEvent
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from tests.base import BaseTestCase, make_user
from tests.inbox_data import add_mentions

URL = "/inbox/"


class CrossClientTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        # Cora, a consultant: member of Alice & Co, only a viewer of Bistro Bleu.
        self.cora = make_user("cora@example.org")
        Membership.objects.create(user=self.cora, organisation=self.org, role=Role.MEMBER)
        self.bistro = Organisation.objects.create(slug="bistro", name="Bistro Bleu")
        Membership.objects.create(user=self.cora, organisation=self.bistro, role=Role.VIEWER)
        now = timezone.now()
        self.a_bad = add_mentions(self.org, 2, start=now, title="Alice bad", sentiment="negative")
        self.a_fine = add_mentions(self.org, 1, start=now - timedelta(hours=1), title="Alice ok")
        self.b_bad = add_mentions(
            self.bistro, 2, start=now - timedelta(minutes=30), title="Bistro bad",
            sentiment="negative",
        )  # fmt: skip
        self.rival = add_mentions(
            self.org, 1, start=now, title="Rival story", label="Maison Martin"
        )[0]
        TrackedName.objects.filter(label="Maison Martin").update(kind="competitor")
        self.hidden = add_mentions(self.other_org, 2, start=now, title="Charlie secret")
        self.login(self.cora)

    def codes(self, r) -> list[str]:
        return re.findall(r'id="m-([0-9a-f-]{36})"', r.content.decode())


class ListTests(CrossClientTestCase):
    def test_it_lists_every_clients_own_mentions_with_the_client(self):
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Alice bad")
        self.assertContains(r, "Bistro bad")
        self.assertContains(r, 'class="client"', count=5)
        self.assertContains(r, "Bistro Bleu")
        # Newest first across clients: Alice's two, then Bistro's, then Alice's older one.
        expected = [m.code for m in (*self.a_bad, *self.b_bad, *self.a_fine)]
        self.assertEqual(self.codes(r), [str(c) for c in expected])
        # Competitors apart, as in each client's inbox.
        self.assertNotContains(r, "Rival story")
        # Each row opens the mention's page in its own client.
        self.assertContains(
            r, reverse("mention-detail", args=[self.bistro.code, self.b_bad[0].code])
        )

    def test_it_never_shows_a_client_the_user_does_not_belong_to(self):
        for params in ({}, {"client": str(self.other_org.code)}, {"q": "Charlie"}):
            r = self.client.get(URL, params)
            self.assertNotContains(r, "Charlie secret")
            self.assertNotContains(r, "Charlie Inc")
        self.login(self.charlie)
        r = self.client.get(URL)
        self.assertContains(r, "Charlie secret")
        self.assertNotContains(r, "Alice bad")
        self.assertNotContains(r, "Bistro")

    def test_it_filters_by_client_and_by_the_inbox_filters(self):
        r = self.client.get(URL, {"client": str(self.bistro.code)})
        self.assertEqual(self.codes(r), [str(m.code) for m in self.b_bad])
        r = self.client.get(URL, {"sentiment": "negative"})
        self.assertEqual(set(self.codes(r)), {str(m.code) for m in (*self.a_bad, *self.b_bad)})
        r = self.client.get(URL, {"sentiment": "negative", "client": str(self.org.code)})
        self.assertEqual(self.codes(r), [str(m.code) for m in self.a_bad])
        # A competitor chosen by name shows what is said of it.
        rival = TrackedName.objects.get(label="Maison Martin")
        r = self.client.get(URL, {"name": str(rival.code)})
        self.assertEqual(self.codes(r), [str(self.rival.code)])
        # Kept in the form, as a hidden field, while no client is chosen.
        self.assertContains(r, f'type="hidden" name="name" value="{rival.code}"')
        self.assertNotContains(r, 'id="id_name"')
        r = self.client.get(URL, {"client": str(self.org.code)})
        self.assertContains(r, 'id="id_name"')

    def test_it_pages_across_clients_without_repeating_or_skipping(self):
        start = timezone.now() - timedelta(days=1)
        add_mentions(self.org, 40, start=start, step=timedelta(minutes=2))
        # Same instants in both clients: ties broken by id.
        add_mentions(self.bistro, 40, start=start, step=timedelta(minutes=2))
        seen, url, pages = [], URL + "?sentiment=neutral", 0
        while url:
            r = self.client.get(url)
            seen += self.codes(r)
            pages += 1
            found = re.search(r'rel="next" href="([^"]+)"', r.content.decode())
            url = URL + found.group(1).replace("&amp;", "&") if found else ""
        self.assertEqual(pages, 2)
        expected = Mention.objects.filter(
            organisation__in=[self.org, self.bistro], sentiment="neutral"
        ).own()
        self.assertEqual(len(seen), expected.count())
        self.assertEqual(set(seen), {str(c) for c in expected.values_list("code", flat=True)})

    def test_it_offers_ticks_only_on_clients_where_the_user_writes(self):
        r = self.client.get(URL)
        self.assertContains(r, f'id="pick-{self.a_bad[0].code}"')
        self.assertNotContains(r, f'id="pick-{self.b_bad[0].code}"')
        self.login(self.viewer)  # a viewer everywhere: no bulk bar at all
        r = self.client.get(URL)
        self.assertContains(r, "Alice bad")
        self.assertNotContains(r, 'name="action"')

    def test_it_masks_the_addresses_of_people_seen_only_as_a_viewer(self):
        zoe = make_user("zoe@bistro.example")
        Membership.objects.create(user=zoe, organisation=self.bistro, role=Role.MEMBER)
        html = self.client.get(URL).content.decode()
        self.assertIn("z…@bistro.example", html)
        self.assertNotIn("zoe@bistro.example", html)
        self.assertIn("bob@example.org", html)  # a colleague at Alice & Co, where Cora writes

    def test_it_orders_by_what_to_answer_first_across_clients(self):
        r = self.client.get(URL, {"sort": "priority"})
        expected = (
            Mention.objects.filter(organisation__in=[self.org, self.bistro])
            .own()
            .order_by("-priority", "-id")
            .values_list("code", flat=True)
        )
        self.assertEqual(self.codes(r), [str(c) for c in expected])

    def test_it_takes_hostile_parameters_calmly(self):
        for params in (
            {"after": "garbage"},
            {"after": "99999999999999999999999.1"},
            {"client": "' OR 1=1 --"},
            {"until": "9999-12-31", "since": "0001-01-01"},
            {"name": "not-a-code", "tag": "x" * 5000},
        ):
            r = self.client.get(URL, params)
            self.assertEqual(r.status_code, 200, params)
            self.assertNotContains(r, "Charlie secret")

    def test_it_filters_by_dates_in_each_clients_own_days(self):
        # Bistro Bleu counts its days in New York, Alice & Co in Paris (it answered
        # a server error for any valid date).
        self.bistro.time_zone = "America/New_York"
        self.bistro.save()
        day = timezone.localdate() - timedelta(days=3)
        paris, new_york = self.org.zone, self.bistro.zone
        half_past_midnight = datetime.combine(day, time(0, 30), tzinfo=paris)
        inside = add_mentions(self.org, 1, start=half_past_midnight, title="Paris day")
        # The same instant is still the day before in New York; noon there is not.
        before = add_mentions(self.bistro, 1, start=half_past_midnight, title="NY eve")
        noon = add_mentions(
            self.bistro, 1, start=datetime.combine(day, time(12), tzinfo=new_york), title="NY"
        )
        r = self.client.get(URL, {"since": day.isoformat(), "until": day.isoformat()})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(set(self.codes(r)), {str(inside[0].code), str(noon[0].code)})
        self.assertNotContains(r, str(before[0].code))

    def test_it_reads_a_page_in_as_many_queries_whatever_the_number_of_clients(self):
        self.client.get(URL)  # warm up: the first request of a session does more
        with CaptureQueriesContext(connection) as two:
            self.assertEqual(len(self.codes(self.client.get(URL, {"sort": "priority"}))), 5)
        for i in range(8):
            client = Organisation.objects.create(slug=f"client-{i}", name=f"Client {i}")
            Membership.objects.create(user=self.cora, organisation=client, role=Role.MEMBER)
            add_mentions(client, 3, title=f"Client {i} story")
        with CaptureQueriesContext(connection) as ten:
            self.assertEqual(len(self.codes(self.client.get(URL, {"sort": "priority"}))), 29)
        if connection.features.supports_slicing_ordering_in_compound:
            # One UNION ALL of every client's keys (PostgreSQL).
            self.assertEqual(len(two), len(ten))
            self.assertLessEqual(len(ten), 8)
        else:
            # SQLite cannot slice inside a UNION: one small keys query per client.
            self.assertEqual(len(ten) - len(two), 8)

    def test_it_needs_a_login(self):
        self.client.logout()
        self.assertEqual(self.client.get(URL).status_code, 302)


class BulkTests(CrossClientTestCase):
    def post(self, mentions, action, **extra):
        return self.client.post(
            reverse("inbox-all-bulk"),
            {"mentions": [str(m.code) for m in mentions], "action": action, **extra},
            follow=True,
        )

    def test_it_applies_the_writable_clients_and_refuses_the_read_only_ones(self):
        r = self.post([self.a_bad[0], self.b_bad[0]], "status:handled", next=URL)
        self.assertContains(r, "Bistro Bleu: you may only read its mentions")
        self.assertContains(r, "1 mention changed.")
        self.a_bad[0].refresh_from_db()
        self.b_bad[0].refresh_from_db()
        self.assertEqual((self.a_bad[0].status, self.b_bad[0].status), ("handled", "new"))
        # Through Mention.set_status: journaled.
        event = MentionEvent.objects.get(mention=self.a_bad[0])
        self.assertEqual((event.old, event.new, event.user), ("new", "handled", self.cora))

    def test_it_corrects_the_tone_in_several_clients_at_once(self):
        Membership.objects.filter(user=self.cora, organisation=self.bistro).update(role=Role.ADMIN)
        r = self.post([self.a_bad[1], self.b_bad[1]], "sentiment:positive")
        self.assertContains(r, "2 mentions changed.")
        for m in (self.a_bad[1], self.b_bad[1]):
            m.refresh_from_db()
            self.assertEqual(m.sentiment, "positive")
            self.assertTrue(m.corrected)

    def test_it_never_changes_a_mention_of_another_client(self):
        r = self.post([self.a_bad[0], self.hidden[0]], "status:handled")
        self.assertEqual(r.status_code, 200)
        self.hidden[0].refresh_from_db()
        self.a_bad[0].refresh_from_db()
        self.assertEqual((self.hidden[0].status, self.a_bad[0].status), ("new", "new"))

    def test_it_refuses_an_action_that_belongs_to_one_client(self):
        tag = "tag:00000000-0000-0000-0000-000000000000"
        self.post([self.a_bad[0]], tag)
        self.a_bad[0].refresh_from_db()
        self.assertFalse(self.a_bad[0].tags.exists())
