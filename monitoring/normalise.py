"""Rules every stage applies the same way: accents removed, language codes read.

Parse, matching and sentiment each used to carry their own copy of these rules, and the
copies had drifted apart ("fr fr" was a language for one and not for another). One copy
here, Django-free, below all the stages.
"""

import functools
import re
import unicodedata

_LANGUAGE = re.compile(r"[a-z]{2}")
_SEPARATOR = re.compile(r"[-_\s]")


@functools.lru_cache(maxsize=512)
def _marks(chars: str) -> re.Pattern:
    return re.compile("[" + re.escape(chars) + "]")


def strip_accents(text: str) -> str:
    """`text` with its accents removed: "Déçu" -> "Decu", "ﬁ" -> "fi".

    NFKD decomposition, combining marks dropped. Case and everything else are left as
    they are: each caller decides what else it folds (matching also folds ligatures,
    dashes and spaces; sentiment lower-cases words).
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    # Only the distinct characters are asked whether they combine, then one regex of
    # those removes them: asking unicodedata.combining() of every character made each
    # stored item's fingerprint three times slower (texts repeat a few marks).
    marks = "".join(sorted(c for c in set(decomposed) if unicodedata.combining(c)))
    return _marks(marks).sub("", decomposed) if marks else decomposed


def language_code(value: str | None) -> str:
    """The two-letter language of a code as sources and users write it.

    "fr-FR", "FR_fr", "fr_be", " FR " -> "fr"; "en-us" -> "en"; anything that is not a
    two-letter ISO 639-1 code ("french", "fra", "*", "") -> "".
    """
    code = _SEPARATOR.split((value or "").strip().lower(), maxsplit=1)[0]
    return code if _LANGUAGE.fullmatch(code) else ""
