"""Feed discovery: candidates from a page (pure), then probing over real local HTTP."""

import asyncio
import re

import pytest
from django.utils import translation

from monitoring.parse.feedlinks import COMMON_PATHS, FeedLink, discover_feeds
from monitoring.sources.discover import find_feeds, probe_candidates
from monitoring.tools.shared_data import shared_data
from tests.shared import needs


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (msgids); the UI's French comes from the catalogue."""
    with translation.override("en"):
        yield


SHARED = shared_data()
GRABY_SITES = SHARED / "pages" / "graby-fr" / "tests" / "fixtures" / "sites"
FEEDJIRA = SHARED / "feeds" / "feedjira-sample-feeds" / "spec" / "sample_feeds"
MINIFLUX = SHARED / "feeds" / "miniflux-testdata" / "internal" / "reader" / "parser" / "testdata"

needs_graby = needs("pages", "graby-fr")
needs_feeds = needs("feeds")


@needs_graby
def test_it_finds_the_feeds_a_real_blogger_page_advertises():
    raw = (GRABY_SITES / "blogger.test").read_text(encoding="utf-8")
    html = re.search(r"-----RAW_CONTENT-----\s*(.*?)----PARSED_CONTENT-----", raw, re.S).group(1)
    found = discover_feeds(html, "http://bjori.blogspot.fr/2015/04/next-gen-mongodb-driver.html")
    advertised = [f for f in found if f.kind in ("rss", "atom")]
    assert advertised[:2] == [
        FeedLink(
            "http://bjori.blogspot.com/feeds/posts/default", "bjori doesn't blog - Atom", "atom"
        ),
        FeedLink(
            "http://bjori.blogspot.com/feeds/posts/default?alt=rss",
            "bjori doesn't blog - RSS",
            "rss",
        ),
    ]
    # The usual paths come last, as unverified guesses on the page's own host.
    guesses = [f for f in found if f.kind == "guess"]
    assert guesses[0].url == "http://bjori.blogspot.fr/feed"
    assert found.index(guesses[0]) > found.index(advertised[-1])


def test_it_lists_links_that_look_like_feeds_and_usual_paths():
    html = """<html><head>
      <link rel="alternate" type="application/rss+xml" title="Commentaires" href="/comments/feed/">
      <link rel="alternate" type="application/rss+xml" title="Mairie - Actualités" href="/feed/">
      <link rel="alternate" type="application/feed+json" href="https://mairie.example.fr/feed.json">
      <link rel="stylesheet" href="/style.css"><link rel="alternate" hreflang="en" href="/en/">
      <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/12">
    </head><body>
      <a href="spip.php?page=backend">Syndication RSS</a>
      <a href="/agenda/rss.xml">Agenda (RSS)</a>
      <a href="/contact">Contact</a><a href="javascript:void(0)">feed</a>
    </body></html>"""
    found = discover_feeds(html, "https://mairie.example.fr/actualites/page.html")
    urls = [f.url for f in found]
    # Site feeds before comment feeds; no stylesheet, translation, contact, javascript.
    assert urls[:3] == [
        "https://mairie.example.fr/feed/",
        "https://mairie.example.fr/feed.json",
        "https://mairie.example.fr/comments/feed/",
    ]
    assert found[0].title == "Mairie - Actualités" and found[0].kind == "rss"
    assert found[1].kind == "json"
    links = [f for f in found if f.kind == "link"]
    assert [f.url for f in links] == [
        "https://mairie.example.fr/actualites/spip.php?page=backend",
        "https://mairie.example.fr/agenda/rss.xml",
    ]
    assert not any(w in u for u in urls for w in ("contact", "style", "/en/", "wp-json"))
    assert "https://mairie.example.fr/spip.php?page=backend" in urls  # the SPIP guess
    assert len(urls) == len(set(urls))


def test_it_survives_pages_that_are_not_html():
    assert [f.url for f in discover_feeds("", "https://e.fr/x")] == [
        "https://e.fr" + p for p in COMMON_PATHS
    ]
    assert discover_feeds("<a href='/feed'>", "not a url") == []
    assert discover_feeds("\x00<<>>" * 1000, "https://e.fr/")[0].kind == "guess"


@needs_feeds
def test_it_probes_candidates_and_keeps_real_feeds(server):
    server.route_file("/feed/", MINIFLUX / "small_atom.xml", "application/atom+xml")
    server.route(
        "/rss", status=301, headers={"Location": server.url("/feed/")}
    )  # same feed twice: kept once
    server.route_file("/spip.php", MINIFLUX / "no_encoding_ISO-8859-1.xml", "application/rss+xml")
    server.route("/index.xml", b"<html><body>not a feed</body></html>")
    page = f"""<html><head>
      <link rel="alternate" type="application/rss+xml" href="{server.url("/missing.xml")}">
    </head><body><a href="/spip.php?page=backend">RSS</a></body></html>"""
    candidates = discover_feeds(page, server.url("/"))
    feeds = asyncio.run(probe_candidates(candidates))
    assert [(f.url, f.title, f.items) for f in feeds] == [
        (
            server.url("/spip.php?page=backend"),
            "Flux RSS du magazine de psychologie Le Cercle Psy",
            10,
        ),
        (server.url("/feed/"), "Recent Commits to v2:main", 20),
    ]
    assert feeds[0].kind == "link"


@needs_feeds
def test_it_probes_only_advertised_feeds_when_there_are_some(server):
    server.route_file("/atom.xml", FEEDJIRA / "google_alerts_atom.xml", "application/atom+xml")
    server.route("/", b"")
    page = '<link rel="alternate" type="application/atom+xml" title="Alertes" href="/atom.xml">'
    feeds = find_feeds(page, server.url("/"))
    assert [(f.title, f.items) for f in feeds] == [("Google Alert - Slack", 20)]
    asked = {path for _method, path, _headers in server.requests}
    assert "/feed" not in asked and "/rss.xml" not in asked
