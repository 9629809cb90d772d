"""Features of a text for learnt weights (adapt.py): words and negation marks.

Weights are learnt from the team's own corpus (the shipped review model, verdict.py),
per organisation from its own labels (adapt.py), or by `manage.py trainsentiment`
from data the operator is entitled to use; never from the DEFT 2017 and Allociné
sets, which are for tests and evaluation only.

Features are the words of french.units (lexicon phrases kept whole: "pas_mal") and
those under a negation marked "non_" ("je ne recommande pas" -> "non_recommande"),
present or absent. English texts use the same tokens, negation marked after "not",
"no", "never" and "n't". Word pairs were tried and left out: on the team's corpus,
leaving one kind of business out in turn, they learnt the training lines by heart
and did worse on the kind left out (docs/sentiment.md).

Left out: function words, which mark a style rather than a tone; and words of time
and number ("fois", "jours": "au bout de deux jours" says nothing of the tone).
"""

from functools import lru_cache

from monitoring.sentiment.french import negation_marked, units
from monitoring.sentiment.text import tokens

STOPWORDS = frozenset(
    "a au aux avec ce ces c' cet cette d' dans de des du elle elles en et eux il ils j' "  # noqa: SIM905
    "je l' la le les leur leurs lui m' ma mais me meme mes moi mon n' ne nos notre nous "
    "on ou par pas pour qu' que qui s' sa se ses son sur t' ta te tes toi ton tu un une "
    "vos votre vous y est sont etait ete etre avoir ai as avait ont c ca cela ceci celui "
    "celle ici donc alors puis car si tout tous toute toutes tres plus moins bien aussi "
    "encore deja depuis quand comme apres avant entre sous chez vers fait faire peu "
    "quelque quelques autre autres memes dont lors suis es sommes etes soit soient sera "
    "seront serait seraient etaient fut avons avez aura auront aurait auraient peut peux "
    "pouvez doit dois faut va vais vont fois jour jours semaine semaines mois an ans "
    "annee annees heure heures minute minutes un deux trois quatre cinq six sept huit "
    "neuf dix lundi mardi mercredi jeudi vendredi samedi dimanche "
    "the an of to in on at for with and or is are was were be been it its this that "
    "these those i we you he she they my our your his her their me us them by from as "
    "have has had do does did will would can could should so than then there here".split()
)
EN_NEGATORS = frozenset({"not", "no", "never", "nothing", "nobody", "without"})
EN_CONTRASTS = frozenset({"but", "however"})


def features(words: list[str]) -> set[str]:
    """Features of negation-marked words (french.negation_marked or english_marked)."""
    return {w for w in words if w.removeprefix("pre_").removeprefix("non_") not in STOPWORDS}


def english_marked(toks: list[str]) -> list[str]:
    """English words with the two after a negator written "non_word", and those before
    the last "but" or "however" written "pre_word" (as french.negation_marked)."""
    out, left = [], 0
    contrast = max((i for i, t in enumerate(toks) if t in EN_CONTRASTS), default=-1)
    for i, tok in enumerate(toks):
        if not tok[0].isalpha():
            left = 0
            continue
        if tok in EN_NEGATORS or tok.endswith("n't"):
            left = 2
            continue
        word = "non_" + tok if left else tok
        out.append("pre_" + word if i < contrast else word)
        left = max(0, left - 1)
    return out


@lru_cache(maxsize=4096)
def text_features(text: str, lang: str) -> frozenset[str]:
    """The text's features. Cached: the review model (verdict.py) and an organisation's
    adapter (adapt.apply) read the same text one after the other."""
    toks = tokens(text)
    if lang == "en":
        return frozenset(features(english_marked(toks)))
    return frozenset(features(negation_marked(units(toks)[0])))
