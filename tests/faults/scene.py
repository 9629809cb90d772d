"""What the fault tests poll: an organisation tracking a name, feeds on a local HTTP
server that each carry items naming it, and the counts that must come out right."""

import threading

from django.db.models import Count

from monitoring.models import Item, PollLog
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation
from reputation.sources.follow import follow_source

RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def feed(name: str, numbers) -> bytes:
    items = "".join(
        f"<item><title>Boulangerie Dupont : avis {name} {n}</title>"
        f"<link>https://journal.example/{name}/{n}</link><guid>{name}-{n}</guid>"
        f"<pubDate>Fri, 27 Nov 2026 08:{n:02d}:00 +0100</pubDate>"
        f"<description>Pain rassis et accueil glacial chez Boulangerie Dupont ({n}).</description>"
        "</item>"
        for n in numbers
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Journal {name}</title><link>https://journal.example/{name}/</link>"
        f"{items}</channel></rss>"
    ).encode()


class Feeds:
    """Feeds `/<name>.xml` on `server`, each with its own items; `hold(name)` makes
    the next request of that feed wait until `release()` (a poll caught mid-way)."""

    def __init__(self, server, names, items: int = 2):
        self.server = server
        self.items = {name: list(range(1, items + 1)) for name in names}
        self.requests = {name: 0 for name in names}
        self.held: set[str] = set()
        self.waiting = threading.Event()
        self.released = threading.Event()
        for name in names:
            server.route(f"/{name}.xml", handler=self._handler(name))

    def _handler(self, name):
        def answer(req):
            self.requests[name] += 1
            if name in self.held:
                self.held.discard(name)
                self.waiting.set()
                self.released.wait(60)
            return 200, RSS, feed(name, self.items[name])

        return answer

    def url(self, name: str) -> str:
        return self.server.url(f"/{name}.xml")

    def hold(self, name: str) -> None:
        self.waiting.clear()
        self.released.clear()
        self.held.add(name)

    def release(self) -> None:
        self.released.set()

    def add_item(self, name: str) -> None:
        self.items[name].append(len(self.items[name]) + 1)


def organisation_following(feeds: Feeds, slug: str = "dupont") -> tuple[Organisation, dict]:
    org = Organisation.objects.create(slug=slug, name="Boulangerie Dupont")
    TrackedName.objects.create(organisation=org, label="Boulangerie Dupont")
    sources = {name: follow_source(org, feeds.url(name))[0] for name in feeds.items}
    return org, sources


def successful_polls(sources: dict) -> dict:
    """Successful polls per feed name."""
    counts = dict(
        PollLog.objects.filter(source__in=sources.values(), error="")
        .values_list("source")
        .annotate(n=Count("id"))
    )
    return {name: counts.get(source.pk, 0) for name, source in sources.items()}


def mentions_per_feed(org, sources: dict) -> dict:
    counts = dict(
        Mention.objects.filter(organisation=org).values_list("source").annotate(n=Count("id"))
    )
    return {name: counts.get(source.pk, 0) for name, source in sources.items()}


def nothing_doubled(test) -> None:
    """Each item once, each item mentioned once: however often it was polled."""
    test.assertEqual(Item.objects.values("url").annotate(n=Count("id")).filter(n__gt=1).count(), 0)
    doubled = Mention.objects.values("organisation", "item", "tracked_name").annotate(n=Count("id"))
    test.assertEqual(doubled.filter(n__gt=1).count(), 0)
