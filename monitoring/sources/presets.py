"""Search and alert presets: a tracked name (or an account, a tag) -> a feed URL.

Each preset documents its URL template (docs/presets.md is the user-facing copy).
`build(key, **params)` checks the parameters and returns the URL; `query_for`
turns a tracked name and its aliases into a search query.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus, urlsplit

from django.utils.translation import gettext_lazy as _

from monitoring.types import SourceError


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    template: str  # {name} placeholders, filled with URL-encoded parameters
    params: tuple[str, ...]  # required parameters
    optional: dict = field(default_factory=dict)  # parameter -> default
    help: str = ""
    kind: str = "search"  # the Source kind the URL is polled as


PRESETS: list[Preset] = [
    Preset(
        "google_news",
        _("Google News search"),
        "https://news.google.com/rss/search?q={q}&hl={hl}&gl={country}&ceid={country}:{lang}",
        ("q",),
        {"lang": "fr", "country": "FR"},
        _("News articles mentioning the query, newest first (about 100 items)."),
    ),
    Preset(
        "bing_news",
        _("Bing News search"),
        "https://www.bing.com/news/search?q={q}&format=rss&setlang={lang}&cc={country}",
        ("q",),
        {"lang": "fr", "country": "FR"},
        _("News articles mentioning the query, from Bing News."),
    ),
    Preset(
        "reddit_search",
        _("Reddit search"),
        "https://www.reddit.com/search.rss?q={q}&sort=new",
        ("q",),
        help=_("New Reddit posts mentioning the query, in every community."),
    ),
    Preset(
        "reddit_subreddit",
        _("Reddit community"),
        "https://www.reddit.com/r/{subreddit}/new/.rss",
        ("subreddit",),
        help=_("Every new post of one Reddit community (e.g. france, paris)."),
    ),
    Preset(
        "mastodon_tag",
        _("Mastodon hashtag"),
        "https://{instance}/tags/{tag}.rss",
        ("tag",),
        {"instance": "mastodon.social"},
        _("Public posts with this hashtag known to one Mastodon server."),
    ),
    Preset(
        "mastodon_account",
        _("Mastodon account"),
        "https://{instance}/@{user}.rss",
        ("instance", "user"),
        help=_("Public posts of one Mastodon account."),
    ),
    Preset(
        "bluesky_account",
        _("Bluesky account"),
        "https://bsky.app/profile/{handle}/rss",
        ("handle",),
        help=_("Posts of one Bluesky account (handle such as name.bsky.social)."),
    ),
    Preset(
        "youtube_channel",
        _("YouTube channel"),
        "https://www.youtube.com/feeds/videos.xml?channel_id={channel_id}",
        ("channel_id",),
        help=_("The latest videos of a channel; its id starts with UC (see the channel page)."),
    ),
    Preset(
        "youtube_playlist",
        _("YouTube playlist"),
        "https://www.youtube.com/feeds/videos.xml?playlist_id={playlist_id}",
        ("playlist_id",),
        help=_("The latest videos of a playlist (the list= part of its address)."),
    ),
    Preset(
        "hacker_news",
        _("Hacker News search"),
        "https://hnrss.org/newest?q={q}",
        ("q",),
        help=_("New Hacker News stories mentioning the query (through hnrss.org)."),
    ),
    Preset(
        "google_alerts",
        _("Google Alerts feed"),
        "{url}",
        ("url",),
        help=_(
            "Create an alert at google.com/alerts, choose “Deliver to: RSS feed”, "
            "and paste the feed address."
        ),
    ),
    Preset(
        "talkwalker_alerts",
        _("Talkwalker Alerts feed"),
        "{url}",
        ("url",),
        help=_(
            "Create an alert at talkwalker.com/alerts, choose the RSS delivery, and paste "
            "the feed address."
        ),
    ),
]

BY_KEY = {p.key: p for p in PRESETS}


def _bad(message) -> SourceError:
    return SourceError("bad_preset", str(message))


_ALERT_SHAPES = {
    # https://www.google.com/alerts/feeds/<user id>/<alert id>
    "google_alerts": re.compile(
        r"^https://www\.google\.[a-z]{2,3}(\.[a-z]{2})?/alerts/feeds/\d{5,30}/\d{5,30}/?$"
    ),
    # https://alerts.talkwalker.com/alerts/rss/<token>
    "talkwalker_alerts": re.compile(r"^https://alerts\.talkwalker\.com/alerts/rss/[A-Za-z0-9_-]+$"),
}
_CHECKS = {
    "channel_id": (re.compile(r"^UC[A-Za-z0-9_-]{22}$"), _("a YouTube channel id (UC…)")),
    "playlist_id": (re.compile(r"^[A-Za-z0-9_-]{10,64}$"), _("a YouTube playlist id")),
    "subreddit": (re.compile(r"^[A-Za-z0-9_]{2,21}$"), _("a Reddit community name")),
    "instance": (
        re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"),
        _("a server name such as mastodon.social"),
    ),
    "user": (re.compile(r"^[A-Za-z0-9_]{1,30}$"), _("an account name")),
    "tag": (re.compile(r"^\w{1,100}$"), _("a hashtag (letters, digits, _)")),
    "handle": (
        re.compile(r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$|^did:plc:[a-z0-9]{24}$"),
        _("a Bluesky handle such as name.bsky.social"),
    ),
    "lang": (re.compile(r"^[a-z]{2}$"), _("a two-letter language code")),
    "country": (re.compile(r"^[A-Z]{2}$"), _("a two-letter country code")),
}


def build(preset_key: str, **params) -> str:
    """The feed URL of a preset; SourceError("bad_preset", ...) on a missing or bad value."""
    preset = BY_KEY.get(preset_key)
    if preset is None:
        raise _bad(_("unknown search preset: %(key)s") % {"key": preset_key})
    given = {k: v for k, v in params.items() if v not in (None, "")}
    if "country" in preset.optional and "country" not in given and "lang" in given:
        # English coverage of a French business is the US/UK press, not "France in English".
        given["country"] = _COUNTRY_OF.get(str(given["lang"]).strip().lower(), "FR")
    if "user" in given and "instance" not in given:
        # "@name@server" names its server: the account lives there, not on the default.
        _user, _at, server = str(given["user"]).strip().lstrip("@").partition("@")
        if server:
            given["instance"] = server
    values = {**preset.optional, **given}
    for name in preset.params:
        if not str(values.get(name, "")).strip():
            raise _bad(_("this search needs a value for “%(name)s”") % {"name": name})
    values = {k: str(v).strip() for k, v in values.items()}
    if "tag" in values:
        values["tag"] = values["tag"].lstrip("#")
    if "user" in values:
        values["user"] = values["user"].lstrip("@").split("@")[0]
    if "handle" in values:
        values["handle"] = values["handle"].lstrip("@").lower()
    if "instance" in values:
        values["instance"] = _host(values["instance"])
    if "country" in values:
        values["country"] = values["country"].upper()
    if "lang" in values:
        values["lang"] = values["lang"].lower()
    if preset.key in _ALERT_SHAPES:
        return _alert_url(preset, values["url"])
    for name, value in values.items():
        check = _CHECKS.get(name)
        if check and not check[0].match(value):
            raise _bad(_("“%(value)s” is not %(what)s") % {"value": value, "what": check[1]})
    if "q" in values and len(values["q"]) > 500:
        raise _bad(_("this search query is too long"))
    encoded = {k: quote_plus(v) if k == "q" else quote(v, safe="") for k, v in values.items()}
    encoded.setdefault("hl", _google_hl(values.get("lang", "fr"), values.get("country", "FR")))
    return preset.template.format(**encoded)


_COUNTRY_OF = {"fr": "FR", "en": "US", "de": "DE", "es": "ES", "it": "IT", "nl": "NL", "pt": "PT"}


def _google_hl(lang: str, country: str) -> str:
    # Google News wants hl=fr for France and hl=fr-BE-like codes elsewhere, hl=en-US in the US.
    if lang == country.lower():
        return lang
    return f"{lang}-{country}"


def _host(value: str) -> str:
    value = value.strip().lower()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    return value.strip("/")


def _alert_url(preset: Preset, url: str) -> str:
    url = url.strip().replace("http://", "https://", 1)
    if not _ALERT_SHAPES[preset.key].match(url):
        raise _bad(
            _("this does not look like a %(label)s address; copy the RSS link of your alert")
            % {"label": preset.label}
        )
    return url


def query_for(label: str, aliases: list[str] | tuple[str, ...] = ()) -> str:
    """A search query for a tracked name: each name in quotes, joined with OR."""
    names = []
    for name in (label, *aliases):
        name = " ".join((name or "").replace('"', " ").split())
        if name and name.lower() not in (n.lower() for n in names):
            names.append(name)
    return " OR ".join(f'"{n}"' for n in names)


def urls_for_name(label: str, aliases=(), lang: str = "fr", country: str = "FR") -> dict:
    """Feed URLs of the query presets for a tracked name, by preset key."""
    q = query_for(label, aliases)
    if not q:
        return {}
    urls = {}
    for preset in PRESETS:
        if preset.params == ("q",):
            urls[preset.key] = build(preset.key, q=q, lang=lang, country=country)
    return urls


# Pasted alert feeds: the person creates the alert on the service, then pastes its feed.
ALERT_KEYS = ("google_alerts", "talkwalker_alerts")


def choices() -> list[Preset]:
    """The searches a person picks from (pasted alert feeds have their own form)."""
    return [p for p in PRESETS if p.key not in ALERT_KEYS]


def searches_names(preset: Preset) -> bool:
    """Searched with a tracked name (a query), rather than an account or a tag."""
    return tuple(preset.params) == ("q",)


def url_for(key: str, *, names=(), languages=(), value: str = "", **params) -> str:
    """The feed address of a search, the one rule behind the UI and `addsource --preset`.

    `names`: a tracked name then its aliases (query searches); `languages`: the tracked
    name's languages, the first sets the search language; `value`: what a person typed
    for other searches (an account, a tag...); `params`: explicit parameters, which win.
    """
    preset = BY_KEY.get(key)
    if preset is None:
        raise _bad(_("unknown search preset: %(key)s") % {"key": key})
    names = [n for n in names if n]
    if searches_names(preset):
        if names:
            params.setdefault("q", query_for(names[0], names[1:]))
        if languages:
            params.setdefault("lang", languages[0])
        if not params.get("q"):
            raise _bad(_("Choose the tracked name to search for."))
        return build(key, **params)
    value = (value or "").strip()
    if value and tuple(preset.params) == ("instance", "user"):
        # Mastodon accounts are written @user@server.
        user, _at, instance = value.lstrip("@").partition("@")
        params.setdefault("user", user)
        if instance:
            params.setdefault("instance", instance)
    elif value and preset.params:
        params.setdefault(preset.params[0], value)
    return build(key, **params)


def alert_feed(url: str) -> str:
    """A pasted Google Alerts or Talkwalker Alerts feed address, normalised.

    Anything else (the alerts' management page, another site) is refused with the
    same sentence the presets give: following it would never bring an alert.
    """
    for key in ALERT_KEYS:
        try:
            return build(key, url=url)
        except SourceError:
            continue
    raise _bad(
        _(
            "this is not the RSS address of a Google Alert or a Talkwalker Alert: "
            "on the alert, copy the link of its RSS feed"
        )
    )
