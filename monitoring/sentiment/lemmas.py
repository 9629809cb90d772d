"""Inflected French words the lexicon lacks, read through their lemma.

The lexicons list mostly one form of each word ("décevoir", "déçu", "rembourser"),
while people write every form: "déçoit", "décevants", "remboursés", "fuyez". The
lemma table of simplemma (MIT; its French lists come from Michal Měchura's
lemmatization lists, ODbL, see docs/sentiment.md) maps each form to its lemma; a
form the lexicon lacks takes its lemma's valence. The table is read from the
installed package once per process (under 1 s, 25 MB more at the peak, then only
the 14,000 forms whose lemma has a valence are kept: 5 MB), never shipped.
"""

from functools import cache

from monitoring.sentiment.lexicon import french
from monitoring.sentiment.text import fold

# Short forms are too ambiguous to inherit a valence ("mit" is not "mettre" praise).
MIN_LENGTH = 4


@cache
def inherited() -> dict[str, float]:
    """Folded form -> its lemma's valence, for forms absent from the lexicon."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    words = french()[0]
    out: dict[str, float] = {}
    for form, lemma in DefaultDictionaryFactory().get_dictionary("fr").items():
        if isinstance(lemma, bytes):
            lemma = lemma.decode("utf-8")
        key, base = fold(form), fold(lemma)
        if len(key) < MIN_LENGTH or key == base or key in words:
            continue
        value = words.get(base)
        if value:
            out.setdefault(key, value)
    return out
