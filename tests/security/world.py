"""Two organisations, each with one of every kind of object a URL can name, for the
sweeps (test_sweep_*.py). Every text an organisation owns carries its marker, so a
sweep can tell when a page of A shows something of B.

They also share a source and an item: each has its own mention of the one item, with
its own words (the indirect paths of the tenant sweep)."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from monitoring.models import ConnectorAccount, Item, Sighting, Source
from reputation.accounts.models import Brand, Invitation
from reputation.alerts import unsubscribe
from reputation.alerts.models import Notification, Webhook, WebhookKind
from reputation.alerts.preferences import preference_for
from reputation.api.models import ApiKey, scopes_for
from reputation.diagnostic.models import Diagnostic
from reputation.inbox.models import MentionEvent, Note, Tag
from reputation.mentions.finding.saving import PendingMentions, save_mentions
from reputation.mentions.models import HistoryScan, Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from reputation.privacy.models import PrivacyRequest
from reputation.replies.models import ReplyTemplate
from reputation.sources.models import Follow
from reputation.webhooks.models import WebhookDelivery
from tests.base import make_user

SHARED_URL = "https://shared.example/feed.xml"


@dataclass
class Tenant:
    """One organisation and the ids of its objects, by the URL parameter naming them."""

    org: Organisation
    marker: str
    owner: object
    viewer: object
    params: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)  # API tokens by role
    mention: Mention | None = None
    shared_mention: Mention | None = None


def _mention(org, tracked, item, source, words: str, **kwargs) -> Mention:
    return Mention(
        organisation=org,
        tracked_name=tracked,
        item=item,
        source=source,
        url=item.url,
        published=item.published,
        title=words,
        author=f"{words} author",
        snippet=f"{words} snippet",
        sentiment="negative",
        language="fr",
        **kwargs,
    )


def tenant(slug: str, marker: str) -> Tenant:
    """An organisation whose every object's text holds `marker`."""
    now = timezone.now()
    org = Organisation.objects.create(slug=slug, name=f"{marker} organisation")
    owner = make_user(f"owner@{slug}.example")
    viewer = make_user(f"viewer@{slug}.example")
    owning = Membership.objects.create(user=owner, organisation=org, role=Role.OWNER)
    viewing = Membership.objects.create(user=viewer, organisation=org, role=Role.VIEWER)
    tracked = TrackedName.objects.create(organisation=org, label=f"{marker} Dupont")
    source = Source.objects.create(url=f"https://{slug}.example/feed.xml", title=f"{marker} feed")
    Follow.objects.create(organisation=org, source=source, name=f"{marker} source name")
    item = Item.objects.create(
        source=source,
        guid_hash=f"{slug}-1",
        url=f"https://{slug}.example/1",
        title=f"{marker} title",
        text=f"{marker} text",
        author=f"{marker} author",
        published=now - timedelta(hours=1),
        language="fr",
    )
    save_mentions(PendingMentions([_mention(org, tracked, item, source, f"{marker} mention")]))
    mention = Mention.objects.get(organisation=org, item=item)
    tag = Tag.objects.create(organisation=org, name=f"{marker} tag")
    tag.mentions.add(mention)
    Note.objects.create(mention=mention, author=owner, text=f"{marker} note")
    MentionEvent.objects.create(mention=mention, user=owner, kind="note", new=f"{marker} event")
    ReplyTemplate.objects.create(
        organisation=org, case="negative", language="fr", body=f"{marker} template"
    )
    hook = Webhook.objects.create(
        organisation=org, url=f"https://hooks.example/{slug}", kind=WebhookKind.JSON
    )
    notification = Notification.objects.create(
        organisation=org, webhook=hook, kind="instant", data={"marker": marker}
    )
    delivery = WebhookDelivery.objects.create(
        webhook=hook,
        notification=notification,
        message_id=f"msg_{slug}",
        event="mention.created",
        status_code=500,
        response=f"{marker} answer",
        body=f'{{"marker": "{marker}"}}',
    )
    key, _token = ApiKey.issue(owning, f"{marker} key", sorted(scopes_for(Role.OWNER)))
    tokens = {
        "owner": _token,
        "viewer": ApiKey.issue(viewing, f"{marker} viewer key", sorted(scopes_for(Role.VIEWER)))[1],
    }
    request = PrivacyRequest.objects.create(
        organisation=org, kind="erase", name=f"{marker} person", email=f"person@{slug}.example"
    )
    invitation = Invitation(organisation=org, email=f"new@{slug}.example", role="member")
    invitation_token = invitation.new_token()
    invitation.save()
    diagnostic = Diagnostic.objects.create(
        name=f"{marker} diagnostic", town="Lyon", organisation=org, state=Diagnostic.DONE
    )
    HistoryScan.objects.create(organisation=org, tracked_name=tracked)
    account = ConnectorAccount.objects.create(
        platform="trustpilot", account_id=f"{slug}-unit", label=f"{marker} business"
    )
    connected = Source.objects.create(
        url=f"https://trustpilot.example/{slug}",
        kind="connector",
        title=f"{marker} reviews",
        config={"account": account.pk, "platform": "trustpilot"},
    )
    Follow.objects.create(organisation=org, source=connected)
    brand = Brand.objects.create(user=owner, display_name=f"{marker} brand")
    brand.clients.add(org)
    t = Tenant(org=org, marker=marker, owner=owner, viewer=viewer, tokens=tokens, mention=mention)
    t.params = {
        "code": org.code,
        "mention_code": mention.code,
        "tracked_code": tracked.code,
        "source_code": source.code,
        "webhook_code": hook.code,
        "delivery_id": delivery.pk,
        "key_code": key.code,
        "request_code": request.code,
        "invitation_code": invitation.code,
        "platform": "trustpilot",
        "diagnostic_code": diagnostic.code,
        "invitation_token": invitation_token,
        "unsubscribe_token": unsubscribe.make_token(preference_for(owning), "digest"),
    }
    return t


def share(a: Tenant, b: Tenant) -> Source:
    """A source both follow, and one item both have a mention of: A through the shared
    source, B through its own source whose copy of the item says other words (an
    article's address in two feeds). B's words and B's name for the shared source are
    B's: A never sees them."""
    source = Source.objects.create(url=SHARED_URL, title="Shared feed")
    item = Item.objects.create(
        source=source,
        guid_hash="shared-1",
        url="https://shared.example/1",
        title="shared title",
        text="shared text",
        published=timezone.now() - timedelta(minutes=30),
        language="fr",  # detecting it builds a detector: seconds, for nothing here
    )
    Sighting.objects.create(item=item, source=source, guid_hash="shared-1", url=item.url)
    for t in (a, b):
        Follow.objects.create(organisation=t.org, source=source, name=f"{t.marker} shared name")
    own = Source.objects.get(code=b.params["source_code"])
    Sighting.objects.create(
        item=item,
        source=own,
        guid_hash="bravo-copy",
        url=item.url,
        title=f"{b.marker} sighting title",
        text=f"{b.marker} sighting text",
        own_content=True,
    )
    for t, seen_in in ((a, source), (b, own)):
        tracked = TrackedName.objects.get(organisation=t.org)
        save_mentions(
            PendingMentions([_mention(t.org, tracked, item, seen_in, f"{t.marker} shared")])
        )
        t.shared_mention = Mention.objects.get(organisation=t.org, item=item)
    return source
