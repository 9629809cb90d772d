"""Sources, follows, items and mentions for the alert tests."""

import itertools
from datetime import timedelta

from django.utils import timezone

from monitoring.models import Item, Source, SourceKind
from reputation.mentions.models import Mention, Sentiment
from reputation.names.models import TrackedName
from reputation.sources.models import Follow

_n = itertools.count()


def followed_source(org, kind=SourceKind.SEARCH, days_ago=30) -> Source:
    source = Source.objects.create(
        url=f"https://news.example.org/{next(_n)}.rss", kind=kind, title="Le Progrès"
    )
    Follow.objects.create(
        organisation=org, source=source, created=timezone.now() - timedelta(days=days_ago)
    )
    return source


def tracked(org, label="Boulangerie Dupont", kind="brand") -> TrackedName:
    return TrackedName.objects.get_or_create(
        organisation=org, label=label, defaults={"kind": kind}
    )[0]


def mention(
    org,
    source,
    name,
    *,
    score=-0.8,
    sentiment=Sentiment.NEGATIVE,
    published=None,
    created=None,
    alertable=True,
    title=None,
    rating=None,
) -> Mention:
    n = next(_n)
    now = timezone.now()
    published = published or now - timedelta(minutes=10)
    item = Item.objects.create(
        source=source,
        url=f"https://news.example.org/article-{n}",
        url_hash=f"{n:040d}",
        guid_hash=f"{n:040d}",
        title=title or f"Pain rassis chez Dupont {n}",
        text="Très déçu, pain rassis et accueil glacial.",
        published=published,
    )
    return Mention.objects.create(
        organisation=org,
        tracked_name=name,
        item=item,
        source=source,
        url=item.url,
        title=item.title,
        published=published,
        rating=rating,
        created=created or now,
        snippet="Très déçu par la Boulangerie Dupont, pain rassis.",
        sentiment=sentiment,
        score=score,
        auto_sentiment=sentiment,
        auto_score=score,
        alertable=alertable,
    )
