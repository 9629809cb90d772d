"""English tone: VADER, unchanged rules, with the vocabulary of product and service reviews.

VADER (Hutto & Gilbert 2014) handles negation, boosters, "but", caps, "!" and emoji.
Its lexicon misses what customers write about goods and shops ("flimsy", "refund",
"stopped working", "overpriced"): data/en_extra.tsv adds those words (never changing
a valence VADER already has), and set phrases
are joined into one token before VADER reads the text ("waste of money" ->
"waste_of_money") since VADER only looks up single words. Emoji whose name says
nothing to VADER ("😡" is "pouting face") get the valence of symbols.py.
"""

import re
from functools import cache
from pathlib import Path

from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

from monitoring.sentiment.symbols import OVERRIDES

EXTRA = Path(__file__).resolve().parent / "data" / "en_extra.tsv"


class _Vader(SentimentIntensityAnalyzer):
    """VADER with the same results, without its quadratic part.

    For each word of tone, VADER's negation and idiom checks lower-case the whole
    sentence again though they read at most three words before it and two after: on
    a 60-word text that was a third of the English scoring time. They are given that
    window only (both are called only for i > 2 or with indices >= 0, so VADER's
    arithmetic on indices is unchanged)."""

    def polarity_scores(self, text):
        # VADER's own steps; only its character-by-character emoji pass is skipped
        # for a text with no character outside ASCII (no emoji can be in it), a sixth
        # of the English scoring time.
        if not text.isascii():
            text = self._describe_emoji(text)
        sentitext = SentiText(text.strip())
        sentiments = []
        words = sentitext.words_and_emoticons
        for i, item in enumerate(words):
            lower = item.lower()
            if lower in BOOSTER_DICT or (
                lower == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"
            ):
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text.strip())

    def _describe_emoji(self, text: str) -> str:
        """VADER's emoji pass: each emoji becomes its description, spaced out."""
        if self.emojis.keys().isdisjoint(text):
            return text  # most non-ASCII text has accents, not emoji: nothing to replace
        out, prev_space = [], True
        for char in text:
            if char in self.emojis:
                if not prev_space:
                    out.append(" ")
                out.append(self.emojis[char])
                prev_space = False
            else:
                out.append(char)
                prev_space = char == " "
        return "".join(out)

    @staticmethod
    def _negation_check(valence, words_and_emoticons, start_i, i):
        lo = max(0, i - 3)
        window = words_and_emoticons[lo : i + 1]
        return SentimentIntensityAnalyzer._negation_check(valence, window, start_i, i - lo)

    @staticmethod
    def _special_idioms_check(valence, words_and_emoticons, i):
        if i < 3:  # never called so by VADER; negative indices would wrap around
            return SentimentIntensityAnalyzer._special_idioms_check(valence, words_and_emoticons, i)
        window = words_and_emoticons[i - 3 : i + 3]
        return SentimentIntensityAnalyzer._special_idioms_check(valence, window, 3)


@cache
def _analyzer() -> tuple[SentimentIntensityAnalyzer, dict[str, str]]:
    vader = _Vader()
    phrases: dict[str, str] = {}
    for line in EXTRA.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        word, value = line.split("\t")[:2]
        key = word.lower()
        if " " in key:
            token = key.replace(" ", "_").replace("'", "")
            phrases[key] = token
            key = token
        # VADER's own valences were rated by people: ours only fill its gaps.
        vader.lexicon.setdefault(key, float(value))
    for emoji, value in OVERRIDES.items():
        token = f"emoji{ord(emoji[0]):x}"
        phrases[emoji] = f" {token} "
        vader.lexicon[token] = value
    return vader, phrases


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


@cache
def _phrase_words() -> tuple[tuple[str, frozenset[str]], ...]:
    """(phrase, its words) for each ASCII phrase of en_extra.tsv."""
    _, phrases = _analyzer()
    return tuple((p, frozenset(_WORD.findall(p))) for p in phrases if p.isascii())


@cache
def _pattern(alternatives: tuple[str, ...]) -> re.Pattern:
    words = "|".join(map(re.escape, (a for a in alternatives if a.isascii())))
    symbols = "|".join(map(re.escape, (a for a in alternatives if not a.isascii())))
    return re.compile("|".join(filter(None, (words and rf"\b(?:{words})\b", symbols))), re.I)


def join_phrases(text: str) -> str:
    """The text with en_extra.tsv's phrases and emoji written as VADER tokens.

    One regular expression of every phrase, tried at every position, cost a fifth of
    the English scoring time: only the phrases whose words all occur in the text (and
    the emoji, for a non-ASCII text) go into the pattern, which is cached."""
    _, phrases = _analyzer()
    present = set(_WORD.findall(text.lower()))
    wanted = [p for p, words in _phrase_words() if words <= present]
    if not text.isascii():
        wanted += [p for p in phrases if not p.isascii() and p in text]
    if not wanted:
        return text
    pattern = _pattern(tuple(sorted(wanted, key=lambda p: (-len(p), p))))
    return pattern.sub(lambda m: phrases[m.group(0).lower()], text)


# VADER's negation check rereads the whole text for every word: quadratic. Texts
# longer than this are scored sentence by sentence and the sentences' raw sums added,
# which is what VADER computes for the whole, but linear.
CHUNK_WORDS = 60
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ALPHA = 15.0  # VADER's normalisation constant: compound = x / sqrt(x^2 + alpha)
_HOWEVER = re.compile(r",?\s*\b(?:however|on the other hand)\b,?", re.IGNORECASE)


def score(text: str) -> tuple[float, int]:
    """(VADER compound in [-1, 1], number of sentiment-bearing words)."""
    vader, _ = _analyzer()
    # VADER knows "but" only: "however" and "on the other hand" turn a review the same way.
    low = text.lower()
    if "however" in low or "other hand" in low:  # the pattern is slow to try everywhere
        text = _HOWEVER.sub(" but ", text)
    text = join_phrases(text)
    if len(text.split()) <= CHUNK_WORDS:
        compound = vader.polarity_scores(text)["compound"]
    else:
        total = 0.0
        for sentence in _SENTENCE_END.split(text):
            part = min(0.9999, max(-0.9999, vader.polarity_scores(sentence)["compound"]))
            total += part * (_ALPHA / (1 - part * part)) ** 0.5  # back to VADER's raw sum
        compound = round(total / (total * total + _ALPHA) ** 0.5, 4)
    return compound, 1 if compound else 0
