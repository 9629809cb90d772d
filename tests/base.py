"""Base test case: an organisation with an owner, a member and a viewer, and an
outsider who owns another organisation. Every view's tests check all of them."""

from django.contrib.auth.models import User
from django.test import TestCase

from reputation.orgs.models import Membership, Organisation, Role


def make_user(email: str, password: str = "password") -> User:
    user = User.objects.create_user(username=email, email=email)
    user.set_password(password)
    user.save()
    return user


class BaseTestCase(TestCase):
    def setUp(self):
        super().setUp()
        self.org = Organisation.objects.create(slug="alice-co", name="Alice & Co")
        self.alice = make_user("alice@example.org")
        Membership.objects.create(user=self.alice, organisation=self.org, role=Role.OWNER)
        self.bob = make_user("bob@example.org")
        Membership.objects.create(user=self.bob, organisation=self.org, role=Role.MEMBER)
        self.viewer = make_user("vera@example.org")
        Membership.objects.create(user=self.viewer, organisation=self.org, role=Role.VIEWER)

        self.charlie = make_user("charlie@example.org")
        self.other_org = Organisation.objects.create(slug="charlie-inc", name="Charlie Inc")
        Membership.objects.create(user=self.charlie, organisation=self.other_org, role=Role.OWNER)

    def login(self, user):
        self.client.force_login(user)


def record_mentions(source, items, **said) -> int:
    """Hand these items to the mention finder as this source's new sightings, as a
    poll does; returns how many mentions were new. The sightings say what the items
    hold, and `said` (rating=..., url=...): what this source said besides."""
    from monitoring.models import Sighting
    from reputation.mentions.finder import MentionFinder

    sightings = []
    for item in items:
        sighting, _ = Sighting.objects.get_or_create(
            item=item,
            source=source,
            guid_hash=item.guid_hash or str(item.pk),
            defaults={
                "url": item.url,
                "published": item.published,
                "published_known": item.published_known,
                "author": item.author,
                "declared_language": item.declared_language,
                **said,
            },
        )
        sighting.item = item  # the caller's instance, with what it set on it
        sighting.declared_language = item.declared_language
        sightings.append(sighting)
    finder = MentionFinder()
    return finder.save(finder.prepare(source, sightings))
