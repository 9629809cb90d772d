"""A listing page whose links lead to the articles: each new article is read in full
once (text, author, date), never again on later polls."""

from django.test import TestCase

from monitoring.models import Item
from monitoring.pipeline import poll
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation
from reputation.sources.follow import follow_source
from tests.httpserver import LocalServer

LISTING = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Actus</title></head>
<body><h1>Actualités</h1>
<div class="card"><h2><a href="/a/1">Une boulangerie primée</a></h2></div>
<div class="card"><h2><a href="/a/2">Travaux place Lazare-Goujon</a></h2></div>
</body></html>"""

ARTICLE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>{title}</title><meta name="author" content="{author}">
<meta property="article:published_time" content="2026-11-20T09:30:00+01:00"></head>
<body><article><h1>{title}</h1><p>{body}</p><p>{more}</p></article></body></html>"""

FILLER = (
    "Le jury a goûté plus de quarante baguettes venues de tout le département, "
    "dans une ambiance conviviale, avant de rendre son verdict en fin de journée."
)


class FollowLinksTestCase(TestCase):
    def setUp(self):
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        self.server.route("/actus", LISTING.encode())
        pages = {
            "/a/1": (
                "Une boulangerie primée",
                "Claire Martin",
                "La Boulangerie Dupont remporte le prix de la meilleure baguette.",
            ),
            "/a/2": ("Travaux", "Paul Durand", "La place sera fermée pendant un mois."),
        }
        for path, (title, author, body) in pages.items():
            html = ARTICLE.format(title=title, author=author, body=body, more=FILLER)
            self.server.route(path, html.encode())
        self.org = Organisation.objects.create(slug="a", name="A")
        TrackedName.objects.create(organisation=self.org, label="Boulangerie Dupont")
        config = {"item": "div.card", "title": "h2", "link": "h2 a", "follow_links": True}
        self.source, _ = follow_source(self.org, self.server.url("/actus"), "html", config)

    def article_requests(self):
        return [path for _, path, _ in self.server.requests if path.startswith("/a/")]

    def test_it_reads_each_new_article_in_full_once(self):
        report = poll.poll_now([self.source])[0]
        self.assertEqual(report.error, "")
        item = Item.objects.get(url=self.server.url("/a/1"))
        self.assertIn("meilleure baguette", item.text)
        self.assertEqual(item.author, "Claire Martin")
        self.assertEqual(item.published.isoformat(), "2026-11-20T08:30:00+00:00")
        # The tracked name is only in the article, not in the listing.
        self.assertEqual(Mention.objects.get().item, item)
        self.assertEqual(sorted(self.article_requests()), ["/a/1", "/a/2"])

        poll.poll_now([self.source])
        self.assertEqual(len(self.article_requests()), 2)

    def test_it_keeps_the_listing_entry_when_the_article_fails(self):
        self.server.route("/a/2", b"gone", status=404)
        poll.poll_now([self.source])
        item = Item.objects.get(url=self.server.url("/a/2"))
        self.assertEqual(item.title, "Travaux place Lazare-Goujon")
        self.assertEqual(Item.objects.count(), 2)

    def test_it_never_adds_article_fetches_to_the_batch_s_on_one_host(self):
        import threading
        import time

        from django.test import override_settings

        lock = threading.Lock()
        state = {"now": 0, "max": 0}

        def slow(status, headers, body, delay):
            def handle(req):
                with lock:
                    state["now"] += 1
                    state["max"] = max(state["max"], state["now"])
                try:
                    time.sleep(delay)
                finally:
                    with lock:
                        state["now"] -= 1
                return status, headers, body

            return handle

        html = {"Content-Type": "text/html; charset=utf-8"}
        for path in ("/a/1", "/a/2"):
            body = ARTICLE.format(title="T", author="A", body="Texte.", more=FILLER).encode()
            self.server.route(path, handler=slow(200, html, body, 0.3))
        rss = b'<rss version="2.0"><channel><title>F</title></channel></rss>'
        feeds = []
        for k in range(3):
            self.server.route(
                f"/feed{k}", handler=slow(200, {"Content-Type": "application/rss+xml"}, rss, 0.6)
            )
            feeds.append(follow_source(self.org, self.server.url(f"/feed{k}"))[0])
        with override_settings(FETCH_PER_HOST_CONCURRENCY=3, FETCH_RESPECT_ROBOTS=False):
            reports = poll.poll_now([self.source, *feeds])
        self.assertEqual([r.error for r in reports], [""] * 4)
        self.assertEqual(sorted(self.article_requests()), ["/a/1", "/a/2"])
        # The listing answers at once; its two articles wait for the three feeds.
        self.assertEqual(state["max"], 3)
