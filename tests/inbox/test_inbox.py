"""The mention inbox: list, filters, detail, triage and bulk actions, for each role."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reputation.inbox.filters import inbox_queryset
from reputation.inbox.models import MentionEvent, Note, Tag
from reputation.mentions.models import Mention
from tests.base import BaseTestCase
from tests.inbox_data import add_mentions, source_for


class InboxTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.mentions = add_mentions(self.org, 3)
        self.mention = self.mentions[0]
        self.url = reverse("inbox", args=[self.org.code])

    def detail_url(self, mention=None):
        return reverse("mention-detail", args=[self.org.code, (mention or self.mention).code])

    def triage_url(self, mention=None):
        return reverse("mention-triage", args=[self.org.code, (mention or self.mention).code])


class ListTestCase(InboxTestCase):
    def test_it_lists_the_mentions_for_every_role(self):
        for user in (self.alice, self.bob, self.viewer):
            self.login(user)
            r = self.client.get(self.url)
            self.assertContains(r, self.mention.item.title)
            self.assertContains(r, f'id="m-{self.mention.code}"')

    def test_it_offers_bulk_actions_only_to_writers(self):
        self.login(self.viewer)
        self.assertNotContains(self.client.get(self.url), 'name="mentions"')
        self.login(self.bob)
        self.assertContains(self.client.get(self.url), 'name="mentions"')

    def test_it_hides_other_organisations(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        other = add_mentions(self.other_org, 1, title="Charlie story")[0]
        self.login(self.alice)
        r = self.client.get(self.url)
        self.assertNotContains(r, "Charlie story")
        url = reverse("mention-detail", args=[self.org.code, other.code])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_requires_login(self):
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 302)

    def test_it_runs_a_fixed_number_of_queries(self):
        tag = Tag.objects.create(organisation=self.org, name="presse")
        tag.mentions.add(*self.mentions)
        self.login(self.bob)
        self.client.get(self.url)  # warm up: the first request of a session does more
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url + "?sentiment=neutral&tag=" + str(tag.code))
        add_mentions(self.org, 60)
        tag.mentions.add(*Mention.objects.all())
        with CaptureQueriesContext(connection) as many:
            r = self.client.get(self.url + "?sentiment=neutral&tag=" + str(tag.code))
        self.assertEqual(len(r.context["page"].rows), 50)
        self.assertEqual(len(few), len(many))
        self.assertLessEqual(len(many), 14)

    def test_it_names_each_rows_tags_in_order_in_one_query(self):
        Tag.objects.create(organisation=self.org, name="presse").mentions.add(*self.mentions[:2])
        Tag.objects.create(organisation=self.org, name="avis").mentions.add(self.mentions[0])
        rows = list(Mention.objects.filter(pk__in=[m.pk for m in self.mentions]).order_by("pk"))
        with CaptureQueriesContext(connection) as queries:
            Tag.name_rows(rows)
        self.assertEqual(len(queries), 1)
        self.assertEqual([r.tag_names for r in rows], [["avis", "presse"], ["presse"], []])
        Tag.name_rows([])  # an empty page asks nothing

    def test_it_filters(self):
        add_mentions(self.org, 2, sentiment="negative", title="Bad bread", snippet="Pain rassis")
        add_mentions(self.org, 1, language="en", title="English review")
        self.login(self.bob)
        r = self.client.get(self.url + "?sentiment=negative")
        self.assertContains(r, "Bad bread")
        self.assertNotContains(r, "English review")
        r = self.client.get(self.url + "?language=en")
        self.assertContains(r, "English review")
        self.assertNotContains(r, "Bad bread")
        r = self.client.get(self.url + "?q=rassis")
        self.assertContains(r, "Bad bread")
        self.assertNotContains(r, self.mention.item.title)

    def test_it_filters_by_status_assignee_tag_name_source_and_period(self):
        m = self.mention
        m.status, m.assigned_to = "todo", self.bob
        m.save()
        tag = Tag.objects.create(organisation=self.org, name="presse")
        tag.mentions.add(self.mentions[1])
        old = add_mentions(self.org, 1, start=timezone.now() - timedelta(days=40))[0]
        other_name = add_mentions(self.org, 1, label="Martin")[0]
        other_source = add_mentions(
            self.org, 1, source=source_for(self.org, "https://other.example/feed")
        )[0]

        def pks(params, user=None):
            return set(inbox_queryset(self.org, params, user=user).values_list("pk", flat=True))

        self.assertEqual(pks({"status": ["todo"]}), {m.pk})
        self.assertEqual(pks({"assignee": "me"}, user=self.bob), {m.pk})
        self.assertEqual(pks({"assignee": str(self.bob.pk)}), {m.pk})
        self.assertNotIn(m.pk, pks({"assignee": "none"}))
        self.assertEqual(pks({"tag": str(tag.code)}), {self.mentions[1].pk})
        self.assertEqual(pks({"name": str(other_name.tracked_name.code)}), {other_name.pk})
        self.assertEqual(pks({"source": str(other_source.source.code)}), {other_source.pk})
        self.assertNotIn(old.pk, pks({"period": "30"}))
        self.assertIn(old.pk, pks({}))
        day = timezone.localdate(old.published)
        self.assertEqual(pks({"since": day.isoformat(), "until": day.isoformat()}), {old.pk})
        # A member of another organisation is not a valid assignee filter: ignored.
        self.assertEqual(len(pks({"assignee": str(self.charlie.pk)})), 6)

    def test_it_puts_fresh_negative_mentions_first(self):
        neg = add_mentions(
            self.org, 1, sentiment="negative", start=timezone.now() - timedelta(days=1)
        )
        done = add_mentions(self.org, 1, sentiment="negative", status="handled")
        self.login(self.bob)
        r = self.client.get(self.url + "?sort=priority")
        rows = r.context["page"].rows
        self.assertEqual(rows[0].pk, neg[0].pk)
        self.assertEqual(rows[-1].pk, done[0].pk)

    def test_it_links_to_the_next_page(self):
        add_mentions(self.org, 60)
        self.login(self.viewer)
        r = self.client.get(self.url + "?sentiment=neutral")
        cursor = r.context["page"].next_cursor
        self.assertContains(r, f"sentiment=neutral&amp;after={cursor}")
        r2 = self.client.get(self.url + f"?sentiment=neutral&after={cursor}")
        self.assertEqual(len(r2.context["page"].rows), 13)
        self.assertContains(r2, "First page")


class DetailTestCase(InboxTestCase):
    def test_it_shows_the_mention(self):
        Note.objects.create(mention=self.mention, author=self.bob, text="Rappeler la cliente")
        twin = add_mentions(self.org, 1, label="Martin", title=self.mention.item.title)[0]
        for user in (self.alice, self.bob, self.viewer):
            self.login(user)
            r = self.client.get(self.detail_url())
            self.assertContains(r, self.mention.url)
            self.assertContains(r, "opens in a new tab")
            self.assertContains(r, "Rappeler la cliente")
            self.assertContains(r, reverse("mention-detail", args=[self.org.code, twin.code]))
        self.assertNotContains(r, "Internal note")  # the viewer has no form

    def test_it_returns_404_to_an_outsider(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        r = self.client.post(self.triage_url(), {"status": "handled"})
        self.assertEqual(r.status_code, 404)


class TriageTestCase(InboxTestCase):
    def test_it_sets_the_status_and_records_who(self):
        self.login(self.bob)
        back = self.url + "?sentiment=neutral"
        r = self.client.post(
            self.triage_url(),
            {"status": "answered", "reply_url": "www.example.org/reply/1", "next": back},
        )
        self.assertRedirects(r, back + f"#m-{self.mention.code}", fetch_redirect_response=False)
        self.mention.refresh_from_db()
        self.assertEqual(self.mention.status, "answered")
        self.assertEqual(self.mention.reply_url, "https://www.example.org/reply/1")
        event = MentionEvent.objects.get(mention=self.mention, kind="status")
        self.assertEqual((event.user, event.old, event.new), (self.bob, "new", "answered"))
        self.assertEqual(event.new_label, "Answered")
        r = self.client.get(self.detail_url())
        self.assertContains(r, "New → Answered")

    def test_it_sinks_handled_mentions_in_the_priority_order(self):
        before = self.mention.priority
        self.login(self.bob)
        self.client.post(self.triage_url(), {"status": "handled"})
        self.mention.refresh_from_db()
        self.assertLess(self.mention.priority, before)

    def test_it_assigns_tags_and_notes(self):
        self.login(self.bob)
        self.client.post(self.triage_url(), {"assignee": str(self.alice.pk)})
        self.client.post(self.triage_url(), {"add_tag": "rappeler"})
        self.client.post(self.triage_url(), {"note": "Elle a raison."})
        self.mention.refresh_from_db()
        self.assertEqual(self.mention.assigned_to, self.alice)
        tag = Tag.objects.get(organisation=self.org, name="rappeler")
        self.assertEqual(list(self.mention.tags.all()), [tag])
        self.assertEqual(self.mention.notes.get().author, self.bob)
        self.client.post(self.triage_url(), {"remove_tag": str(tag.code)})
        self.client.post(self.triage_url(), {"assignee": "none"})
        self.mention.refresh_from_db()
        self.assertIsNone(self.mention.assigned_to)
        self.assertEqual(self.mention.tags.count(), 0)
        kinds = list(self.mention.events.values_list("kind", flat=True).order_by("id"))
        self.assertEqual(kinds, ["assignee", "tag", "note", "untag", "assignee"])

    def test_it_refuses_an_outsider_as_assignee(self):
        self.login(self.bob)
        self.client.post(self.triage_url(), {"assignee": str(self.charlie.pk)})
        self.mention.refresh_from_db()
        self.assertIsNone(self.mention.assigned_to)

    def test_it_refuses_another_organisations_tag(self):
        theirs = Tag.objects.create(organisation=self.other_org, name="x")
        theirs.mentions.add(self.mention)  # even if it were there
        self.login(self.bob)
        self.client.post(self.triage_url(), {"remove_tag": str(theirs.code)})
        self.assertTrue(theirs.mentions.filter(pk=self.mention.pk).exists())

    def test_it_refuses_the_viewer(self):
        self.login(self.viewer)
        r = self.client.post(self.triage_url(), {"status": "handled"})
        self.assertEqual(r.status_code, 403)
        r = self.client.post(reverse("inbox-bulk", args=[self.org.code]), {})
        self.assertEqual(r.status_code, 403)

    def test_it_lets_the_owner_triage(self):
        self.login(self.alice)
        self.client.post(self.triage_url(), {"status": "ignored"})
        self.mention.refresh_from_db()
        self.assertEqual(self.mention.status, "ignored")

    def test_it_records_a_correction_as_an_event(self):
        self.login(self.bob)
        url = reverse("mention-sentiment", args=[self.org.code, self.mention.code])
        self.client.post(url, {"sentiment": "negative"})
        event = MentionEvent.objects.get(mention=self.mention)
        self.assertEqual((event.kind, event.old, event.new), ("sentiment", "neutral", "negative"))


class BulkTestCase(InboxTestCase):
    def post(self, action, mentions, **extra):
        url = reverse("inbox-bulk", args=[self.org.code])
        data = {"action": action, "mentions": [str(m.code) for m in mentions], **extra}
        return self.client.post(url, data)

    def test_it_changes_many_and_returns_to_the_page(self):
        self.login(self.bob)
        back = self.url + "?sort=priority&after=123.4"
        r = self.post("status:todo", self.mentions[:2], next=back)
        self.assertRedirects(r, back + f"#m-{self.mentions[0].code}", fetch_redirect_response=False)
        statuses = [Mention.objects.get(pk=m.pk).status for m in self.mentions]
        self.assertEqual(statuses, ["todo", "todo", "new"])
        self.assertEqual(MentionEvent.objects.filter(kind="status").count(), 2)

    def test_it_assigns_tags_and_corrects(self):
        tag = Tag.objects.create(organisation=self.org, name="presse")
        self.login(self.alice)
        self.post(f"assign:{self.bob.pk}", self.mentions)
        self.post(f"tag:{tag.code}", self.mentions)
        self.post("sentiment:negative", self.mentions)
        for m in Mention.objects.filter(pk__in=[m.pk for m in self.mentions]):
            self.assertEqual(m.assigned_to, self.bob)
            self.assertEqual(m.sentiment, "negative")
            self.assertTrue(m.corrected)
            self.assertEqual(list(m.tags.all()), [tag])

    def test_it_ignores_other_organisations_mentions(self):
        theirs = add_mentions(self.other_org, 1)[0]
        self.login(self.bob)
        r = self.post("status:handled", [theirs], next=self.url)
        self.assertRedirects(r, self.url + "#mentions", fetch_redirect_response=False)
        theirs.refresh_from_db()
        self.assertEqual(theirs.status, "new")

    def test_it_refuses_another_organisations_tag_or_member(self):
        theirs = Tag.objects.create(organisation=self.other_org, name="x")
        self.login(self.bob)
        self.post(f"tag:{theirs.code}", self.mentions)
        self.post(f"assign:{self.charlie.pk}", self.mentions)
        self.assertEqual(theirs.mentions.count(), 0)
        self.assertFalse(Mention.objects.filter(assigned_to=self.charlie).exists())

    def test_it_says_what_is_missing(self):
        self.login(self.bob)
        r = self.post("", self.mentions, next=self.url)
        r = self.client.get(r.url)
        self.assertContains(r, "Choose an action.")

    def test_it_does_not_redirect_elsewhere(self):
        self.login(self.bob)
        r = self.post("status:todo", self.mentions[:1], next="https://evil.example/")
        self.assertTrue(r.url.startswith(self.url))


class BackLinkTestCase(InboxTestCase):
    def test_it_links_back_to_the_same_inbox_page_only(self):
        self.login(self.bob)
        back = self.url + "?sentiment=neutral"
        r = self.client.get(self.detail_url() + "?back=" + back.replace("&", "%26"))
        self.assertContains(r, f'href="{back}#m-{self.mention.code}"')
        r = self.client.get(self.detail_url() + "?back=//evil.example/")
        self.assertNotContains(r, 'href="//evil.example')
        self.assertContains(r, f'<p class="crumbs"><a href="{self.url}">')


class BulkAccessTestCase(InboxTestCase):
    def test_it_returns_404_to_an_outsider(self):
        self.login(self.charlie)
        r = self.client.post(
            reverse("inbox-bulk", args=[self.org.code]),
            {"action": "status:handled", "mentions": [str(self.mention.code)]},
        )
        self.assertEqual(r.status_code, 404)
        self.mention.refresh_from_db()
        self.assertEqual(self.mention.status, "new")


class HostileLinkTestCase(InboxTestCase):
    def test_it_never_links_to_a_script_address(self):
        self.mention.url = "javascript:alert(1)"  # stored before links were checked
        self.mention.save()
        self.login(self.bob)
        r = self.client.get(self.detail_url())
        self.assertNotContains(r, "javascript:")
        self.assertNotContains(r, "Read the original")
