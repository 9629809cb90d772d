"""Evaluation of forum post extraction against hand-checked gold threads.

Gold format (fhgr/harvest corpus/goldDocuments): one JSON per thread with `url`, `html`
and `gold_standard_annotation`, a list of posts with `post_text`, `datetime`, `user`
(a profile link when the page has one, else the displayed name) and `post_link`.

Definitions (also printed by `manage.py evalextract --help`):
- Gold posts without any word in their text (a picture, a video) are left out.
- A gold post and an extracted post match when the Dice overlap of their word multisets
  (lower-cased \\w+ tokens) is >= MATCH_THRESHOLD; pairs are assigned one-to-one, best
  overlap first. Then, because the gold keeps quoted posts inside replies while the
  extractor removes them, an unmatched extracted post lying between the same matched
  neighbours matches an unmatched gold post when >= CONTAINED of its words are in it.
  Precision = matched extracted / extracted; recall = matched gold / gold.
- Gold date: the gold surface form read by the same date reader with the same `now`.
  `now` is the latest machine-readable timestamp on the page (an estimate of when it was
  fetched, so "11 days ago" can be checked) or --now when the page has none.
  A date is correct when it is within 24 h of the gold date (14 h when the gold shows a
  time of day) or, for a gold date without time, on the same calendar day in the
  extracted timestamp's own UTC offset: pages show local time, machine timestamps
  are often UTC. Relative gold
  dates ("11 days ago") get 48 h, gold dates with only a month ("September 2019") need
  the same month.
- Gold author: a profile link is resolved to the text of the page's links to it ("View
  X's profile" read as X; links whose text is "Quote" and the like are ignored; a link
  that resolves to nothing leaves the post out of the author figure).
  Correct when equal after case and space folding.
- Recall of posts with correct dates = gold posts matched AND with a correct date / gold
  posts with a readable gold date.
"""

import html as htmlmod
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lxml.html

from monitoring.parse.forum import extract_with_engine
from monitoring.parse.forum.dates import DateReader, parse_machine
from monitoring.tools.shared_data import shared_data

MATCH_THRESHOLD = 0.5
CONTAINED = 0.9
DEFAULT_NOW = datetime(2020, 7, 1, 12, 0, tzinfo=UTC)
DEFAULT_PATH = shared_data("forums", "harvest-gold")


@dataclass
class Score:
    docs: int = 0
    gold: int = 0
    extracted: int = 0
    matched: int = 0
    author_checked: int = 0
    author_ok: int = 0
    date_checked: int = 0
    date_ok: int = 0
    gold_dated: int = 0  # gold posts whose gold date is readable
    matched_date_ok: int = 0
    seconds: float = 0.0
    failures: list = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for name in (
            "docs", "gold", "extracted", "matched", "author_checked", "author_ok",
            "date_checked", "date_ok", "gold_dated", "matched_date_ok", "seconds",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def author_accuracy(self) -> float:
        return self.author_ok / self.author_checked if self.author_checked else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.date_ok / self.date_checked if self.date_checked else 0.0

    @property
    def dated_recall(self) -> float:
        return self.matched_date_ok / self.gold_dated if self.gold_dated else 0.0


def gold_files(path: Path, limit: int | None = None) -> list[Path]:
    folder = path / "corpus/goldDocuments" if (path / "corpus/goldDocuments").is_dir() else path
    files = sorted(folder.glob("*.json"))
    return files[:limit] if limit else files


def tokens(s: str) -> Counter:
    return Counter(re.findall(r"\w+", (s or "").lower()))


def dice(a: Counter, b: Counter) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


def match_posts(gold_texts: list[str], found_texts: list[str]) -> dict[int, int]:
    """{gold index: extracted index}, one-to-one, best overlap first."""
    g_tok = [tokens(t) for t in gold_texts]
    f_tok = [tokens(t) for t in found_texts]
    pairs = []
    for i, g in enumerate(g_tok):
        for j, f in enumerate(f_tok):
            s = dice(g, f)
            if s >= MATCH_THRESHOLD:
                pairs.append((s, -abs(i - j), i, j))
    pairs.sort(reverse=True)
    out, used = {}, set()
    for _s, _d, i, j in pairs:
        if i in out or j in used:
            continue
        out[i] = j
        used.add(j)
    # Second pass: the gold keeps the quoted post inside a reply, we remove it. A reply
    # that sits between the same matched neighbours and whose words are nearly all in the
    # gold post is that post.
    for i, g in enumerate(g_tok):
        if i in out:
            continue
        lo = max((out[k] for k in out if k < i), default=-1)
        hi = min((out[k] for k in out if k > i), default=len(f_tok))
        for j in range(lo + 1, hi):
            if j in used or not f_tok[j]:
                continue
            if containment(f_tok[j], g) >= CONTAINED:
                out[i] = j
                used.add(j)
                break
    return out


def containment(part: Counter, whole: Counter) -> float:
    total = sum(part.values())
    return sum((part & whole).values()) / total if total else 0.0


def page_now(root, default: datetime) -> datetime:
    """Latest machine-readable timestamp of the page: about when it was fetched."""
    latest = None
    if root is None:
        return default
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("datetime", "data-time", "data-timestamp"):
            dt = parse_machine(el.get(attr) or "")
            if dt and dt.year <= 2035 and (latest is None or dt > latest):
                latest = dt
    return latest + timedelta(minutes=1) if latest else default


def gold_author(surface: str, links: dict[str, Counter]) -> str:
    surface = (surface or "").strip()
    if not surface:
        return ""
    if re.search(r"[/?=#]", surface) or surface.startswith("http"):
        names = Counter()
        for name, n in (links.get(htmlmod.unescape(surface)) or Counter()).items():
            m = LINK_PHRASE.match(name)
            name = ONLINE.sub("", m.group(1) if m else name)
            # One-letter texts are letter avatars linking to the same profile.
            if len(name) > 1 and not NOT_A_NAME.match(name):
                names[name] += n
        return names.most_common(1)[0][0] if names else ""
    return surface


# Profile links whose text is a phrase around the name, or not a name at all.
LINK_PHRASE = re.compile(r"^(?:view|go to|visit)\s+(.+?)['’]s (?:profile|page)$", re.I)
ONLINE = re.compile(r"\s+is (?:offline|online(?: now)?)$", re.I)
NOT_A_NAME = re.compile(r"^(quote|reply|profile|view profile|report|pm|message)$", re.I)
RELATIVE = re.compile(
    r"ago|il y a|\bvor\b|\bher\b|monate|wochen|tage|stunden|minuten|yesterday|today|hier|"
    r"aujourd|heute|gestern",
    re.I,
)


def norm_name(s: str) -> str:
    return re.sub(r"\s+", "", (s or "").casefold())


def _links(root) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    if root is None:
        return out
    for a in root.iter("a"):
        href = a.get("href")
        name = re.sub(r"\s+", " ", a.text_content() or "").strip() or (a.get("title") or "")
        if href and name and len(name) <= 60:
            out.setdefault(href, Counter())[name] += 1
    return out


MONTH_ONLY = re.compile(r"^\s*[^\W\d]+\.?\s+\d{4}\s*$")


def date_ok(found: datetime | None, gold: datetime, has_time: bool, surface: str = "") -> bool:
    if found is None:
        return False
    if MONTH_ONLY.match(surface):  # "September 2019": the gold only knows the month
        local = found.astimezone(gold.tzinfo)
        return (local.year, local.month) == (gold.year, gold.month)
    if not has_time and found.date() == gold.date():
        # A date without time is the site's calendar day; a machine timestamp carrying the
        # site's UTC offset (2020-04-19T22:45-07:00) is on that same day.
        return True
    limit = timedelta(hours=14) if has_time else timedelta(hours=24)
    if RELATIVE.search(surface):
        # "11 days ago" is truncated and our `now` is only an estimate of the fetch time.
        limit = timedelta(hours=48)
    return abs(found - gold) <= limit


def evaluate_document(path: Path, default_now: datetime = DEFAULT_NOW):
    """(Score, engine, details) for one gold thread."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    page = doc.get("html") or ""
    url = doc.get("url") or ""
    try:
        root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", page))
    except Exception:  # noqa: BLE001 - an unreadable gold page scores zero, not a crash
        root = None
    now = page_now(root, default_now)
    lang = (root.get("lang") or "") if root is not None else ""
    reader = DateReader(lang, now)
    started = time.perf_counter()
    entries, engine = extract_with_engine(page, url, None, now=now)
    score = Score(docs=1, seconds=time.perf_counter() - started)
    # Posts whose gold text has no word (a picture, a video) cannot be matched by text.
    gold = [
        g
        for g in doc.get("gold_standard_annotation") or []
        if tokens((g.get("post_text") or {}).get("surface_form", ""))
    ]
    score.gold, score.extracted = len(gold), len(entries)
    matches = match_posts(
        [(g.get("post_text") or {}).get("surface_form", "") for g in gold],
        [e.text for e in entries],
    )
    score.matched = len(matches)
    links = _links(root)
    details = []
    for i, g in enumerate(gold):
        surface = (g.get("datetime") or {}).get("surface_form", "")
        gdate = reader.parse(surface) or reader.find(surface, allow_bare=True)
        has_time = bool(re.search(r"\d{1,2}[:h]\d{2}", surface))
        if gdate is not None:
            score.gold_dated += 1
        j = matches.get(i)
        entry = entries[j] if j is not None else None
        if entry is not None and gdate is not None:
            score.date_checked += 1
            if date_ok(entry.published, gdate, has_time, surface):
                score.date_ok += 1
                score.matched_date_ok += 1
        gname = gold_author((g.get("user") or {}).get("surface_form", ""), links)
        if entry is not None and gname:
            score.author_checked += 1
            if norm_name(entry.author) == norm_name(gname):
                score.author_ok += 1
        details.append((i, g, entry, gdate, gname))
    return score, engine or "none", details


def evaluate(files: list[Path], now: datetime = DEFAULT_NOW, on_document=None):
    """(scores per engine, overall score) over gold files; on_document(path, score, engine,
    details) is called after each document (verbose output)."""
    per_engine: dict[str, Score] = {}
    total = Score()
    for path in files:
        score, engine, details = evaluate_document(path, now)
        per_engine.setdefault(engine, Score()).add(score)
        total.add(score)
        if on_document is not None:
            on_document(path, score, engine, details)
    return per_engine, total
