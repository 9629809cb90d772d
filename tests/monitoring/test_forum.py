"""Forum post extraction on real thread pages of the harvest gold corpus (../shared)."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from monitoring.parse.forum import extract_forum_posts
from monitoring.parse.forum.dates import DateReader
from monitoring.types import SourceError
from tests.shared import require

GOLD = ("forums", "harvest-gold", "corpus", "goldDocuments")
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2020, 6, 1, 12, 0, tzinfo=UTC)


def gold(name: str) -> dict:
    return json.loads((require(*GOLD) / name).read_text(encoding="utf-8"))


def extract(name: str, config=None, now=NOW):
    doc = gold(name)
    return extract_forum_posts(doc["html"], doc["url"], config, now=now)


def test_it_extracts_phpbb_posts_with_author_date_and_permalink():
    posts = extract("forum.videolan.org.viewtopic.php.json")
    assert len(posts) == 5
    first = posts[0]
    assert first.author == "Mari"
    assert first.published == datetime(2018, 7, 20, 20, 59, tzinfo=PARIS)
    assert first.url.startswith("https://forum.videolan.org/viewtopic.php?")
    assert first.url.endswith("#p477321")
    assert first.guid == first.url
    assert first.text.startswith("Hi, I've been using VLC for a few months now")
    assert first.language == "en"
    assert first.title == "Recording primary monitor in dual monitor setup"
    assert [p.published.date().isoformat() for p in posts[:2]] == ["2018-07-20", "2018-07-23"]


def test_it_extracts_vbulletin_posts_without_signatures():
    posts = extract("www.msworld.org.forum.showthread.php.json")
    assert len(posts) == 15
    reply = posts[1]
    assert reply.author == "Seasha"
    # 04-06-2019 on an American board is April 6th.
    assert reply.published == datetime(2019, 4, 6, 21, 29, tzinfo=PARIS)
    assert reply.text.startswith("Hi Crazyguy and welcome the the boards!")
    assert "1st sx '89" not in reply.text  # her signature
    assert reply.url.endswith("#post1518962")


def test_it_extracts_xenforo_posts():
    posts = extract("forum.digitalfernsehen.de.threads.erneuerbare-energie.413489..json")
    assert len(posts) == 5
    assert [p.author for p in posts[:2]] == ["siegi", "DVB-T2 HD"]
    assert posts[1].published.date().isoformat() == "2019-11-11"
    assert posts[1].url.endswith("#post-8754331")
    assert posts[0].language == "de"


def test_it_removes_quoted_posts_from_xenforo_replies():
    posts = extract("forums.sherdog.com.threads.all-time-goat-poll.3916359..json")
    reply = next(p for p in posts if "Mighty Mouse weighed" in p.text)
    assert "Click to expand" not in reply.text
    assert "Cleaned out his division" not in reply.text


def test_it_extracts_discourse_crawler_posts():
    posts = extract("forum.glamour.de.t.nebenwirkungen-aknenormin.345148.2.json")
    assert [p.author for p in posts] == ["Steffi_Schramm", "Divina", "flowerprint"]
    # datePublished, not the time of the last edit shown beside it.
    assert posts[1].published == datetime(2020, 3, 7, 23, 44, 49, tzinfo=UTC)
    assert posts[2].text == "Die Tabletten absetzen und zum Arzt gehen?"


def test_it_reads_french_dates_and_skips_advertising_slots():
    posts = extract("forums.futura-sciences.com.annonces-officielles.78761-moderateurs.html.json")
    assert posts[0].author == "Yoyo"
    assert posts[0].published == datetime(2006, 5, 10, 13, 16, tzinfo=PARIS)  # 10/05/2006, 13h16
    assert posts[0].language == "fr"
    assert all(p.author != "Publicité" for p in posts)


def test_it_extracts_a_french_phpbb_thread():
    posts = extract("forums.maladiesraresinfo.org.post11011.html.json")
    assert [p.author for p in posts[:2]] == ["Nanette63", "camille59"]
    assert posts[0].published == datetime(2018, 1, 8, 15, 33, tzinfo=PARIS)
    assert posts[1].text.startswith("bienvenue à vous et à votre fille")


def test_it_finds_posts_of_an_unknown_table_layout():
    posts = extract("myparkinsons.org.cgi-bin.forum.topic_show.pl.json")
    assert len(posts) == 11  # the gold annotates the first 9 of the page's 11 posts
    assert posts[-1].author == "debspottery1"
    assert [p.author for p in posts[:2]] == ["reluctantcare", "lurkingforacure"]
    assert posts[1].published == datetime(2019, 8, 3, 22, 17, tzinfo=PARIS)
    assert posts[1].text.startswith("Wait-you're afraid he might lose his license soon?")


def test_it_gives_yearless_dates_the_latest_past_year():
    name = "www.nairaland.com.5813456.how-snakes-get-into-toilet.json"  # "9:00am On Apr 24"
    assert extract(name)[0].published == datetime(2020, 4, 24, 9, 0, tzinfo=PARIS)
    later = extract(name, now=datetime(2021, 6, 1, tzinfo=UTC))
    assert later[0].published == datetime(2021, 4, 24, 9, 0, tzinfo=PARIS)


def test_it_prefers_the_absolute_date_of_a_tooltip():
    posts = extract("proxer.me.forum.142-anime.386798-kann-keine-anime-mehr-abspielen.json")
    # Shown "10 Monate 3 Wochen her", title="05 Jun 2019 02:24".
    assert posts[0].published == datetime(2019, 6, 5, 2, 24, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("il y a 3 jours", datetime(2024, 3, 17, 13, 0, tzinfo=PARIS)),
        ("Aujourd'hui à 10:15", datetime(2024, 3, 20, 10, 15, tzinfo=PARIS)),
        ("Hier", datetime(2024, 3, 19, 13, 0, tzinfo=PARIS)),
        ("Posté le lun. 12 mars 2024 14:03", datetime(2024, 3, 12, 14, 3, tzinfo=PARIS)),
        ("Inscrit le 2 janv. 2020 — Posté le 12 mars 2024", datetime(2024, 3, 12, tzinfo=PARIS)),
        ("3 days ago", datetime(2024, 3, 17, 13, 0, tzinfo=PARIS)),
    ],
)
def test_it_reads_french_and_english_display_dates(shown, expected):
    reader = DateReader("fr", datetime(2024, 3, 20, 12, 0, tzinfo=UTC))
    assert reader.find(shown) == expected


def test_it_uses_the_sources_selectors_over_detection():
    name = "forum.videolan.org.viewtopic.php.json"
    posts = extract(name, {"post": "div.post", "body": "h3", "author": "dl.postprofile dt a"})
    assert len(posts) == 5
    assert posts[0].text == "Recording primary monitor in dual monitor setup"  # the h3
    assert posts[0].author == "Mari"


def test_it_falls_back_to_detection_when_the_override_matches_nothing():
    posts = extract("forum.videolan.org.viewtopic.php.json", {"post": "div.no-such-thing"})
    assert len(posts) == 5
    bad = extract("forum.videolan.org.viewtopic.php.json", {"post": "div[", "body": "::nope"})
    assert len(bad) == 5


@pytest.mark.parametrize(
    "page",
    [
        "",
        "   ",
        "<html></html>",
        "\x00\x01\x02 binary \xff",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>Bonjour</p></body></html>",
        "<div>" * 100_000 + "il y a 3 jours" + "</div>" * 100_000,
        "<table>" + "<tr><td>x" * 20_000,
        "<p>Le 12 mars 2024, rien.</p>" * 5_000,
    ],
)
def test_it_raises_only_source_error_on_hostile_or_postless_html(page):
    with pytest.raises(SourceError) as caught:
        extract_forum_posts(page, "https://example.org/t/1", now=NOW)
    assert caught.value.code == "no_posts"
    assert caught.value.message


def test_it_raises_source_error_on_a_news_article():
    article = sorted(require("pages", "graby-fr").rglob("*.html"))[0]
    html = article.read_text(encoding="utf-8", errors="replace")
    try:
        posts = extract_forum_posts(html, "https://example.org/article", now=NOW)
    except SourceError as exc:
        assert exc.code == "no_posts"
    else:  # comment sections are legitimately posts; they must still be well formed
        assert all(p.text and p.url for p in posts)
