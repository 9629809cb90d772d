"""Tokens for the French scorer and the aspect tagger: words, emoticons, emoji, punctuation.

Everything is compared accent-free and lower-case ("déçu", "decu", "DÉÇU" are one
word) because reviews and tweets are often typed without accents.
"""

import re
from functools import lru_cache

from monitoring.normalise import strip_accents

# ":)", ":-(", ";)", "xD", ":'(", "<3", "^^"... checked before words so that the
# letters of "xD" or ":p" are not read as words.
_EMOTICON = (
    r"(?:[:;=8][-'^o]?[)\]}(\[{dDpP/\\|*3oO]+)"
    r"|(?:[)(\]\[][-'^]?[:;=8])"
    r"|(?:<3+)|(?:</3)|(?:\^\^|\^_\^|-_-|x[dD]\b|XD\b)"
)
_WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)?(?:-[^\W\d_]+)*"
# Pictographs, symbols and dingbats: each emoji is a token of its own, even glued to a word.
_EMOJI = r"[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55]"
_TOKEN = re.compile(rf"({_EMOTICON})|({_EMOJI})|({_WORD})|(!+|\?+|[.;:,…()])", re.UNICODE)
_EMOJI_RE = re.compile(_EMOJI)
_URL = re.compile(r"https?://\S+|www\.\S+|@\w+|\bhttp\b")
_ELISION = re.compile(r"^(n|j|l|d|qu|c|s|m|t|jusqu|lorsqu|puisqu)['’](.+)$")
_REPEAT = re.compile(r"(\w)\1{2,}")


def fold(word: str) -> str:
    """Lower-case without accents: the key every word list is looked up by."""
    return strip_accents(word.lower()).replace("œ", "oe")


def is_emoji(token: str) -> bool:
    return len(token) == 1 and _EMOJI_RE.match(token) is not None


def tokens(text: str) -> list[str]:
    """Folded words, emoticons (kept as typed), emoji and punctuation, in order.

    Elided words are split so that negation sees "n'" ("n'est" -> "ne", "est"),
    and letters repeated three times or more are squeezed ("géniaaal" -> "genial").
    """
    text = _URL.sub(" ", text)
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        emoticon, emoji, word, punct = match.groups()
        if emoticon or emoji:
            out.append(emoticon or emoji)
        elif word:
            out.extend(_word_tokens(word))
        elif punct:
            out.append(punct[0] if punct[0] in "!?" and len(punct) == 1 else punct[:4])
    return out


@lru_cache(maxsize=50_000)
def _word_tokens(word: str) -> tuple[str, ...]:
    w = fold(word).replace("’", "'")
    w = _REPEAT.sub(r"\1", w)
    m = _ELISION.match(w)
    if m:
        head = "ne" if m.group(1) == "n" else m.group(1) + "'"
        return (head, m.group(2))
    return (w,)
