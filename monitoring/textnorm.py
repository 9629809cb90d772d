"""Folding text for matching, with a map back to the original offsets.

`fold` makes "Société  Générale", "SOCIETE GENERALE" and "societe-generale" the same
string: lower case (casefold), accents removed (NFKD, combining marks dropped),
ligatures spelt out (œ -> oe, æ -> ae, ß -> ss, ﬁ -> fi), typographic apostrophes
turned into ', dashes and hyphens into a space, every kind of space (no-break, thin,
tab, new line) into one space, invisible characters (soft hyphen, zero-width space)
dropped. Symbols (™, ©, €) are kept as they are: NFKD would turn "Orange™" into
"orangetm" and glue a word onto the name.

Folding changes lengths, so `fold_map` also returns an OffsetMap from folded offsets to
the original text's: matches are found in the folded text and reported, highlighted
and cut out of the original one.
"""

import re
import unicodedata
from bisect import bisect_right

# Typographic apostrophes, primes and accents used as apostrophes ("l’Oréal", "l´Oréal").
APOSTROPHES = "'\u2019\u2018\u02bc\u02bb\u00b4\u0060\u2032\uff07\u201b"
# Folded after casefold + NFKD: letters NFKD leaves whole.
_LETTERS = {"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ı": "i", "þ": "th"}


def _fold_char(c: str) -> str:
    if c in APOSTROPHES:
        return "'"
    if c.isspace():
        return " "
    cat = unicodedata.category(c)
    if cat == "Pd":  # every dash and hyphen: "Saint-Étienne" is "Saint Étienne"
        return " "
    if cat in ("Cf", "Mn", "Me"):  # soft hyphen, zero-width space, BOM, lone accents
        return ""
    if cat[0] not in "LN":
        return c  # punctuation and symbols: kept, they are word boundaries
    out = []
    for d in unicodedata.normalize("NFKD", c.casefold()):
        if unicodedata.combining(d):
            continue
        d = d.casefold()
        out.append(_LETTERS.get(d, d))
    return "".join(out)


class _FoldTable(dict):
    """str.translate table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        if len(folded) != 1:
            _IRREGULAR.add(chr(code))
        else:
            _REGULAR.add(chr(code))
        return folded


_TABLE = _FoldTable()
_REGULAR: set[str] = set()  # characters folded to exactly one character
_IRREGULAR: set[str] = set()  # folded to none or several: offsets shift
_SPACES = re.compile(r" {2,}")


class OffsetMap:
    """Folded offset -> original offset, as a few linear segments.

    Segment k starts at folded offset `fb[k]`, which comes from original offset `ob[k]`;
    inside it offsets advance together. A new segment starts wherever folding dropped
    or added characters, so building the map costs the number of such places, not
    the length of the text.
    """

    __slots__ = ("fb", "ob", "inner")

    def __init__(self, fb: list[int], ob: list[int], inner: "OffsetMap | None" = None):
        self.fb, self.ob, self.inner = fb, ob, inner

    def __call__(self, i: int) -> int:
        k = bisect_right(self.fb, i) - 1
        j = self.ob[k] + i - self.fb[k]
        return self.inner(j) if self.inner is not None else j


def fold(text: str) -> str:
    """The folded text (see the module docstring), without the offsets map."""
    return _SPACES.sub(" ", text.translate(_TABLE))


def fold_map(text: str) -> tuple[str, OffsetMap]:
    """The folded text and the map from its offsets to `text`'s."""
    odd = set(text) - _REGULAR
    if odd:
        odd = {c for c in odd if len(_TABLE[ord(c)]) != 1}  # first sight classifies
    if odd:
        folded, fmap = _fold_irregular(text, odd)
    else:
        folded, fmap = text.translate(_TABLE), OffsetMap([0], [0])
    if "  " not in folded:
        return folded, fmap
    return _collapse_spaces(folded, fmap)


def _fold_irregular(text: str, odd: set[str]) -> tuple[str, OffsetMap]:
    parts, fb, ob = [], [0], [0]
    pos = done = 0  # next original offset to copy; folded length so far
    for m in re.finditer("[" + re.escape("".join(sorted(odd))) + "]", text):
        i = m.start()
        chunk = text[pos:i].translate(_TABLE)
        parts.append(chunk)
        done += len(chunk)
        out = _TABLE[ord(text[i])]
        parts.append(out)
        # Every character of the expansion comes from original offset i.
        for j in range(len(out)):
            fb.append(done + j)
            ob.append(i)
        done += len(out)
        pos = i + 1
        fb.append(done)
        ob.append(pos)
    parts.append(text[pos:].translate(_TABLE))
    return "".join(parts), OffsetMap(fb, ob)


def _collapse_spaces(folded: str, inner: OffsetMap) -> tuple[str, OffsetMap]:
    parts, fb, ob = [], [0], [0]
    pos = done = 0
    for m in _SPACES.finditer(folded):
        s, e = m.span()
        parts.append(folded[pos : s + 1])  # keep the first space of the run
        done += s + 1 - pos
        pos = e
        fb.append(done)
        ob.append(e)
    parts.append(folded[pos:])
    return "".join(parts), OffsetMap(fb, ob, inner)


def original_span(doc: str, fmap: OffsetMap, start: int, end: int) -> tuple[int, int]:
    """The original offsets of folded span [start, end), with trailing accents."""
    s = fmap(start)
    e = fmap(end - 1) + 1
    # A decomposed "e\u0301" folds to "e": the accent belongs to the match.
    while e < len(doc) and unicodedata.combining(doc[e]):
        e += 1
    return s, e


def is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


_LIGHT_SPACES = re.compile(r"[\s\-\u2010-\u2015]+")
_LIGHT_APOS = re.compile("[" + re.escape(APOSTROPHES) + "]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def light_fold(text: str) -> str:
    """Only typography made uniform: case, accents and ligatures kept (exact names)."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = _LIGHT_APOS.sub("'", text)
    return _LIGHT_SPACES.sub(" ", text).strip()
