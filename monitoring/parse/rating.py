"""Star ratings of reviews, normalised to [0, 1] (stars / best).

Read from schema.org data (JSON-LD and microdata: Review, reviewRating,
AggregateRating, ratingValue/bestRating) and from the text or attributes of an
element chosen by a CSS selector ("4,5/5", "4 étoiles sur 5", "Rated 4 out of 5",
"★★★★☆", data-rating="4").
"""

import json
import re

from monitoring.parse.text import html_to_text

# Reviews are read from JSON-LD up to this many objects per page.
MAX_JSONLD_OBJECTS = 2000

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_OUT_OF = re.compile(
    _NUMBER + r"\s*(?:/|sur|out of|of|de|étoiles? sur|stars? out of|stars? of)\s*" + _NUMBER,
    re.IGNORECASE,
)
_LONE = re.compile(r"(?<![\d.,])" + _NUMBER + r"(?![\d.,])")
_FULL_STAR, _EMPTY_STAR = "★⭐", "☆"
_STAR_ON = re.compile(r"(full|fill|active|on|checked|selected|yellow|gold)", re.IGNORECASE)
_STAR_HALF = re.compile(r"half", re.IGNORECASE)


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = re.search(_NUMBER, value)
        if match:
            try:
                return float(match.group(1).replace(",", "."))
            except ValueError:
                return None
    return None


def normalise(value, best=None) -> float | None:
    """value / best in [0, 1]; best defaults to the smallest usual scale (5, 10, 20, 100)."""
    number = _number(value)
    if number is None or number < 0:
        return None
    top = _number(best)
    if not top:
        top = next((scale for scale in (5, 10, 20, 100) if number <= scale), None)
    if not top or top <= 0 or number > top:
        return None
    return round(number / top, 4)


def rating_from_text(text: str, best=None) -> float | None:
    text = (text or "").strip()[:200]
    if not text:
        return None
    full = sum(text.count(c) for c in _FULL_STAR)
    empty = text.count(_EMPTY_STAR)
    if full + empty:
        return round(full / (full + empty), 4) if full + empty >= 3 else normalise(full, best)
    match = _OUT_OF.search(text)
    if match:
        return normalise(match.group(1), match.group(2))
    match = _LONE.search(text)
    return normalise(match.group(1), best) if match else None


_VALUE_ATTRS = ("content", "data-rating", "data-score", "data-value", "value", "data-stars")
_LABEL_ATTRS = ("aria-label", "title", "alt", "data-tooltip")


def rating_from_element(element, best=None) -> float | None:
    """A rating from a selected element: attributes, microdata inside, text, star icons."""
    if element is None:
        return None
    best = best or element.get("data-best") or element.get("data-max")
    inner_best = element.select_one('[itemprop="bestRating"]')
    if inner_best is not None and not best:
        best = inner_best.get("content") or inner_best.get_text(" ", strip=True)
    for attr in _VALUE_ATTRS:
        if element.get(attr):
            found = normalise(element[attr], best)
            if found is not None:
                return found
    for attr in _LABEL_ATTRS:
        if element.get(attr):
            found = rating_from_text(element[attr], best)
            if found is not None:
                return found
    inner = element.select_one('[itemprop="ratingValue"]')
    if inner is not None:
        found = normalise(inner.get("content") or inner.get_text(" ", strip=True), best)
        if found is not None:
            return found
    found = rating_from_text(element.get_text(" ", strip=True), best)
    if found is not None:
        return found
    return _star_icons(element)


def _star_icons(element) -> float | None:
    stars = [e for e in element.find_all(True, limit=200) if "star" in " ".join(e.get("class", []))]
    if len(stars) < 3 or len(stars) > 10:
        return None
    score = 0.0
    for star in stars:
        classes = " ".join(star.get("class", []))
        if _STAR_HALF.search(classes):
            score += 0.5
        elif _STAR_ON.search(classes):
            score += 1
    return round(score / len(stars), 4)


# --- microdata ----------------------------------------------------------------------


def _itemtype(element) -> str:
    return (element.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1]


def _scope_of(element):
    """The nearest itemscope above an element."""
    for parent in element.parents:
        if parent.has_attr("itemscope"):
            return parent
    return None


def microdata_rating(element) -> float | None:
    """The rating of one review element (its own, never an AggregateRating inside it)."""
    for value in element.select('[itemprop="ratingValue"]'):
        scope = _scope_of(value)
        if scope is not None and _itemtype(scope) == "AggregateRating":
            continue
        best = None
        if scope is not None:
            best_el = scope.select_one('[itemprop="bestRating"]')
            if best_el is not None:
                best = best_el.get("content") or best_el.get_text(" ", strip=True)
        found = normalise(value.get("content") or value.get_text(" ", strip=True), best)
        if found is not None:
            return found
    return None


def microdata_reviews(soup) -> list:
    """Elements of schema.org/Review microdata (one per review on the page)."""
    return [e for e in soup.select("[itemscope][itemtype]") if _itemtype(e) == "Review"]


def microdata_prop(element, name: str) -> str:
    found = element.select_one(f'[itemprop="{name}"]')
    if found is None:
        return ""
    if found.has_attr("itemscope"):
        inner = found.select_one('[itemprop="name"]')
        if inner is not None:
            found = inner
    for attr in ("content", "datetime"):
        if found.get(attr):
            return str(found[attr])
    return found.get_text(" ", strip=True)


# --- JSON-LD ------------------------------------------------------------------------


def jsonld_objects(soup) -> list[dict]:
    """Every JSON object in the page's JSON-LD blocks, nested ones included."""
    found: list[dict] = []
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        try:
            data = json.loads(script.string or script.get_text() or "")
        except (ValueError, RecursionError):
            continue
        _walk(data, found, depth=0)
    return found


def _walk(data, found: list, depth: int) -> None:
    if depth > 12 or len(found) >= MAX_JSONLD_OBJECTS:
        return
    if isinstance(data, list):
        for item in data:
            _walk(item, found, depth + 1)
    elif isinstance(data, dict):
        found.append(data)
        for value in data.values():
            if isinstance(value, dict | list):
                _walk(value, found, depth + 1)


def types_of(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def jsonld_names(value, separator: str = ", ", people_only: bool = False) -> str:
    """The names in a JSON-LD author value: a string, an object with a name, or a list
    of them, markup and entities decoded. `people_only` leaves organisations out (an
    article's author, not its newspaper). An address is never a name."""
    names = []
    for author in value if isinstance(value, list) else [value]:
        if isinstance(author, dict):
            if people_only and "Organization" in types_of(author):
                continue
            author = author.get("name")
            if isinstance(author, list):
                author = author[0] if author else ""
        if isinstance(author, str):
            names.append(" ".join(html_to_text(author).split()))
    return separator.join(n for n in names if n and not n.startswith("http"))


def jsonld_rating(obj: dict) -> float | None:
    """The reviewRating of a JSON-LD Review."""
    rating = obj.get("reviewRating")
    if isinstance(rating, list):
        rating = rating[0] if rating else None
    if isinstance(rating, dict):
        return normalise(rating.get("ratingValue"), rating.get("bestRating"))
    if isinstance(rating, str | int | float):
        return normalise(rating)
    return None


def aggregate_rating(soup) -> float | None:
    """The page's AggregateRating (a business's average), from JSON-LD or microdata."""
    for obj in jsonld_objects(soup):
        # Nested as {"aggregateRating": {...}}, often without its own @type.
        nested = obj.get("aggregateRating")
        for candidate in (obj, nested) if isinstance(nested, dict) else (obj,):
            if candidate is nested or "AggregateRating" in types_of(candidate):
                found = normalise(candidate.get("ratingValue"), candidate.get("bestRating"))
                if found is not None:
                    return found
    for scope in soup.select("[itemscope][itemtype]"):
        if _itemtype(scope) == "AggregateRating":
            value = microdata_prop(scope, "ratingValue")
            found = normalise(value, microdata_prop(scope, "bestRating") or None)
            if found is not None:
                return found
    return None
