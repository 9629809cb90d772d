"""A business's website and two news searches for the suggestions' tests, served by a
real local server (tests/httpserver.py): the home page announces two feeds with
<link rel=alternate> and links to a page of schema.org reviews."""

from tests.diagnostic_sites import NAME, RSS, TOWN, home_page, search_feed, site_feed

__all__ = ["NAME", "TOWN", "serve"]

HTML = {"Content-Type": "text/html; charset=utf-8"}


def _home(server) -> bytes:
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        "<title>Boulangerie Dupont</title>"
        f'<link rel="alternate" type="application/rss+xml" title="Actualités" '
        f'href="{server.url("/site/feed.xml")}">'
        f'<link rel="alternate" type="application/atom+xml" title="Recettes" '
        f'href="{server.url("/site/recettes.xml")}">'
        "</head><body><h1>Boulangerie Dupont</h1>"
        '<a href="/site/avis/">Avis clients</a> <a href="/site/horaires/">Horaires</a>'
        "</body></html>"
    ).encode()


def _atom() -> bytes:
    return (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>Recettes de la Boulangerie Dupont</title><id>urn:recettes</id>"
        b"<updated>2026-11-01T10:00:00Z</updated>"
        b"<entry><title>La brioche</title><id>urn:r1</id><updated>2026-11-01T10:00:00Z</updated>"
        b'<link href="http://site.example/r/1"/><summary>Beurre, farine.</summary></entry>'
        b"</feed>"
    )


def serve(server) -> dict:
    """Route the sites on `server`; returns the settings the suggestions need."""
    server.route("/robots.txt", b"User-agent: *\nDisallow: /private/\n", headers={})
    server.route("/search", handler=lambda req: (200, RSS, search_feed()))
    server.route("/bing", handler=lambda req: (200, RSS, search_feed()))
    server.route("/site/feed.xml", handler=lambda req: (200, RSS, site_feed()))
    server.route("/site/recettes.xml", _atom(), headers={"Content-Type": "application/atom+xml"})
    server.route("/site/avis/", handler=lambda req: (200, HTML, home_page("")))
    server.route("/site/horaires/", b"<html><body>Ouvert tous les jours</body></html>")
    server.route("/site/", _home(server))
    return {
        "DIAGNOSTIC_SEARCHES": [
            ("google_news", server.url("/search") + "?q={q}"),
            ("bing_news", server.url("/bing") + "?q={q}"),
        ],
        "FETCH_ALLOW_PRIVATE_ADDRESSES": True,
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    }
