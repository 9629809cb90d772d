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

from monitoring.normalise import strip_accents

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
    return "".join(_LETTERS.get(d, d) for d in strip_accents(c.casefold()).casefold())


class _FoldTable(dict):
    """Character code -> folded text, filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_TABLE = _FoldTable()
# What lower() does not fold: every non-ASCII character, ASCII white space other than
# the space, the hyphen (folds to a space) and the backquote (an apostrophe).
_ODD = re.compile(r"[^ !\"#$%&'()*+,./0-9:;<=>?@\[\\\]^_a-z{|}~]")
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
    return fold_map(text)[0]


def fold_map(text: str) -> tuple[str, OffsetMap]:
    """The folded text and the map from its offsets to `text`'s.

    str.lower() folds ASCII letters at C speed; the few other characters (accents,
    ligatures, dashes, line breaks) are folded by one replace() for each distinct one:
    a text repeats a handful of them ("é", "’", line breaks), and folding each
    occurrence through a Python callback was a tenth of a poll's matching CPU.
    """
    low = text.lower()
    if len(low) != len(text):  # "İ" lowers to two characters: fold everything by table
        return _fold_map_each(text, text)
    # The distinct characters that can lower to an odd one (C speed: a text repeats a
    # handful), then what each lower-cases to: that position takes the original
    # character's folding. One folding per lower-cased character, so two originals
    # lowering alike must fold alike (else one at a time, as before).
    mapping: dict[str, str] = {}
    for c in set(_MAY_BE_ODD.findall(text)):
        folded = _LOWER_FOLD.get(c, _MISSING)
        if folded is _MISSING:
            folded = _LOWER_FOLD[c] = _lower_fold(c)
        if folded is not None and mapping.setdefault(*folded) != folded[1]:
            return _fold_map_each(text, low)
    changed = {lowered: out for lowered, out in mapping.items() if out != lowered}
    # One replace() per character, unless a folding holds another folded character.
    if any(ch in changed for out in changed.values() for ch in out):
        return _fold_map_each(text, low)
    folded_text = low
    for lowered, out in changed.items():
        folded_text = folded_text.replace(lowered, out)
    expanding = [lowered for lowered, out in changed.items() if len(out) != 1]
    odd = []
    if expanding:
        pattern = "[" + re.escape("".join(sorted(expanding))) + "]"
        odd = [(m.start(), len(changed[m.group()])) for m in re.finditer(pattern, low)]
    return _mapped(folded_text, odd)


_MISSING = object()
# What lower() can turn into a character _ODD matches: its own matches but capitals.
_MAY_BE_ODD = re.compile(r"[^ !\"#$%&'()*+,./0-9:;<=>?@A-Z\[\\\]^_a-z{|}~]")
# Character -> (what it lower-cases to, its folding) where lower() leaves it odd,
# None where lower() folds it alone: filled on first sight, as _TABLE.
_LOWER_FOLD: dict[str, tuple[str, str] | None] = {}


def _lower_fold(c: str) -> tuple[str, str] | None:
    lowered = c.lower()
    if len(lowered) != 1 or not _ODD.match(lowered):
        return None
    return lowered, _TABLE[ord(c)]


def _fold_map_each(text: str, low: str) -> tuple[str, OffsetMap]:
    """fold_map one odd character at a time (texts whose case changes lengths)."""
    table, odd = _TABLE, []  # odd: (offset, length) of characters not folded to one

    def one(m: re.Match) -> str:
        i = m.start()
        out = table[ord(text[i])]
        if len(out) != 1:
            odd.append((i, len(out)))
        return out

    return _mapped(_ODD.sub(one, low), odd)


def _mapped(folded: str, odd) -> tuple[str, OffsetMap]:
    """The folded text and its offsets back to the original, from the (offset,
    length) of each character not folded to exactly one; runs of spaces collapsed."""
    fb, ob = [0], [0]
    delta = 0  # folded length minus original length so far
    for i, n in odd:
        # Every character of an expansion comes from original offset i.
        for j in range(1, n):
            fb.append(i + delta + j)
            ob.append(i)
        delta += n - 1
        fb.append(i + 1 + delta)
        ob.append(i + 1)
    fmap = OffsetMap(fb, ob)
    if "  " not in folded:
        return folded, fmap
    return _collapse_spaces(folded, fmap)


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
