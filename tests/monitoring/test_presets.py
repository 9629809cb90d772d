"""Search presets build the documented feed URLs and refuse malformed parameters."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from monitoring.sources.presets import BY_KEY, PRESETS, build, query_for, urls_for_name
from monitoring.types import SourceError


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (msgids); the UI's French comes from the catalogue."""
    with translation.override("en"):
        yield


GOOGLE_ALERT = "https://www.google.com/alerts/feeds/04175468913983673025/4428013283581841004"
DOC = Path(__file__).resolve().parents[2] / "docs" / "presets.md"


def test_it_builds_the_google_news_search_feed_in_french():
    url = build("google_news", q='"Boulangerie Dupont"')
    assert url == (
        "https://news.google.com/rss/search?q=%22Boulangerie+Dupont%22&hl=fr&gl=FR&ceid=FR:fr"
    )
    assert build("google_news", q="Lyon", lang="en", country="us").endswith(
        "q=Lyon&hl=en-US&gl=US&ceid=US:en"
    )
    assert "hl=fr-BE&gl=BE&ceid=BE:fr" in build("google_news", q="x", lang="fr", country="BE")
    # A language alone brings its usual edition.
    assert build("google_news", q="x", lang="en").endswith("hl=en-US&gl=US&ceid=US:en")


@pytest.mark.parametrize(
    "key, params, expected",
    [
        (
            "bing_news",
            {"q": "Mairie de Lyon"},
            "https://www.bing.com/news/search?q=Mairie+de+Lyon&format=rss&setlang=fr&cc=FR",
        ),
        (
            "reddit_search",
            {"q": "café & co"},
            "https://www.reddit.com/search.rss?q=caf%C3%A9+%26+co&sort=new",
        ),
        ("reddit_subreddit", {"subreddit": "france"}, "https://www.reddit.com/r/france/new/.rss"),
        ("mastodon_tag", {"tag": "#Lyon"}, "https://mastodon.social/tags/Lyon.rss"),
        (
            "mastodon_tag",
            {"tag": "été", "instance": "https://Piaille.fr/"},
            "https://piaille.fr/tags/%C3%A9t%C3%A9.rss",
        ),
        (
            "mastodon_account",
            {"instance": "mamot.fr", "user": "@laquadrature@mamot.fr"},
            "https://mamot.fr/@laquadrature.rss",
        ),
        (
            "bluesky_account",
            {"handle": "@Mairie.bsky.social"},
            "https://bsky.app/profile/mairie.bsky.social/rss",
        ),
        (
            "youtube_channel",
            {"channel_id": "UC_x5XG1OV2P6uZZ5FSM9Ttw"},
            "https://www.youtube.com/feeds/videos.xml?channel_id=UC_x5XG1OV2P6uZZ5FSM9Ttw",
        ),
        (
            "youtube_playlist",
            {"playlist_id": "PLBCF2DAC6FFB574DE"},
            "https://www.youtube.com/feeds/videos.xml?playlist_id=PLBCF2DAC6FFB574DE",
        ),
        ("hacker_news", {"q": "htmx"}, "https://hnrss.org/newest?q=htmx"),
        (
            "google_alerts",
            {"url": f" {GOOGLE_ALERT} "},
            GOOGLE_ALERT,
        ),
        (
            "talkwalker_alerts",
            {"url": "https://alerts.talkwalker.com/alerts/rss/CGS5EZ5FWXFWV5MZ4KZJ3RVDTXCKM57J"},
            "https://alerts.talkwalker.com/alerts/rss/CGS5EZ5FWXFWV5MZ4KZJ3RVDTXCKM57J",
        ),
    ],
)
def test_it_builds_each_preset_url(key, params, expected):
    assert build(key, **params) == expected


@pytest.mark.parametrize(
    "key, params",
    [
        ("google_news", {}),
        ("google_news", {"q": "   "}),
        ("google_news", {"q": "x", "lang": "french"}),
        ("youtube_channel", {"channel_id": "https://www.youtube.com/@mairie"}),
        ("reddit_subreddit", {"subreddit": "../../evil"}),
        ("mastodon_tag", {"tag": "a b"}),
        ("mastodon_tag", {"tag": "lyon", "instance": "evil.example/path?x="}),
        ("mastodon_account", {"instance": "mamot.fr"}),
        ("bluesky_account", {"handle": "not a handle"}),
        ("google_alerts", {"url": "https://www.google.com/alerts"}),  # the management page
        ("google_alerts", {"url": "https://evil.example/alerts/feeds/123456/654321"}),
        ("talkwalker_alerts", {"url": "https://alerts.talkwalker.com/alerts/manage"}),
        ("nope", {"q": "x"}),
    ],
)
def test_it_refuses_bad_parameters_with_a_message(key, params):
    with pytest.raises(SourceError) as caught:
        build(key, **params)
    assert caught.value.code == "bad_preset"
    assert caught.value.message


def test_it_builds_a_quoted_query_from_a_name_and_aliases():
    assert query_for("Boulangerie Dupont", ["Dupont & Fils", "boulangerie  dupont", ""]) == (
        '"Boulangerie Dupont" OR "Dupont & Fils"'
    )
    assert query_for('Le "Petit" Café') == '"Le Petit Café"'
    assert query_for("") == ""


def test_it_gives_every_search_url_for_a_tracked_name():
    urls = urls_for_name("Mairie de Quimper", ["Ville de Quimper"])
    assert set(urls) == {"google_news", "bing_news", "reddit_search", "hacker_news"}
    query = parse_qs(urlsplit(urls["google_news"]).query)["q"][0]
    assert query == '"Mairie de Quimper" OR "Ville de Quimper"'
    assert urls_for_name("  ") == {}


def test_it_documents_every_preset_with_its_url_template():
    doc = DOC.read_text(encoding="utf-8")
    for preset in PRESETS:
        assert f"`{preset.key}`" in doc, preset.key
        if preset.template != "{url}":
            assert preset.template in doc, preset.template
        assert str(preset.label) and str(preset.help)
    assert len(BY_KEY) == len(PRESETS)
