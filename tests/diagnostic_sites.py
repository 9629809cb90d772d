"""Sites for the diagnostic's tests, served by a real local server (tests/httpserver.py):
a news search feed and a business's website with a feed and schema.org reviews."""

import json
from datetime import timedelta
from email.utils import format_datetime

from django.utils import timezone

NAME = "Boulangerie Dupont"
TOWN = "Villeurbanne"


def _rss(items) -> bytes:
    rows = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{format_datetime(when)}</pubDate><description>{text}</description></item>"
        for title, link, when, text in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Search</title><link>http://news.example/</link>{rows}</channel></rss>"
    ).encode()


def search_feed(now=None) -> bytes:
    now = now or timezone.now()
    return _rss(
        [
            (
                "La Boulangerie Dupont ouvre une deuxième boutique",
                "http://journal.example/a/1",
                now - timedelta(days=2),
                "Excellente nouvelle : la Boulangerie Dupont de Villeurbanne, réputée pour "
                "son pain délicieux, ouvre une deuxième boutique.",
            ),
            (
                "Accueil désagréable à la Boulangerie Dupont",
                "http://forum.example/t/2",
                now - timedelta(days=5),
                "Vendeuse très désagréable, pain rassis, je ne reviendrai jamais à la "
                "Boulangerie Dupont. Une honte.",
            ),
            (
                "Garage Dupont : nouveaux horaires",
                "http://journal.example/a/3",
                now - timedelta(days=1),
                "Le garage Dupont change ses horaires.",
            ),
        ]
    )


def site_feed(now=None) -> bytes:
    now = now or timezone.now()
    return _rss(
        [
            (
                "Boulangerie Dupont : la galette des rois est arrivée",
                "http://site.example/blog/galette",
                now - timedelta(days=40),
                "La Boulangerie Dupont vous propose sa galette, un vrai délice.",
            ),
            ("Nos horaires d'été", "http://site.example/blog/ete", now - timedelta(days=60), "x"),
        ]
    )


def home_page(feed_url: str) -> bytes:
    data = {
        "@context": "https://schema.org",
        "@type": "Bakery",
        "name": NAME,
        "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.5", "reviewCount": "12"},
        "review": [
            {
                "@type": "Review",
                "name": "Le meilleur pain du quartier",
                "reviewBody": "Pain excellent et accueil chaleureux.",
                "author": {"@type": "Person", "name": "Claire"},
                "datePublished": (timezone.now() - timedelta(days=3)).date().isoformat(),
                "reviewRating": {"@type": "Rating", "ratingValue": "5", "bestRating": "5"},
                "comment": {"@type": "Comment", "text": "Merci Claire !"},
            },
            {
                "@type": "Review",
                "name": "Déçu",
                "reviewBody": "Croissants secs, attente trop longue.",
                "author": {"@type": "Person", "name": "Tom"},
                "datePublished": (timezone.now() - timedelta(days=8)).date().isoformat(),
                "reviewRating": {"@type": "Rating", "ratingValue": "2", "bestRating": "5"},
            },
        ],
    }
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Boulangerie</title>'
        f'<link rel="alternate" type="application/rss+xml" href="{feed_url}">'
        f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
        "<body><h1>Boulangerie Dupont</h1></body></html>"
    ).encode()


RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def serve(server) -> dict:
    """Route the sites on `server`; returns the settings the diagnostic needs."""
    server.route("/robots.txt", b"User-agent: *\nDisallow: /private/\n", headers={})
    server.route("/search", handler=lambda req: (200, RSS, search_feed()))
    server.route("/site/feed.xml", handler=lambda req: (200, RSS, site_feed()))
    server.route("/site/", home_page(server.url("/site/feed.xml")))
    return {
        "DIAGNOSTIC_SEARCHES": [("google_news", server.url("/search") + "?q={q}")],
        "FETCH_ALLOW_PRIVATE_ADDRESSES": True,
    }
