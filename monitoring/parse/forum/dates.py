"""Dates of forum posts: machine-readable attributes first, then date-like text.

Forums show dates in every form ("20 Jul 2018 20:59", "Posté le lun. 12 mars 2024",
"il y a 3 jours", "Hier à 10:15", "04-23-2020 at 3:40 pm"). We cut candidate strings out of
the text with a regular expression (so dateparser never sees a whole paragraph, which is
slow and finds dates in numbers) and let dateparser read them.
"""

import re
import warnings
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import dateparser

from monitoring.normalise import language_code

PARIS = ZoneInfo("Europe/Paris")

_MONTHS = (
    r"janv(?:ier)?|f[ée]vr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|"
    r"sept?(?:embre)?|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|october|november|december|"
    r"januar|februar|m[äa]rz|mai|juni|juli|oktober|okt|dezember|dez"
)
_WEEKDAYS = (
    r"lun(?:di)?|mar(?:di)?|mer(?:credi)?|jeu(?:di)?|ven(?:dredi)?|sam(?:edi)?|dim(?:anche)?|"
    r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|"
    r"sat(?:urday)?|sun(?:day)?|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|mo|di|mi|do|fr|sa|so"
)
_UNITS = (
    r"sec(?:onde?)?s?|min(?:ute)?s?|h(?:eure|our|r)?s?|jours?|days?|semaines?|weeks?|"
    r"mois|months?|ans?|ann[ée]es?|years?|sekunden?|minuten?|stunden?|tagen?|wochen?|"
    r"monate?n?|jahre?n?"
)
_TIME = r"\d{1,2}(?:[:h]\d{2}(?::\d{2})?)\s*(?:[ap]\.?m\.?)?"
_AT = r"(?:,?\s*(?:à|at|um|-|,)?\s*" + _TIME + r")?"
_DATE_PATTERNS = [
    # ISO and numeric: 2019-09-29 10:46:47, 29/07/2004, 19h46, 04-23-2020 at 3:40 pm
    r"\b\d{4}[./-]\d{1,2}[./-]\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?" + _AT,
    r"\b\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})\b" + _AT,
    # 16-Jun-20 16:12:14
    r"\b\d{1,2}-(?:" + _MONTHS + r")-\d{2,4}" + _AT,
    # (lun. )12 mars 2024 14:03, Sunday 8th March, 5. Januar 2019 um 03:32
    r"(?:\b(?:"
    + _WEEKDAYS
    + r")\.?,?\s+)?\b\d{1,2}(?:st|nd|rd|th|er|\.)?\s+(?:"
    + _MONTHS
    + r")\.?,?(?:\s+\d{4})?"
    + _AT,
    # (Sat, )Jun 18 '05, 10:24 AM, April 2, 2020 5:15PM, March 30
    r"(?:\b(?:" + _WEEKDAYS + r")\.?,?\s+)?\b(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"
    r"(?:,?\s+(?:\d{4}|'\d{2}))?" + _AT,
    # 11:43pm On Apr 23
    _TIME + r"\s+on\s+(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:,?\s+\d{4})?",
    # il y a 3 jours, vor 2 Stunden, 3 days ago, 1 Jahr 2 Tage her
    r"\b(?:il y a|vor)\s+(?:\d+|une?|einer?m?)\s+(?:" + _UNITS + r")\b",
    r"\b(?:\d+|an?)\s+(?:" + _UNITS + r")(?:,?\s+(?:\d+)\s+(?:" + _UNITS + r"))*\s+(?:ago|her)\b",
    # Aujourd'hui à 10:15, Hier, Yesterday at 5:03 PM, heute um 10:15
    r"\b(?:aujourd['’]hui|hier|avant-hier|today|yesterday|heute|gestern|vorgestern)\b" + _AT,
    # just now / à l'instant
    r"\b(?:just now|[àa] l['’]instant|gerade eben)\b",
]
DATE_RE = re.compile("|".join(f"(?:{p})" for p in _DATE_PATTERNS), re.IGNORECASE)
# Only the relative forms without a marker ("10 Monate 3 Wochen") inside a date-labelled element.
_BARE_RELATIVE = re.compile(
    r"^\s*\d+\s+(?:" + _UNITS + r")(?:,?\s+\d+\s+(?:" + _UNITS + r"))*\s*$", re.IGNORECASE
)

# Dates that are not the post's: member since, last visit, last edit.
SKIP_CONTEXT = re.compile(
    r"(joined|registered|member since|inscrit|inscription|membre depuis|dabei seit|"
    r"mitglied seit|registriert|anmeldedatum|last (?:seen|visit|active|edited)|"
    r"derni[èe]re (?:visite|modification|connexion)|modifi[ée]|edited|bearbeitet|"
    r"zuletzt|birthday|anniversaire|geburtstag|seit)\W{0,3}[^\n]{0,12}$",
    re.IGNORECASE,
)


def date_order(lang: str) -> str:
    """US English writes month first; French, German, British English day first."""
    lang = (lang or "").lower().replace("_", "-")
    if lang == "en" or lang.startswith("en-us"):
        return "MDY"
    return "DMY"


def languages(lang: str) -> list[str]:
    first = language_code(lang)
    out = [first] if first in {"fr", "en", "de", "es", "it", "nl", "pt"} else []
    for lg in ("fr", "en", "de"):
        if lg not in out:
            out.append(lg)
    return out


def aware(dt: datetime, tz=PARIS) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=tz)


def parse_machine(value: str) -> datetime | None:
    """ISO 8601 (time/@datetime, itemprop content) or a Unix timestamp (data-time)."""
    value = (value or "").strip()
    if not value:
        return None
    if re.fullmatch(r"\d{9,13}", value):
        ts = int(value)
        if ts > 10**11:  # milliseconds
            ts //= 1000
        try:
            return datetime.fromtimestamp(ts, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return aware(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


class DateReader:
    """Parses display dates of one page: its language, day order and `now`."""

    def __init__(self, lang: str = "", now: datetime | None = None):
        self.now = aware(now or datetime.now(UTC))
        self.langs = languages(lang)
        self.settings = {
            "TIMEZONE": "Europe/Paris",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "PREFER_DATES_FROM": "past",
            "DATE_ORDER": date_order(lang),
            # dateparser wants a naive base in the local time zone.
            "RELATIVE_BASE": self.now.astimezone(PARIS).replace(tzinfo=None),
        }
        self._cache: dict[str, datetime | None] = {}

    def parse(self, text: str) -> datetime | None:
        text = re.sub(r"\s+", " ", text or "").strip(" ,»·|-")
        text = re.sub(r"(?<=\w)\s+her$", "", text)  # German "1 Jahr 2 Tage her" = ago
        if not text or len(text) > 80:
            return None
        if text in self._cache:
            return self._cache[text]
        dt = None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                dt = dateparser.parse(text, languages=self.langs, settings=self.settings)
        except Exception:  # noqa: BLE001 - dateparser raises many kinds on odd input
            dt = None
        if dt is not None:
            dt = self._plausible(dt, text)
        self._cache[text] = dt
        return dt

    def _plausible(self, dt: datetime, text: str) -> datetime | None:
        # "16-Jun-20" read as 1920 because 2020-06-16 was after `now`: take the century
        # that is not in the future.
        if dt.year < 1980 and re.search(r"\b\d{2}\b", text):
            moved = dt.replace(year=dt.year + 100)
            if moved <= self.now + timedelta(days=2):
                dt = moved
        if dt.year < 1980 or dt > self.now + timedelta(days=2):
            return None
        return dt

    def find(self, text: str, allow_bare: bool = False) -> datetime | None:
        """The first date-like string in `text` that is not a join or edit date."""
        if allow_bare and _BARE_RELATIVE.match(text or ""):
            return self.parse(text)
        for m in DATE_RE.finditer(text or ""):
            before = text[max(0, m.start() - 40) : m.start()]
            if SKIP_CONTEXT.search(before):
                continue
            dt = self.parse(m.group(0))
            if dt is None:
                # "Mer 21 Mar 2018": a French weekday before English months confuses the
                # parser; the weekday adds nothing to the date.
                rest = re.sub(r"^[^\W\d]+\.?,?\s+", "", m.group(0))
                dt = self.parse(rest) if rest != m.group(0) else None
            if dt is not None:
                return dt
        return None

    def has_date(self, text: str) -> bool:
        return any(
            not SKIP_CONTEXT.search(text[max(0, m.start() - 40) : m.start()])
            for m in DATE_RE.finditer(text or "")
        )
