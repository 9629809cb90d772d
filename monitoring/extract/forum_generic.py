"""Find posts on a page of an unknown forum engine: repeated blocks with a date and text.

A thread page repeats one structure per post (same tag, same classes or the same id
pattern), each with a date and some running text. We group elements by that structure,
keep the groups whose members mostly carry a date, and score them so that many
medium-sized members beat a few huge ones (the whole list) or many tiny ones (menus,
"latest topics" side boxes).
"""

import re
from collections import defaultdict
from statistics import median

from monitoring.extract.forum_dates import DateReader
from monitoring.extract.forum_dom import outermost, text

CANDIDATE_TAGS = ("div", "li", "article", "section", "tr", "table", "dl", "tbody")
# Class tokens that vary between posts of one thread (zebra striping, state).
VARIANT = re.compile(
    r"^(odd|even|alt|first|last|new|unread|read|online|offline|active|hidden|selected|"
    r"mine|own|is-.*|has-.*|role_.*|rank-.*|bg|row|windowbg|highlight.*|deleted|"
    r"moderated|sticky|staff|op|author|ownpost|byop|by-op)$",
    re.I,
)
MACHINE = "time[datetime], [data-time], [data-timestamp], [datetime], [itemprop=datePublished]"
NAV_HINT = re.compile(r"nav|menu|sidebar|footer|header|breadcrumb|widget|similar|related", re.I)


def _class_key(el) -> str:
    tokens = sorted(
        {re.sub(r"\d+", "#", t) for t in (el.get("class") or "").split() if not VARIANT.match(t)}
    )
    return " ".join(tokens)


def _id_key(el) -> str:
    ident = el.get("id") or ""
    if not re.search(r"\d{2,}", ident):
        return ""
    return re.sub(r"\d+", "#", ident)


def candidate_groups(root) -> list[list]:
    groups: dict[tuple, list] = defaultdict(list)
    for el in root.iter(*CANDIDATE_TAGS):
        key = _class_key(el)
        if key:
            groups[("c", el.tag, key)].append(el)
        ident = _id_key(el)
        if ident:
            groups[("i", el.tag, ident)].append(el)
        first = (el.get("class") or "").split()[:1]
        if first and not VARIANT.match(first[0]):
            groups[("f", el.tag, re.sub(r"\d+", "#", first[0]))].append(el)
    out = []
    seen = set()
    for members in groups.values():
        if len(members) < 2 or len(members) > 400:
            continue
        members = outermost(members)
        ident = tuple(id(m) for m in members)
        if len(members) < 2 or ident in seen:
            continue
        seen.add(ident)
        out.append(members)
    return out


def _has_date(el, dates: DateReader, t: str) -> bool:
    try:
        if el.cssselect(MACHINE):
            return True
    except Exception:  # noqa: BLE001 - a selector problem must not stop detection
        return False
    return dates.has_date(t)


def score_group(members: list, dates: DateReader) -> float:
    lengths, dated = [], 0
    for el in members:
        t = text(el)
        lengths.append(len(t))
        if _has_date(el, dates, t):
            dated += 1
    n = len(members)
    if dated < 2 or dated < 0.6 * n:
        return 0.0
    if median(lengths) < 60:
        return 0.0
    # Menus and side boxes repeat too; a hint in their ancestors' classes gives them away.
    parent = members[0].getparent()
    hops = 0
    while parent is not None and hops < 4:
        if NAV_HINT.search(parent.get("class") or "") or NAV_HINT.search(parent.get("id") or ""):
            return 0.0
        parent = parent.getparent()
        hops += 1
    return sum(min(n_, 3000) ** 0.75 for n_ in lengths) * (dated / n)


def detect_posts(root, dates: DateReader) -> list:
    """The post containers of the best repeated group, or [] when none looks like posts."""
    best, best_score = [], 0.0
    for members in candidate_groups(root):
        s = score_group(members, dates)
        if s > best_score:
            best, best_score = members, s
    return best
