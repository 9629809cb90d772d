"""Web pages with CSS selectors, the preview for the UI, ratings, and the fallback."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from monitoring.parse import rating
from monitoring.parse.html import parse_page, preview
from monitoring.tools.shared_data import shared_data
from monitoring.types import SourceError
from tests.shared import needs


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (msgids); the UI's French comes from the catalogue."""
    with translation.override("en"):
        yield


GRABY = shared_data("pages", "graby-fr")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

REVIEWS_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Avis - Boulangerie Dupont</title>
<base href="https://avis.example.fr/boulangerie-dupont/"></head>
<body>
<div class="summary" itemscope itemtype="https://schema.org/AggregateRating">
  <span itemprop="ratingValue">3,5</span>/<span itemprop="bestRating">5</span></div>
<article class="avis">
  <h3><a href="avis/101">Excellent pain</a></h3>
  <span class="auteur">Marie L.</span> <span class="quand">il y a 3 jours</span>
  <span class="note" aria-label="Note : 5 sur 5">★★★★★</span>
  <p class="texte">Le meilleur pain du quartier, accueil chaleureux.</p>
</article>
<article class="avis">
  <h3><a href="/boulangerie-dupont/avis/102">Déçu</a></h3>
  <span class="auteur">Paul</span> <span class="quand">12 mars 2024</span>
  <span class="note" data-rating="1">★☆☆☆☆</span>
  <p class="texte">Croissants rassis <script>track()</script>et service lent.</p>
</article>
<article class="avis">
  <h3>Correct</h3>
  <span class="auteur">Anonyme</span> <span class="quand">hier</span>
  <span class="note">3/5</span>
  <p class="texte">Rien à redire.</p>
</article>
</body></html>"""

CONFIG = {
    "item": "article.avis",
    "title": "h3",
    "link": "h3 a",
    "author": ".auteur",
    "date": ".quand",
    "body": ".texte",
    "rating": ".note",
}
URL = "https://avis.example.fr/boulangerie-dupont/page-1.html"


def test_it_extracts_items_with_selectors():
    now = datetime.now(UTC)
    entries, warnings = preview(REVIEWS_PAGE, URL, CONFIG)
    assert [e.title for e in entries] == ["Excellent pain", "Déçu", "Correct"]
    first, second, third = entries
    # Relative links resolved against <base>, absolute paths against the host.
    assert first.url == "https://avis.example.fr/boulangerie-dupont/avis/101"
    assert second.url == "https://avis.example.fr/boulangerie-dupont/avis/102"
    assert third.url == ""
    assert [e.author for e in entries] == ["Marie L.", "Paul", "Anonyme"]
    assert second.text == "Croissants rassis et service lent."
    assert all(e.language == "fr" for e in entries)
    # French dates, relative and absolute.
    assert abs(first.published - (now - timedelta(days=3))) < timedelta(minutes=5)
    assert second.published.date().isoformat() in ("2024-03-11", "2024-03-12")
    assert abs(third.published - (now - timedelta(days=1))) < timedelta(minutes=5)
    # Each review has its own rating.
    assert [e.rating for e in entries] == [1.0, 0.2, 0.6]
    # The third item has no link: the preview says so, but it is no error.
    assert warnings == ["the link selector matched nothing in 1 of 3 items"]
    assert third.guid and third.guid != first.guid


def test_it_warns_about_selectors_that_match_nothing():
    entries, warnings = preview(REVIEWS_PAGE, URL, {"item": ".review-card"})
    assert entries == []
    assert warnings == ["the item selector matched nothing on this page"]
    entries, warnings = preview(REVIEWS_PAGE, URL, {**CONFIG, "author": ".author-name"})
    assert len(entries) == 3 and all(e.author == "" for e in entries)
    assert "the author selector matched nothing in 3 of 3 items" in warnings


def test_it_warns_when_dates_cannot_be_read():
    html = "<div class=i><a href=/x>t</a><span class=d>bientôt peut-être</span></div>"
    entries, warnings = preview(html, "https://e.fr/", {"item": ".i", "date": ".d"})
    assert entries[0].published is None
    assert "the date could not be read in 1 of 1 items" in warnings


def test_it_reports_invalid_selectors_by_name():
    entries, warnings = preview(REVIEWS_PAGE, URL, {**CONFIG, "date": "span[[["})
    assert entries == []
    assert warnings == ["the date selector “span[[[” is not a valid CSS selector"]
    with pytest.raises(SourceError) as caught:
        parse_page(REVIEWS_PAGE, URL, {**CONFIG, "item": "div >> p"})
    assert caught.value.code == "bad_selector"


def test_it_uses_sensible_defaults_with_only_an_item_selector():
    html = """<html lang="en"><body><ul>
      <li class="post"><h2>First post</h2><a href="/p/1">read</a><p>Body one</p></li>
      <li class="post"><a href="https://other.example/p/2">Second post</a></li>
    </ul></body></html>"""
    entries, warnings = preview(html, "https://blog.example/", {"item": "li.post"})
    assert [(e.title, e.url) for e in entries] == [
        ("First post", "https://blog.example/p/1"),
        ("Second post", "https://other.example/p/2"),
    ]
    assert "Body one" in entries[0].text
    assert entries[0].language == "en"
    assert warnings == []


def test_it_reads_dates_from_time_elements_and_attributes():
    html = """<div class=i><a href=/1>a</a>
    <time datetime="2024-02-01T10:00:00+01:00">1 fév</time></div>
    <div class=i><a href=/2>b</a><span class=d title="2023-12-25">Noël</span></div>"""
    entries, _ = preview(html, "https://e.fr/", {"item": ".i", "date": "time, .d"})
    assert entries[0].published == datetime(2024, 2, 1, 9, 0, tzinfo=UTC)
    assert entries[1].published.date().isoformat() in ("2023-12-24", "2023-12-25")


def test_it_bounds_the_number_of_items():
    html = "<ul>" + "".join(f"<li><a href='/{i}'>n{i}</a></li>" for i in range(2000)) + "</ul>"
    entries, _ = preview(html, "https://e.fr/", {"item": "li"})
    assert len(entries) == 300


def test_it_requires_selectors_for_a_page_that_is_neither_article_nor_reviews():
    html = "<html><body><ul><li><a href='/a'>A</a></li><li><a href='/b'>B</a></li></ul></body>"
    with pytest.raises(SourceError) as caught:
        parse_page(html, "https://e.fr/", {})
    assert caught.value.code == "needs_selectors"
    assert "CSS selectors" in caught.value.message
    entries, warnings = preview(html, "https://e.fr/", {})
    assert entries == [] and warnings == ["choose a CSS selector for the items of this page"]


@needs("pages", "graby-fr")
def test_it_falls_back_to_the_article_without_selectors():
    page = GRABY / "tests" / "fixtures" / "content" / "20minutes-jsonld.html"
    parsed = parse_page(
        page.read_text(encoding="utf-8", errors="replace"), "https://www.20minutes.fr/x", {}
    )
    assert len(parsed.entries) == 1
    entry = parsed.entries[0]
    assert (
        entry.title
        == "Stade Rennais: Le Portugais Paulo Fonseca pour remplacer Christian Gourcuff?"
    )
    assert entry.author == "Jeremy Goujon"
    assert entry.published is not None


# --- ratings ------------------------------------------------------------------------


JSONLD_REVIEWS = """<html lang="fr"><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Restaurant", "name": "Chez Dupont",
 "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.1", "reviewCount": "2"},
 "review": [
  {"@type": "Review", "author": {"@type": "Person", "name": "Léa"},
   "datePublished": "2024-05-02", "reviewBody": "Cuisine <b>délicieuse</b>.",
   "reviewRating": {"@type": "Rating", "ratingValue": "9", "bestRating": "10"}},
  {"@type": "Review", "author": "Marc", "name": "Bof",
   "reviewBody": "Trop cher.", "reviewRating": {"ratingValue": 2}}
 ]}
</script><script type="application/ld+json">{"broken json</script></head><body></body></html>"""

MICRODATA_REVIEWS = """<html lang="en"><body>
<div itemscope itemtype="http://schema.org/Product"><span itemprop="name">Widget</span>
 <div itemprop="aggregateRating" itemscope itemtype="http://schema.org/AggregateRating">
   <span itemprop="ratingValue">4.4</span> of <span itemprop="bestRating">5</span></div>
 <div itemprop="review" itemscope itemtype="http://schema.org/Review">
   <span itemprop="name">Great widget</span> by
   <span itemprop="author" itemscope itemtype="http://schema.org/Person">
     <span itemprop="name">Ann</span></span>
   <meta itemprop="datePublished" content="2024-01-15">
   <div itemprop="reviewRating" itemscope itemtype="http://schema.org/Rating">
     <meta itemprop="worstRating" content="1"><span itemprop="ratingValue">4</span>/
     <span itemprop="bestRating">5</span></div>
   <span itemprop="reviewBody">Works as described.</span></div>
 <div itemprop="review" itemscope itemtype="http://schema.org/Review">
   <span itemprop="name">Broke</span>
   <div itemprop="reviewRating" itemscope itemtype="http://schema.org/Rating">
     <meta itemprop="ratingValue" content="1"></div>
   <span itemprop="reviewBody">Broke after a week.</span></div>
</div></body></html>"""


def test_it_reads_each_review_of_json_ld_with_its_own_rating():
    parsed = parse_page(JSONLD_REVIEWS, "https://e.fr/chez-dupont", {})
    assert [(e.author, e.text, e.rating) for e in parsed.entries] == [
        ("Léa", "Cuisine délicieuse.", 0.9),
        ("Marc", "Trop cher.", 0.4),
    ]
    assert parsed.entries[0].published.date().isoformat() in ("2024-05-01", "2024-05-02")
    assert parsed.entries[0].guid != parsed.entries[1].guid
    assert rating.aggregate_rating(BeautifulSoup(JSONLD_REVIEWS, "lxml")) == 0.82


def test_it_reads_each_review_of_microdata_with_its_own_rating():
    parsed = parse_page(MICRODATA_REVIEWS, "https://shop.example/widget", {})
    assert [(e.title, e.author, e.text, e.rating) for e in parsed.entries] == [
        ("Great widget", "Ann", "Works as described.", 0.8),
        ("Broke", "", "Broke after a week.", 0.2),
    ]
    assert parsed.entries[0].language == "en"
    soup = BeautifulSoup(MICRODATA_REVIEWS, "lxml")
    assert rating.aggregate_rating(soup) == 0.88


def test_it_reads_microdata_ratings_inside_selected_items():
    entries, _ = preview(MICRODATA_REVIEWS, "https://shop.example/w", {"item": "[itemprop=review]"})
    assert [e.rating for e in entries] == [0.8, 0.2]


@pytest.mark.parametrize(
    "markup, expected",
    [
        ('<span class="r">4,5/5</span>', 0.9),
        ('<span class="r">4 étoiles sur 5</span>', 0.8),
        ('<span class="r">Rated 3 out of 5 stars</span>', 0.6),
        ('<span class="r">★★★★☆</span>', 0.8),
        ('<span class="r" data-rating="2"></span>', 0.4),
        ('<span class="r" aria-label="Note : 7 sur 10"></span>', 0.7),
        ('<span class="r">17/20</span>', 0.85),
        (
            '<div class="r"><i class="star full"></i><i class="star full"></i>'
            '<i class="star half"></i><i class="star empty"></i><i class="star empty"></i></div>',
            0.5,
        ),
        ('<span class="r">pas de note</span>', None),
        ('<span class="r">9/5</span>', None),
    ],
)
def test_it_normalises_css_selected_ratings(markup, expected):
    element = BeautifulSoup(markup, "html.parser").select_one(".r")
    assert rating.rating_from_element(element) == expected


def test_it_survives_hostile_pages():
    hostile = (
        "",
        "<",
        "\x00" * 1000,
        "<div>" * 200,
        "<script type='application/ld+json'>[[</script>",
    )
    for html in hostile:
        entries, warnings = preview(html, "https://e.fr/", {"item": "div"})
        assert isinstance(entries, list) and isinstance(warnings, list)
        with pytest.raises(SourceError):
            parse_page(html, "https://e.fr/", {})


def test_it_stops_reading_a_page_past_its_time_budget(monkeypatch):
    from monitoring.parse import html as html_module

    monkeypatch.setattr(html_module, "PAGE_BUDGET_SECONDS", 0.3)
    nested = "<div><a href='/x'>x</a>" * 3000  # nested items make CSS matching quadratic
    started = time.monotonic()
    entries, warnings = preview(nested, "https://e.fr/", {"item": "div", "title": "a"})
    assert time.monotonic() - started < 6
    assert any("too complex" in w for w in warnings)
    assert 0 < len(entries) < 300


BLOG_LISTING = """<html lang="fr"><head><title>Blog de la mairie</title></head><body>
<nav><a href="/">Accueil</a><a href="/contact">Contact</a></nav>
<main>
<article class="post"><a href="/categorie/vie-locale">Vie locale</a>
  <h2 class="entry-title"><a href="/2024/03/marche-de-printemps/">Marché de printemps</a></h2>
  <time datetime="2024-03-12T08:00:00+01:00">12 mars 2024</time>
  <span class="author">Service communication</span><p>Le marché revient place du Centre.</p>
</article>
<article class="post"><a href="/categorie/travaux">Travaux</a>
  <h2 class="entry-title"><a href="/2024/03/travaux-rue-haute/">Travaux rue Haute</a></h2>
  <time datetime="2024-03-10T08:00:00+01:00">10 mars 2024</time><p>Circulation alternée.</p>
</article>
<article class="post"><a href="/2024/03/conseil/"><h2>Conseil municipal</h2></a>
  <span class="date">il y a 2 jours</span><p>Ordre du jour publié.</p>
</article>
<article class="pub"><div class="ad">Publicité</div></article>
</main></body></html>"""


def test_it_reads_a_listing_of_article_cards_without_selectors():
    parsed = parse_page(BLOG_LISTING, "https://mairie.example.fr/blog/", {})
    assert [(e.title, e.url) for e in parsed.entries] == [
        ("Marché de printemps", "https://mairie.example.fr/2024/03/marche-de-printemps/"),
        ("Travaux rue Haute", "https://mairie.example.fr/2024/03/travaux-rue-haute/"),
        ("Conseil municipal", "https://mairie.example.fr/2024/03/conseil/"),
    ]
    first, _second, third = parsed.entries
    assert first.published == datetime(2024, 3, 12, 7, 0, tzinfo=UTC)
    assert first.author == "Service communication"
    assert "place du Centre" in first.text
    assert third.published is not None  # "il y a 2 jours", relative to now
    assert all(e.language == "fr" for e in parsed.entries)


@pytest.mark.parametrize(
    "html",
    [
        # Two cards are not a listing.
        "<article><h2><a href='/a'>A</a></h2></article>"
        "<article><h2><a href='/b'>B</a></h2></article>",
        # Cards without a linked heading.
        "<article><h2>A</h2><a href='/a'>lire</a></article>" * 4,
        # Nested articles (a post and its comments) are not cards.
        "<article><h2><a href='/a'>A</a></h2>"
        + "<article><h3><a href='/c'>c</a></h3></article>" * 3
        + "</article>",
    ],
)
def test_it_does_not_guess_cards_on_other_pages(html):
    with pytest.raises(SourceError) as caught:
        parse_page(f"<html><body>{html}</body></html>", "https://e.fr/", {})
    assert caught.value.code == "needs_selectors"


@needs("pages", "graby-fr")
def test_it_reads_the_cards_of_a_real_magazine_home_page():
    page = GRABY / "tests" / "fixtures" / "content" / "rollingstone.html"
    html = page.read_bytes().decode("utf-8", errors="replace")
    parsed = parse_page(html, "https://www.rollingstone.com/", {})
    assert len(parsed.entries) >= 40  # 65 <article> elements, a dozen of them ad slots
    assert parsed.entries[0].title == "Alexandria Ocasio-Cortez, Crusher of Sacred Cows"
    own = [e for e in parsed.entries if e.url.startswith("https://www.rollingstone.com/")]
    assert len(own) >= len(parsed.entries) - 5  # a few cards link to partner sites
    assert len({e.url for e in parsed.entries}) == len(parsed.entries)
