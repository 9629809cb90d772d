"""Features of a text for learnt weights (adapt.py): words, negation marks, word pairs.

No learnt weights ship with the product: the DEFT 2017 and Allociné sets the
workplace provides are for tests and evaluation only. Weights are learnt per
organisation from its own labels (adapt.py) or by `manage.py trainsentiment` from
data the operator is entitled to use.

Features are the words of french.units (lexicon phrases kept whole: "pas_mal"), those
under a negation marked "non_" ("je ne recommande pas" -> "non_recommande"), and
their adjacent pairs, present or absent. English texts use the same tokens, negation
marked after "not", "no", "never" and "n't".

Left out: function words, which mark a style rather than a tone; and words of time
and number ("fois", "jours": "au bout de deux jours" says nothing of the tone).
"""

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


def features(words: list[str]) -> set[str]:
    """Features of negation-marked words (french.negation_marked or english_marked)."""
    words = [w for w in words if w.removeprefix("non_") not in STOPWORDS]
    feats = set(words)
    feats.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return feats


def english_marked(toks: list[str]) -> list[str]:
    """English words with the two after a negator written "non_word"."""
    out, left = [], 0
    for tok in toks:
        if not tok[0].isalpha():
            left = 0
            continue
        if tok in EN_NEGATORS or tok.endswith("n't"):
            left = 2
            continue
        out.append("non_" + tok if left else tok)
        left = max(0, left - 1)
    return out


def text_features(text: str, lang: str) -> set[str]:
    toks = tokens(text)
    if lang == "en":
        return features(english_marked(toks))
    return features(negation_marked(units(toks)[0]))


def analyzer(text: str) -> list[str]:
    """scikit-learn's view of a French text: the same features as at run time."""
    return sorted(text_features(text, "fr"))
