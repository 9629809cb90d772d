"""What is shown and scored of an item around its matches: spans, snippet and context."""

import re
from bisect import bisect_right

ELLIPSIS = "…"
_WS = re.compile(r"\s+")
_SPACE = re.compile(r"\s")
# A sentence ends at . ! ? … (with closing quotes or brackets) before a space, or at a
# line break (titles, paragraphs, forum lines have no final full stop).
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+|\s*\n\s*")
# "M. Dupont", "Mme. Martin", "Dr. Smith", "etc. " do not end a sentence.
_ABBREVIATIONS = {
    "m",
    "mm",
    "mme",
    "mmes",
    "mlle",
    "dr",
    "pr",
    "st",
    "ste",
    "mr",
    "mrs",
    "ms",
    "prof",
    "etc",
    "cf",
    "ex",
    "vs",
    "no",
    "n°",
    "av",
    "bd",
    "inc",
    "ltd",
    "co",
    "jr",
    "sr",
}
# A sentence longer than this (forum posts without punctuation) is cut around the match.
MAX_SENTENCE = 400
# Around at most this many matches: sentiment is about the name, not the whole article.
MAX_CONTEXT_MATCHES = 5


def merge_spans(spans) -> list[tuple[int, int]]:
    """Sorted (start, end) spans, overlapping or touching ones merged into one.

    Highlights never nest, cross or abut: "<mark>a</mark><mark>b</mark>" reads as one
    highlight anyway, and nested marks would break the page's markup.
    """
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(doc: str, spans: list[tuple[int, int]], width: int = 160):
    """The text around the first match and the offsets of the matches inside it.

    About `width` characters each side of the first match, cut at word boundaries,
    "…" where the text was cut, white space runs shown as one space. Returns
    (snippet_text, [[start, end], ...]) with offsets into snippet_text.
    """
    if not spans:
        return _clean(doc[: 2 * width])[0], []
    start, end = spans[0]
    lo, hi = (
        _word_start(doc, max(0, start - width), start),
        _word_end(doc, min(len(doc), end + width), end),
    )
    text, pos = _clean(doc[lo:hi])
    prefix = ELLIPSIS if lo > 0 and text else ""
    suffix = ELLIPSIS if hi < len(doc) and text else ""
    shift = len(prefix)
    highlights = [
        [pos[s - lo] + shift, pos[e - lo] + shift] for s, e in spans if lo <= s and e <= hi
    ]
    return prefix + text + suffix, highlights


def _word_start(doc: str, lo: int, limit: int) -> int:
    """Move `lo` forward to the start of a word (not past `limit`)."""
    if lo == 0 or doc[lo - 1].isspace():
        return lo
    m = _SPACE.search(doc, lo, limit)
    return m.end() if m else lo


def _word_end(doc: str, hi: int, limit: int) -> int:
    """Move `hi` back to the end of a word (not before `limit`)."""
    if hi >= len(doc) or doc[hi].isspace():
        return hi
    cut = max(doc.rfind(" ", limit, hi), doc.rfind("\n", limit, hi))
    return cut if cut > limit else hi


def _clean(text: str) -> tuple[str, list[int]]:
    """Runs of white space as one space, ends stripped; pos[i] is where text[i] went."""
    out, pos, n = [], [], 0
    last = 0
    for m in _WS.finditer(text):
        s, e = m.span()
        keep = " " if s > 0 and e < len(text) else ""
        out.append(text[last:s])
        pos.extend(range(n, n + s - last))
        n += s - last
        pos.extend([n] * (e - s))
        out.append(keep)
        n += len(keep)
        last = e
    out.append(text[last:])
    pos.extend(range(n, n + len(text) - last))
    n += len(text) - last
    pos.append(n)  # the end offset
    return "".join(out), pos


def sentences(doc: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the document."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(doc):
        if m.start() == 0 or _is_abbreviation(doc, m.start()):
            continue
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(doc):
        out.append((start, len(doc)))
    return out or [(0, len(doc))]


def _is_abbreviation(doc: str, end: int) -> bool:
    if doc[end - 1] != ".":
        return False
    word = re.search(r"(\S+)\.$", doc[max(0, end - 12) : end])
    return bool(word) and word.group(1).lower().lstrip("(«\"'") in _ABBREVIATIONS


def context(doc: str, spans: list[tuple[int, int]]) -> str:
    """The sentence of each match with the one before and after, for sentiment.

    Separate passages are joined with " … "; a very long sentence is cut to
    MAX_SENTENCE characters around the match.
    """
    if not spans:
        return ""
    sents = sentences(doc)
    starts = [s for s, _ in sents]
    chosen: set[int] = set()
    for s, _e in spans[:MAX_CONTEXT_MATCHES]:
        k = max(0, _index(starts, s))
        chosen.update(range(max(0, k - 1), min(len(sents), k + 2)))
    parts, prev = [], None
    for k in sorted(chosen):
        s, e = sents[k]
        s, e = _clip(s, e, spans)
        text = _WS.sub(" ", doc[s:e]).strip()
        if not text:
            continue
        if prev is not None and k != prev + 1:
            parts.append(ELLIPSIS)
        parts.append(text)
        prev = k
    return " ".join(parts)


def _index(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1


def _clip(s: int, e: int, spans: list[tuple[int, int]]) -> tuple[int, int]:
    if e - s <= MAX_SENTENCE:
        return s, e
    inside = [sp for sp in spans if s <= sp[0] < e]
    if not inside:
        return s, s + MAX_SENTENCE // 2
    centre = inside[0][0]
    half = MAX_SENTENCE // 2
    return max(s, centre - half), min(e, centre + half)
