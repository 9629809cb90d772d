"""Three to five recommendations in plain words, chosen by rules from what was found.

Stored as codes in the result (so that the page reads them in the visitor's language
of the moment), written out by `text`. The rules run in order of urgency; the last
ones always apply, so that there are always at least MIN of them.
"""

from django.utils.translation import gettext_lazy as _

from reputation.diagnostic.score import recent, sites, tone_split

MIN, MAX = 3, 5

TEXTS = {
    "answer_negative": _(
        "Recent comments about you are negative: answer each one publicly, calmly, "
        "and offer to settle the matter in private."
    ),
    "ask_reviews": _(
        "We found no customer reviews: ask your happy customers to leave one (a card at "
        "the till, a line in your emails, a QR code)."
    ),
    "answer_reviews": _(
        "Most reviews have no answer: thank the good ones and answer the critical ones; "
        "future customers read the answers too."
    ),
    "improve_rating": _(
        "Your average rating is below 3.5 out of 5: read what the low ratings have in "
        "common and fix that first, then say so in your answers."
    ),
    "one_source": _(
        "Everything we found comes from a single site: get listed where your customers "
        "look (Google Business Profile, Pages Jaunes, review sites of your trade)."
    ),
    "be_seen": _(
        "The web says little about you: tell the local press and bloggers about your "
        "news (an opening, an event, a new product)."
    ),
    "no_recent": _(
        "Nothing recent was found: post your news regularly on your website and your "
        "listings so that people see you are active."
    ),
    "add_feed": _(
        "Your website has no news feed: add a news or blog page with a feed, so that "
        "your news is found and followed."
    ),
    "add_website": _(
        "Give your business a website (even one page) with your hours, address and "
        "reviews: it is what people check first."
    ),
    "monitor": _(
        "Keep an eye on it: what is said about you changes every week, and the first "
        "answer counts most."
    ),
    "keep_asking": _(
        "Keep asking for reviews: a steady flow of recent reviews weighs more than an "
        "old high average."
    ),
    "check_names": _(
        "Search for the other names people use for you (old name, a manager's name, "
        "your products) to find what this snapshot missed."
    ),
}


def choose(result: dict, now=None) -> list[str]:
    mentions = result.get("mentions", [])
    reviews = result.get("reviews", {})
    split = tone_split(mentions)
    negative_recent = [m for m in recent(mentions, now) if m["tone"] == "negative"]
    rules = [
        ("answer_negative", bool(negative_recent)),
        ("ask_reviews", not reviews.get("read")),
        ("improve_rating", reviews.get("average") is not None and reviews["average"] < 0.7),
        (
            "answer_reviews",
            bool(reviews.get("read")) and reviews.get("answered", 0) < reviews["read"] / 2,
        ),
        ("one_source", len(sites(mentions)) <= 1),
        ("be_seen", len(mentions) < 5),
        ("no_recent", bool(mentions) and not recent(mentions, now)),
        ("add_feed", bool(result.get("website")) and not result.get("feeds")),
        ("add_website", not result.get("website")),
        ("answer_reviews", split["negative"] > split["positive"]),
        ("keep_asking", True),
        ("monitor", True),
        ("check_names", True),
    ]
    chosen: list[str] = []
    for code, applies in rules:
        if applies and code not in chosen:
            chosen.append(code)
    # The always-true rules come last: at least MIN, at most MAX, "monitor" kept.
    if len(chosen) > MAX:
        chosen = [*chosen[: MAX - 1], "monitor"]
    return chosen[: max(MIN, min(MAX, len(chosen)))]


def text(code: str) -> str:
    return str(TEXTS.get(code, ""))
