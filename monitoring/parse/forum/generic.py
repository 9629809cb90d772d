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

from monitoring.parse.forum.dates import DATE_RE, DateReader
from monitoring.parse.forum.dom import outermost, select_self, text

CANDIDATE_TAGS = ("div", "li", "article", "section", "tr", "td", "table", "dl", "tbody")
# Class tokens that vary between posts of one thread (zebra striping, state).
VARIANT = re.compile(
    r"^(odd|even|alt|first|last|new|unread|read|online|offline|active|hidden|selected|"
    r"mine|own|is-.*|has-.*|role_.*|rank-.*|bg|row|windowbg|highlight.*|deleted|"
    r"moderated|sticky|staff|op|author|ownpost|byop|by-op)$",
    re.I,
)
MACHINE = "time[datetime], [data-time], [data-timestamp], [datetime], [itemprop=datePublished]"
NAV_WORDS = {
    "nav", "navbar", "navigation", "menu", "sidebar", "footer", "breadcrumb", "breadcrumbs",
    "widget", "widgets", "similar", "related",
}  # fmt: skip


def _class_key(el) -> str:
    # windowbg/windowbg2, bg1/bg2, alt1/alt2: trailing numbers are zebra striping.
    tokens = {
        re.sub(r"\d+$", "", re.sub(r"\d+(?=\D)", "#", t)) for t in (el.get("class") or "").split()
    }
    kept = {t for t in tokens if not VARIANT.match(t)}
    return " ".join(sorted(kept or tokens))


def _id_key(el) -> str:
    ident = el.get("id") or ""
    if not re.search(r"\d{2,}", ident):
        return ""
    return re.sub(r"\d+", "#", ident)


PRESENTATION = ("width", "bgcolor", "border", "cellspacing", "cellpadding", "align", "valign")


def _path_key(el) -> tuple:
    path = [el.tag]
    for anc in el.iterancestors():
        path.append(anc.tag + "." + "".join((anc.get("class") or "").split()[:1]))
        if len(path) >= 6:
            break
    return tuple(path)


def _attr_key(el) -> tuple:
    return tuple((a, el.get(a).lower()) for a in PRESENTATION if el.get(a))


def candidate_groups(root) -> list[list]:
    groups: dict[tuple, list] = defaultdict(list)
    for el in root.iter(*CANDIDATE_TAGS):
        key = _class_key(el)
        if key:
            groups[("c", el.tag, key)].append(el)
        ident = _id_key(el)
        if ident:
            groups[("i", el.tag, ident)].append(el)
        # Old table layouts have no classes: the tag path and presentational attributes
        # still repeat per post.
        groups[("p", _path_key(el))].append(el)
        attrs = _attr_key(el)
        if attrs:
            groups[("a", el.tag, attrs)].append(el)
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
    if select_self(el, MACHINE):
        return True
    # A post's date sits near its start or its end; scanning whole long posts is slow.
    return dates.has_date(t[:1500]) or (len(t) > 1500 and dates.has_date(t[-800:]))


def regions(members: list) -> list[list]:
    """Each member widened to its post: the highest ancestor holding no other member,
    plus the following siblings when that block is only a header (table layouts put the
    author and date in one row and the text in the next)."""
    count: dict = defaultdict(int)
    for m in members:
        for anc in m.iterancestors():
            count[anc] += 1
    memberset = set(members)
    out = []
    for m in members:
        block = m
        parent = block.getparent()
        while parent is not None and count[parent] == 1 and parent.tag not in ("body", "html"):
            block = parent
            parent = block.getparent()
        region = [block]
        if len(text(block)) < 250:
            sib = block.getnext()
            while sib is not None and len(region) < 4:
                if sib in memberset or count.get(sib, 0):
                    break
                if isinstance(sib.tag, str):
                    region.append(sib)
                sib = sib.getnext()
        out.append(region)
    return out


def _nav(el) -> bool:
    parent, hops = el.getparent(), 0
    while parent is not None and hops < 4:
        words = re.split(r"[\s_-]+", f"{parent.get('class') or ''} {parent.get('id') or ''}")
        if NAV_WORDS.intersection(w.lower() for w in words):
            return True
        parent = parent.getparent()
        hops += 1
    return False


def cached_text(el, cache: dict) -> str:
    if el not in cache:
        cache[el] = text(el)
    return cache[el]


def score_group(members: list, dates: DateReader, cache: dict | None = None) -> tuple[float, list]:
    """(score, regions): many medium posts beat a few huge blocks or many tiny ones."""
    cache = {} if cache is None else cache
    if _nav(members[0]):
        return 0.0, []
    found = regions(members)
    lengths, dated, weights, linked = [], 0, [], []
    for region in found:
        texts = [cached_text(e, cache) for e in region]
        t = " ".join(texts)
        lengths.append(len(t))
        in_links = sum(len(cached_text(a, cache)) for e in region for a in e.iter("a"))
        linked.append(in_links / max(1, len(t)))
        dated += any(_has_date(e, dates, te) for e, te in zip(region, texts, strict=True))
        # A region with many dates spans several posts: the group is too coarse.
        n_dates = len(DATE_RE.findall(t[:3000]))
        weights.append(1.0 if n_dates <= 4 else 4 / n_dates)
    n = len(found)
    if dated < 2 or dated < 0.6 * n or median(lengths) < 60:
        return 0.0, []
    score = sum(min(n_, 3000) ** 0.75 * w for n_, w in zip(lengths, weights, strict=True))
    # Posts all have text; a group mixing posts with empty cells (ads, spacers) is a
    # layout class shared by unrelated blocks.
    filled = sum(1 for n_ in lengths if n_ >= 15) / n
    score *= filled * filled
    if median(linked) > 0.45:
        score *= 0.2  # lists of threads or links ("similar topics"), not posts
    return score * dated / n, found


def detect_posts(root, dates: DateReader) -> list[list]:
    """The regions (lists of sibling elements) of the best repeated group, or []."""
    best, best_score, cache = [], 0.0, {}
    for members in candidate_groups(root):
        s, found = score_group(members, dates, cache)
        if s > best_score:
            best, best_score = found, s
    return best
