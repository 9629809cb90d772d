from django.urls import reverse
from django.utils import timezone

from monitoring.models import Item, Sighting, Source
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.sources.models import Follow
from tests.base import BaseTestCase


def make_item(source, n, title, text="", sighted_in=()):
    item = Item.objects.create(
        source=source,
        guid_hash=f"{source.pk}-{n}",
        url=f"https://news.example.org/{source.pk}/{n}",
        title=title,
        text=text,
        published=timezone.now(),
        language="fr",
    )
    # As a poll stores it: a sighting in the source that brought it, and in the others.
    Sighting.objects.create(item=item, source=source, guid_hash=item.guid_hash)
    for other in sighted_in:
        Sighting.objects.create(item=item, source=other, guid_hash=f"s-{n}")
    return item


class TrackedBase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.source = Source.objects.create(url="https://example.org/feed.xml", title="Blog")
        Follow.objects.create(organisation=self.org, source=self.source)
        self.tracked = TrackedName.objects.create(
            organisation=self.org, label="Boulangerie Dupont", aliases=["Dupont & Fils"]
        )
        self.foreign = TrackedName.objects.create(organisation=self.other_org, label="Charlie")

    def url(self, name, tracked=None):
        return reverse(name, args=[self.org.code, (tracked or self.tracked).code])

    def form_data(self, **kwargs):
        data = {
            "label": "Boulangerie Martin",
            "kind": "brand",
            "aliases": "Martin & Fils\n\n  Chez Martin  \nmartin & fils",
            "context_terms": "pain\ncroissant",
            "exclude_terms": "Martin Luther",
            "languages": ["fr"],
            "action": "save",
        }
        data.update(kwargs)
        return data


class TrackedListTestCase(TrackedBase):
    def test_it_lists_names_to_member(self):
        self.login(self.bob)
        r = self.client.get(reverse("tracked-names", args=[self.org.code]))
        self.assertContains(r, "Boulangerie Dupont")
        self.assertContains(r, "Dupont &amp; Fils")
        self.assertContains(r, self.url("tracked-edit"))
        self.assertNotContains(r, "Charlie")

    def test_it_shows_names_read_only_to_viewer(self):
        self.login(self.viewer)
        r = self.client.get(reverse("tracked-names", args=[self.org.code]))
        self.assertContains(r, "Boulangerie Dupont")
        self.assertNotContains(r, self.url("tracked-edit"))
        self.assertNotContains(r, reverse("tracked-add", args=[self.org.code]))

    def test_it_hides_names_from_outsider(self):
        self.login(self.charlie)
        r = self.client.get(reverse("tracked-names", args=[self.org.code]))
        self.assertEqual(r.status_code, 404)

    def test_it_requires_login(self):
        r = self.client.get(reverse("tracked-names", args=[self.org.code]))
        self.assertEqual(r.status_code, 302)

    def test_it_uses_a_fixed_number_of_queries(self):
        self.login(self.bob)
        url = reverse("tracked-names", args=[self.org.code])
        self.client.get(url)
        # session, user, membership, count (pages), names with mention counts, their
        # sources, history scans
        with self.assertNumQueries(7):
            self.client.get(url)
        for i in range(5):
            t = TrackedName.objects.create(organisation=self.org, label=f"Name {i}")
            t.sources.add(self.source)
        with self.assertNumQueries(7):
            r = self.client.get(url)
        self.assertContains(r, "tracked-card", count=6)


class TrackedAddTestCase(TrackedBase):
    def test_it_adds_a_name(self):
        self.login(self.bob)
        data = self.form_data(sources=[str(self.source.code)])
        r = self.client.post(reverse("tracked-add", args=[self.org.code]), data)
        t = TrackedName.objects.get(label="Boulangerie Martin")
        # A new name: the sources found for it, to follow in one click.
        self.assertRedirects(
            r,
            reverse("suggested-sources", args=[self.org.code, t.code]),
            fetch_redirect_response=False,
        )
        self.assertEqual(t.organisation, self.org)
        # One per line, blank lines and case-insensitive duplicates dropped.
        self.assertEqual(t.aliases, ["Martin & Fils", "Chez Martin"])
        self.assertEqual(t.context_terms, ["pain", "croissant"])
        self.assertEqual(t.exclude_terms, ["Martin Luther"])
        self.assertEqual(t.languages, ["fr"])
        self.assertEqual(list(t.sources.all()), [self.source])

    def test_it_limits_sources_to_the_followed_ones(self):
        other = Source.objects.create(url="https://charlie.example/feed.xml")
        Follow.objects.create(organisation=self.other_org, source=other)
        self.login(self.bob)
        data = self.form_data(sources=[str(other.code)])
        r = self.client.post(reverse("tracked-add", args=[self.org.code]), data)
        self.assertEqual(r.status_code, 200)
        self.assertFalse(TrackedName.objects.filter(label="Boulangerie Martin").exists())

    def test_it_refuses_a_duplicate_label(self):
        self.login(self.bob)
        data = self.form_data(label="boulangerie dupont")
        r = self.client.post(reverse("tracked-add", args=[self.org.code]), data)
        self.assertContains(r, "already track")
        self.assertEqual(TrackedName.objects.filter(organisation=self.org).count(), 1)

    def test_it_allows_the_same_label_in_another_organisation(self):
        self.login(self.bob)
        data = self.form_data(label="Charlie")
        self.client.post(reverse("tracked-add", args=[self.org.code]), data)
        self.assertTrue(TrackedName.objects.filter(organisation=self.org, label="Charlie").exists())

    def test_it_refuses_viewer(self):
        self.login(self.viewer)
        url = reverse("tracked-add", args=[self.org.code])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, self.form_data()).status_code, 403)
        self.assertFalse(TrackedName.objects.filter(label="Boulangerie Martin").exists())

    def test_it_hides_from_outsider(self):
        self.login(self.charlie)
        url = reverse("tracked-add", args=[self.org.code])
        self.assertEqual(self.client.post(url, self.form_data()).status_code, 404)

    def test_it_requires_login(self):
        r = self.client.get(reverse("tracked-add", args=[self.org.code]))
        self.assertEqual(r.status_code, 302)


class TrackedEditTestCase(TrackedBase):
    def test_it_edits_a_name(self):
        before = self.tracked.modified
        self.login(self.alice)
        r = self.client.get(self.url("tracked-edit"))
        self.assertContains(r, "Dupont &amp; Fils")  # the list shown one per line
        data = self.form_data(label="Boulangerie Dupont", aliases="Dupont\nDupont SA")
        self.client.post(self.url("tracked-edit"), data)
        self.tracked.refresh_from_db()
        self.assertEqual(self.tracked.aliases, ["Dupont", "Dupont SA"])
        self.assertEqual(self.tracked.context_terms, ["pain", "croissant"])
        # Workers rebuild their matcher when `modified` changes.
        self.assertGreater(self.tracked.modified, before)

    def test_it_hides_other_organisations_names(self):
        self.login(self.bob)
        # Charlie's name through Alice & Co's URL: not found.
        r = self.client.get(self.url("tracked-edit", self.foreign))
        self.assertEqual(r.status_code, 404)
        r = self.client.post(self.url("tracked-toggle", self.foreign))
        self.assertEqual(r.status_code, 404)

    def test_it_hides_from_outsider(self):
        self.login(self.charlie)
        for name in ("tracked-edit", "tracked-toggle", "tracked-delete"):
            self.assertEqual(self.client.post(self.url(name)).status_code, 404, name)

    def test_it_refuses_viewer(self):
        self.login(self.viewer)
        for name in ("tracked-edit", "tracked-toggle", "tracked-delete"):
            self.assertEqual(self.client.post(self.url(name)).status_code, 403, name)
        self.tracked.refresh_from_db()
        self.assertTrue(self.tracked.active)

    def test_it_requires_login(self):
        for name in ("tracked-edit", "tracked-toggle", "tracked-delete"):
            self.assertEqual(self.client.post(self.url(name)).status_code, 302, name)

    def test_it_deactivates_and_reactivates(self):
        self.login(self.bob)
        self.client.post(self.url("tracked-toggle"))
        self.tracked.refresh_from_db()
        self.assertFalse(self.tracked.active)
        self.client.post(self.url("tracked-toggle"))
        self.tracked.refresh_from_db()
        self.assertTrue(self.tracked.active)

    def test_it_deletes_after_confirmation(self):
        self.login(self.alice)
        r = self.client.get(self.url("tracked-delete"))
        self.assertContains(r, "Boulangerie Dupont")
        self.assertTrue(TrackedName.objects.filter(pk=self.tracked.pk).exists())
        r = self.client.post(self.url("tracked-delete"))
        self.assertRedirects(r, reverse("tracked-names", args=[self.org.code]))
        self.assertFalse(TrackedName.objects.filter(pk=self.tracked.pk).exists())


class QueryTestTestCase(TrackedBase):
    def setUp(self):
        super().setUp()
        # Charlie follows a source Alice & Co does not.
        self.theirs = Source.objects.create(url="https://charlie.example/feed.xml")
        Follow.objects.create(organisation=self.other_org, source=self.theirs)

    def run_test(self, **kwargs):
        self.login(self.bob)
        data = self.form_data(
            label="Boulangerie Martin",
            aliases="",
            context_terms="",
            exclude_terms="",
            languages=[],
            action="test",
        )
        data.update(kwargs)
        return self.client.post(reverse("tracked-add", args=[self.org.code]), data)

    def test_it_shows_matching_items_of_the_organisations_sources(self):
        make_item(self.source, 1, "La Boulangerie Martin ouvre", "Du bon pain.")
        make_item(self.source, 2, "Rien à voir", "La boucherie du coin.")
        r = self.run_test()
        self.assertContains(r, "<mark>Boulangerie Martin</mark>", html=False)
        self.assertNotContains(r, "Rien à voir")
        # Testing saves nothing.
        self.assertFalse(TrackedName.objects.filter(label="Boulangerie Martin").exists())

    def test_it_never_shows_items_of_other_organisations_sources(self):
        make_item(self.theirs, 1, "Secret: Boulangerie Martin rachetée")
        r = self.run_test()
        self.assertNotContains(r, "rachetée")
        self.assertContains(r, "0 matching items")

    def test_it_finds_items_sighted_in_a_followed_source(self):
        # Stored under Charlie's source first, then seen in Alice & Co's feed too.
        make_item(self.theirs, 1, "Boulangerie Martin partout", sighted_in=[self.source])
        r = self.run_test()
        self.assertContains(r, "partout")

    def test_it_applies_the_source_restriction(self):
        second = Source.objects.create(url="https://example.org/other.xml")
        Follow.objects.create(organisation=self.org, source=second)
        make_item(self.source, 1, "Boulangerie Martin ici")
        make_item(second, 2, "Boulangerie Martin là-bas")
        r = self.run_test(sources=[str(second.code)])
        self.assertContains(r, "là-bas")
        self.assertNotContains(r, "Martin ici")

    def test_it_applies_exclusions(self):
        make_item(self.source, 1, "Boulangerie Martin et Martin Luther")
        make_item(self.source, 2, "Boulangerie Martin, le pain")
        r = self.run_test(exclude_terms="Luther")
        self.assertContains(r, "le pain")
        self.assertContains(r, "1 matching item ")
        self.assertNotContains(r, "Martin et Martin Luther")

    def test_it_escapes_item_text(self):
        make_item(self.source, 1, "Boulangerie Martin <script>alert(1)</script>")
        r = self.run_test()
        self.assertNotContains(r, "<script>alert(1)</script>", html=False)
        self.assertContains(r, "&lt;script&gt;alert(1)&lt;/script&gt;", html=False)

    def test_it_is_not_offered_to_viewer(self):
        self.login(self.viewer)
        r = self.client.post(
            reverse("tracked-add", args=[self.org.code]), self.form_data(action="test")
        )
        self.assertEqual(r.status_code, 403)

    def test_it_counts_mentions_in_the_list(self):
        item = make_item(self.source, 1, "Boulangerie Dupont")
        Mention.objects.create(
            organisation=self.org, tracked_name=self.tracked, item=item, published=item.published
        )
        self.login(self.bob)
        r = self.client.get(reverse("tracked-names", args=[self.org.code]))
        self.assertContains(r, "1 mention")
