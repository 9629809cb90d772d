"""French tone by lexicon and rules, in VADER's manner but with French grammar.

Rules (each tested in tests/monitoring/test_sentiment_french.py):
- negation: "ne ... pas/plus/jamais/rien/guère/point", colloquial "pas" alone
  ("c'est pas bon", "j'aime pas"), "jamais", "sans", "aucun", "ni", "peu" (not
  "un peu": "peu aimable" is unkind, "un peu cher" mildly dear) flip and soften a
  word (x -0.74, VADER's factor); set phrases are read first, so "pas mal" is mildly
  positive, "pas terrible"/"pas top" negative, "pas cher"/"sans souci" positive;
- intensifiers ("très", "trop", "vraiment", "super", "hyper", "tellement"...) add to the
  next words' strength, dampeners ("un peu", "assez", "plutôt") take from it;
- contrast: before "mais" (also "cependant", "par contre", "toutefois", "néanmoins",
  "pourtant") counts half, after it one and a half;
- "!" adds strength (up to 4), emoticons and emoji count as words (symbols.py).
"""

import math
from functools import cache

from monitoring.sentiment import lemmas, symbols
from monitoring.sentiment.lexicon import french as _lexicon
from monitoring.sentiment.text import is_emoji, tokens

NEGATORS = {"pas", "jamais", "rien", "aucun", "aucune", "sans", "ni", "guere", "nullement"}
NEGATORS_AFTER_NE = NEGATORS | {"plus", "point", "personne"}
BOOSTERS = {
    "tres", "trop", "vraiment", "super", "hyper", "ultra", "tellement", "si", "tant",
    "extremement", "vachement", "totalement", "completement", "absolument", "carrement",
    "particulierement", "vraimment", "franchement", "hautement", "incroyablement",
    "terriblement", "grave", "archi", "bien", "fort", "tout", "entierement", "beaucoup",
}  # fmt: skip
DAMPENERS = {"assez", "plutot", "peu", "moyennement", "legerement", "relativement", "presque"}
CONTRASTS = {"mais", "cependant", "toutefois", "neanmoins", "pourtant"}
# Two-word contrasts: "Jolie déco, par contre les plats sont fades".
CONTRAST_PAIRS = {("par", "contre"), ("en", "revanche"), ("cela", "dit"), ("ceci", "dit")}
# Concessions: the clause they open counts half ("Malgré le prix, c'est excellent").
CONCESSIONS = {"malgre", "quoique", "meme si", "bien que"}
CONCESSION_PAIRS = {("meme", "si"), ("bien", "que")}
# Question openers of a reproach, not a question: "C'est ça, un service de qualité ?"
QUESTION_FACTOR = 0.3  # praise inside a question counts this much
CLAUSE_END = {".", ",", ";", ":", "!", "?", "(", ")", "…"}

B_INCR = 0.293  # VADER's booster step
NEGATION_FACTOR = -0.74  # VADER's: a negated word is flipped and weakened
EXCLAMATION = 0.292
# Praise and complaint both this strong (the weaker at least this share of the stronger):
# the text pulls both ways, and its label is less sure.
MIXED = 0.5


def score(text: str) -> tuple[float, int]:
    """(compound in [-1, 1], number of sentiment-bearing units) of a French text."""
    toks = tokens(text)
    return score_units(*units(toks), toks)


def score_units(words, valences, toks: list[str], detail: bool = False):
    """(compound, hits), and with detail=True whether the text pulls both ways."""
    total, hits, pos, neg = 0.0, 0, 0.0, 0.0
    contrast = last_contrast(words)
    near = _near_negation(words)
    conceded = _conceded(words)
    asked = _asked(words)
    for i, v in enumerate(valences):
        if not v:
            continue
        if words[i] is not None:  # emoji and emoticons are neither boosted nor negated
            v = _boost(words, i, v)
            if i in near and _negated(words, i):
                v *= NEGATION_FACTOR
        if contrast >= 0:
            v *= 0.5 if i < contrast else 1.5
        if i in conceded:
            v *= 0.5
        if v > 0 and i in asked:
            v *= QUESTION_FACTOR
        total += v
        hits += 1
        if v > 0:
            pos += v
        else:
            neg -= v
    if total:
        bangs = min(4, sum(len(t) for t in toks if t.startswith("!")))
        total += math.copysign(bangs * EXCLAMATION, total)
    compound = total / math.sqrt(total * total + 15)
    if detail:
        return compound, hits, min(pos, neg) >= MIXED * max(pos, neg) and min(pos, neg) >= 1
    return compound, hits


def last_contrast(words) -> int:
    """Place of the last "mais" (or "par contre", "cependant"...), -1 when none."""
    return max(
        (
            i
            for i, w in enumerate(words)
            if w in CONTRASTS or (i and (words[i - 1], w) in CONTRAST_PAIRS)
        ),
        default=-1,
    )


def conceded(words) -> set[int]:
    """Places whose words the text itself sets aside: before its last contrast word
    ("Vendeur aimable, mais ..."), or in a concession clause ("malgré ...")."""
    return set(range(last_contrast(words))) | _conceded(words)


def _conceded(words) -> set[int]:
    """Places inside a concession clause ("malgré ...", "même si ...", up to a comma)."""
    out: set[int] = set()
    inside = False
    for i, w in enumerate(words):
        if w in CONCESSIONS or (i and (words[i - 1], w) in CONCESSION_PAIRS):
            inside = True
        elif w is None or w in CLAUSE_END:
            inside = False
        elif inside:
            out.add(i)
    return out


def _asked(words) -> set[int]:
    """Places inside a sentence that ends with "?": praise there is rarely praise."""
    out: set[int] = set()
    start = 0
    for i, w in enumerate(words):
        if w in (".", "!", "…"):
            start = i + 1
        elif w == "?":
            out.update(range(start, i))
            start = i + 1
    return out


def negation_marked(words) -> list[str]:
    """Words with those under a negation written "non_word", and those the text sets
    aside (`conceded`) written "pre_word": the learnt model's features, so that
    "aimable" in "vendeur aimable, mais..." does not teach it that "aimable" is bad."""
    near = _near_negation(words)
    aside = conceded(words)
    out = []
    for i, w in enumerate(words):
        if w is None or w in CLAUSE_END:
            continue
        if i in near and w not in NEGATORS_AFTER_NE and w != "ne" and _negated(words, i):
            w = "non_" + w
        if i in aside:
            w = "pre_" + w
        out.append(w.replace(" ", "_"))
    return out


def _little(words, j: int) -> bool:
    """ "peu" that denies what follows ("peu aimable", "très peu fiable"), unlike "un peu"
    (a little: "un peu cher") and "à peu près"."""
    return words[j] == "peu" and (j == 0 or words[j - 1] not in ("un", "a"))


def _near_negation(words) -> set[int]:
    # Only words within 3 places of a negator or "ne" can be negated: checking those
    # alone keeps long reviews fast.
    near: set[int] = set()
    for j, w in enumerate(words):
        if w == "ne" or w in NEGATORS_AFTER_NE or w == "peu":
            near.update(range(j - 3, j + 4))
    return near


def units(toks: list[str]) -> tuple[list[str | None], list[float]]:
    """Tokens grouped into lexicon phrases, with their valence (0 when none).

    A phrase is kept as one unit whose word is the phrase itself, so that "pas" in
    "pas mal" is not read again as a negation. Symbols get word None.
    """
    lex, phrases = _lexicon()
    heads = _phrase_heads()
    words: list[str | None] = []
    valences: list[float] = []
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        for size in range(min(heads.get(tok, 1), n - i), 1, -1):
            key = " ".join(toks[i : i + size])
            if key in phrases:
                words.append(key)
                valences.append(phrases[key])
                i += size
                break
        else:
            if tok[0].isalpha() and not is_emoji(tok):
                words.append(tok)
                valences.append(_word_valence(tok, lex))
            elif len(set(tok)) == 1 and tok[0] in "!?.,;:()…":
                words.append(tok[0])
                valences.append(0.0)
            else:
                words.append(None)
                valences.append(symbols.valence(tok))
            i += 1
    return words, valences


@cache
def _phrase_heads() -> dict[str, int]:
    """First word of each lexicon phrase -> the longest phrase it starts (in words)."""
    heads: dict[str, int] = {}
    for phrase in _lexicon()[1]:
        first, size = phrase.split(" ")[0], phrase.count(" ") + 1
        heads[first] = max(heads.get(first, 0), size)
    return heads


def _word_valence(word: str, lex: dict[str, float]) -> float:
    if word in BOOSTERS and word not in ("super", "bien"):
        return 0.0
    v = lex.get(word)
    if v is not None:
        return v
    # Plural and feminine forms missing from the lexicon: "décevantes" -> "décevant".
    if len(word) > 4:
        for cut in ("es", "s", "x", "e"):
            if word.endswith(cut):
                v = lex.get(word[: -len(cut)])
                if v is not None:
                    return v
    # Other forms through their lemma: "déçoit" -> "décevoir", "fuyez" -> "fuir".
    return lemmas.inherited().get(word, 0.0)


def _boost(words, i: int, v: float) -> float:
    for dist, j in enumerate(range(i - 1, max(-1, i - 4), -1)):
        w = words[j]
        if w is None or w in CLAUSE_END:
            break
        step = B_INCR * (1.0, 0.95, 0.9)[dist]
        if w in BOOSTERS:
            v += math.copysign(step, v)
        elif w in DAMPENERS or w == "un peu":
            v -= math.copysign(step, v)
    return v


def _negated(words, i: int) -> bool:
    """Is the word at i under a negation?"""
    ne_before = False
    for j in range(i - 1, max(-1, i - 4), -1):
        w = words[j]
        # "et" closes a negation before it: "sans discussion et remboursé".
        if w is None or w in CLAUSE_END or w in CONTRASTS or w == "et":
            break
        if w == "ne":
            ne_before = True
            break
        if w in NEGATORS or _little(words, j):
            return True
    for j in range(i - 1, max(-1, i - 4), -1):
        w = words[j]
        if w is None or w in CLAUSE_END:
            break
        if w in NEGATORS_AFTER_NE and ne_before:
            return True
    # "ne" before the word and the negator after it ("je ne recommande pas"), or the
    # colloquial negator right after a verb ("j'aime pas", "ça marche pas").
    for j in range(i + 1, min(len(words), i + 3)):
        w = words[j]
        if w is None or w in CLAUSE_END:
            break
        if w in NEGATORS_AFTER_NE and (ne_before or (j == i + 1 and w in ("pas", "jamais"))):
            return True
    return False
