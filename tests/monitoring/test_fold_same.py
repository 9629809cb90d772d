"""fold_map folds the distinct odd characters of a text with one translate() instead
of a Python callback at each occurrence (issue 22: a tenth of matching's CPU). The
folded text and its offsets map must be those it gave before: the previous code is
kept here as the reference and both run on every text of the real feeds (as HTML
and as the plain text polls match on) and on odd characters."""

import re

from monitoring.matching.folding import _ODD, _TABLE, OffsetMap, _collapse_spaces, fold_map
from monitoring.parse.text import html_to_text
from tests.monitoring.test_parse_text_same import _feed_texts
from tests.shared import needs


def old_fold_map(text: str) -> tuple[str, OffsetMap]:
    low = text.lower()
    if len(low) != len(text):
        low = text
    table, odd = _TABLE, []

    def one(m: re.Match) -> str:
        i = m.start()
        out = table[ord(text[i])]
        if len(out) != 1:
            odd.append((i, len(out)))
        return out

    folded = _ODD.sub(one, low)
    fb, ob = [0], [0]
    delta = 0
    for i, n in odd:
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


def _plain(fmap: OffsetMap | None):
    return None if fmap is None else (fmap.fb, fmap.ob, _plain(fmap.inner))


def _same(text: str) -> bool:
    new, old = fold_map(text), old_fold_map(text)
    return new[0] == old[0] and _plain(new[1]) == _plain(old[1])


ODD = [
    "",
    "Société  Générale",
    "ŒUVRE cœur Straße ﬁn æther",
    "İstanbul İzmir",  # lower() changes the length: folded one by one
    "Ωmega Ω ω K k \u212a",  # ohm and kelvin signs lower to Greek omega and ASCII k
    "soft\u00adhyphen zero\u200bwidth \ufeffbom e\u0301",
    "l’Oréal l´Oréal l`Oréal Saint-Étienne – — \t\n\r\u00a0\u2009",
    "ǅ ǆ Ǆ ﬀ ẞ ß Ϊ́ ΐ",
    "Orange™ © € ½ ² 🍞 \U0001f600",
]


def test_it_folds_odd_characters_as_before():
    assert [t for t in ODD if not _same(t)] == []


@needs("feeds")
def test_it_folds_every_real_feed_text_as_before():
    texts = _feed_texts()
    texts += [html_to_text(t) for t in texts]
    assert len(texts) > 6000  # the comparison must run on something
    assert [t[:80] for t in texts if not _same(t)] == []
