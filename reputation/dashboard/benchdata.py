"""Generated data for `bench dashboard`: a consultant with 20 clients, one of them with
a million mentions over two years, the others a few thousand.

On PostgreSQL the rows are made by the server (INSERT ... SELECT FROM generate_series:
a million items and mentions in well under a minute); elsewhere by bulk_create in
batches (use --size there). Columns this code does not set get their model default,
so a field added later does not break the generation.
"""

import random
from contextlib import contextmanager, suppress
from datetime import timedelta

from django.db import DatabaseError, connection
from django.utils import timezone

from monitoring.models import Item, Source
from reputation.mentions.models import Mention
from reputation.names.models import TrackedKind, TrackedName
from reputation.orgs.create import get_or_create_user
from reputation.orgs.models import Membership, Organisation, Role
from reputation.sources.models import Follow

DAYS = 730
SOURCES = 50
AUTHORS = 3000
ASPECTS = ["reception", "price", "delays", "quality", "after_sales", "staff", "hygiene"]
# Tracked names by weight: 60 % own names, 40 % two competitors.
NAMES = [
    ("Boulangerie Dupont", 3, TrackedKind.BRAND),
    ("Marie Dupont", 2, TrackedKind.PERSON),
    ("Pain Dupont", 1, TrackedKind.PRODUCT),
    ("Maison Martin", 2, TrackedKind.COMPETITOR),
    ("Fournil Petit", 2, TrackedKind.COMPETITOR),
]


def make_clients(clients: int, password: str):
    """The consultant, its clients (first one is the big one), their names and sources."""
    user = get_or_create_user("consultant@bench.example", password)
    orgs = []
    for i in range(clients):
        org = Organisation.objects.create(slug=f"client-{i:02d}", name=f"Client {i:02d}")
        Membership.objects.create(user=user, organisation=org, role=Role.MEMBER)
        orgs.append(org)
    sources = Source.objects.bulk_create(
        [
            Source(url=f"https://source{i}.bench.example/feed", title=f"Source {i}")
            for i in range(SOURCES)
        ]
    )
    sources = list(Source.objects.order_by("pk"))
    Follow.objects.bulk_create(
        [Follow(organisation=o, source=s) for o in orgs for s in sources[:10]]
    )
    sources[3].error_count = 4
    sources[3].save(update_fields=["error_count"])
    names = {}
    for org in orgs:
        names[org.pk] = [
            TrackedName.objects.create(organisation=org, label=label, kind=kind)
            for label, _, kind in NAMES
        ]
    return user, orgs, sources, names


def weighted_names(tracked: list[TrackedName]) -> list[int]:
    return [t.pk for t, (_, weight, _) in zip(tracked, NAMES, strict=True) for _ in range(weight)]


def generate(org, tracked, sources, n: int, seed: int = 1) -> None:
    if connection.vendor == "postgresql":
        with _no_triggers():
            _generate_sql(org, tracked, sources, n, seed)
    else:
        _generate_python(org, tracked, sources, n, seed)


@contextmanager
def _no_triggers():
    """Skip the foreign key checks of the generated rows (they point at rows made just
    before): a million of them cost minutes. Needs a superuser; otherwise slower."""
    with connection.cursor() as cursor:
        with suppress(DatabaseError):
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


def _defaults(model, skip: set[str]) -> tuple[list[str], list]:
    cols, params = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in skip:
            continue
        cols.append(field.column)
        value = None if field.null else field.get_default()
        params.append(field.get_db_prep_save(value, connection))
    return cols, params


def _generate_sql(org, tracked, sources, n, seed) -> None:
    prefix = f"b{org.pk}-"
    item_sql = {
        "source_id": f"(%s::bigint[])[1 + i %% {len(sources)}]",
        "url": f"'https://bench.example/{prefix}' || i",
        "guid_hash": f"'{prefix}' || i",
        "title": "'Avis ' || i || ' sur Boulangerie Dupont'",
        "author": (
            f"CASE WHEN random() < 0.6 THEN 'Auteur ' || floor({AUTHORS} * power(random(), 3))::int"
            " ELSE '' END"
        ),
        "published": f"now() - random() * interval '{DAYS} days'",
        "collected": "now()",
        "language": "'fr'",
    }
    cols, params = _defaults(Item, set(item_sql))
    select = ", ".join([*item_sql.values(), *["%s"] * len(cols)])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setseed({(seed % 1000) / 1000})")
        cursor.execute(
            f"INSERT INTO {Item._meta.db_table} ({', '.join([*item_sql, *cols])}) "  # noqa: S608
            f"SELECT {select} FROM generate_series(1, %s) AS i",
            [[s.pk for s in sources], *params, n],
        )
        names = weighted_names(tracked)
        mention_sql = {
            "code": "gen_random_uuid()",
            "organisation_id": str(int(org.pk)),
            "tracked_name_id": f"(%s::bigint[])[1 + floor(r1 * {len(names)})::int]",
            "item_id": "it.id",
            "source_id": "it.source_id",
            "url": "it.url",
            "published": "it.published",
            "created": "it.collected",
            "snippet": "it.title",
            "title": "it.title",
            "author": "it.author",
            "language": "'fr'",
            "sentiment": (
                "CASE WHEN r2 < 0.3 THEN 'positive' WHEN r2 < 0.8 THEN 'neutral'"
                " ELSE 'negative' END"
            ),
            "aspects": (
                "CASE WHEN r3 < 0.3 THEN jsonb_build_array("
                f"(%s::text[])[1 + floor(r4 * {len(ASPECTS)})::int]) ELSE '[]'::jsonb END"
            ),
            "status": (
                "CASE WHEN it.published < now() - interval '14 days' THEN 'handled' ELSE 'new' END"
            ),
        }
        mention_sql["auto_sentiment"] = mention_sql["sentiment"]
        cols, params = _defaults(Mention, set(mention_sql))
        select = ", ".join([*mention_sql.values(), *["%s"] * len(cols)])
        cursor.execute(
            f"INSERT INTO {Mention._meta.db_table} ({', '.join([*mention_sql, *cols])}) "  # noqa: S608
            f"SELECT {select} FROM (SELECT id, source_id, url, published, collected, title, "
            f"author, random() AS r1, random() AS r2, random() AS r3, random() AS r4 "
            f"FROM {Item._meta.db_table} WHERE guid_hash LIKE %s) AS it",
            [names, ASPECTS, *params, prefix + "%"],
        )


def _generate_python(org, tracked, sources, n, seed) -> None:
    rng = random.Random(seed)
    names = weighted_names(tracked)
    now = timezone.now()
    batch = 5000
    for start in range(0, n, batch):
        items = []
        for i in range(start, min(n, start + batch)):
            published = now - timedelta(seconds=rng.random() * DAYS * 86400)
            author = f"Auteur {int(AUTHORS * rng.random() ** 3)}" if rng.random() < 0.6 else ""
            items.append(
                Item(
                    source=sources[i % len(sources)],
                    guid_hash=f"b{org.pk}-{i}",
                    title=f"Avis {i}",
                    author=author,
                    published=published,
                    collected=now,
                    language="fr",
                )
            )
        Item.objects.bulk_create(items)
        items = Item.objects.filter(guid_hash__in=[i.guid_hash for i in items])
        mentions = []
        for item in items:
            r = rng.random()
            tone = "positive" if r < 0.3 else "neutral" if r < 0.8 else "negative"
            aspects = [rng.choice(ASPECTS)] if rng.random() < 0.3 else []
            old = item.published < now - timedelta(days=14)
            mentions.append(
                Mention(
                    organisation=org,
                    tracked_name_id=rng.choice(names),
                    item=item,
                    source_id=item.source_id,
                    url=item.url,
                    published=item.published,
                    snippet=item.title,
                    title=item.title,
                    author=item.author,
                    language="fr",
                    sentiment=tone,
                    auto_sentiment=tone,
                    aspects=aspects,
                    status="handled" if old else "new",
                )
            )
        Mention.objects.bulk_create(mentions)
