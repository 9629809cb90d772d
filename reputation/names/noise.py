"""Names that cannot identify anyone, and names that would match too much.

"a" or "le" as a tracked name matched nearly every French item collected and flooded
the inbox and the alerts with other businesses' news. A name is refused when it
cannot tell one business apart (a stop word, one letter, digits or punctuation
only, a prefix* of fewer than three letters); a name that passes but still matches
a large share of what was collected lately is saved with a warning giving the share,
measured with the collector's matcher on a bounded sample of the newest items.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from monitoring.matching.folding import fold
from monitoring.matching.matcher import Matcher, Query
from monitoring.models import Item

# Articles, pronouns, prepositions, conjunctions and auxiliaries of French and English:
# words found in almost any text of the language.
STOP_WORDS = frozenset(
    """
    a à au aux avec ce ces cet cette dans de des du elle en est et il ils je la le les
    leur lui ma mais me mes moi mon ne nos notre nous on ou où par pas pour qu que qui
    sa se ses son sont sur ta te tes toi ton tu un une vos votre vous y c d j l m n s t
    été être avoir ai as avons avez ont était fait plus très tout tous toute toutes
    an and are as at be been but by for from had has have he her his i if in into is
    it its me my no not of on or our she so than that the their them then there these
    they this to too up us was we were what when which who will with you your
    """.split()
)
MIN_PREFIX = 3  # letters before a trailing *
SAMPLE = 500  # newest items a name is tried on
NOISY_SHARE = 0.05  # a name matching more of them gets a warning
MIN_SAMPLE = 50  # below this many items collected, a share means little


def refusal(name: str) -> str | None:
    """Why `name` cannot identify anyone, in a sentence; None when it can."""
    bare = name.strip().strip('"“”«»').strip()
    prefix = bare.endswith("*")
    core = fold(bare.rstrip("*")).strip()
    alnum = [c for c in core if c.isalnum()]
    if not any(c.isalpha() for c in alnum):
        return _("“%(name)s” has no letter: it cannot tell your business apart.") % {"name": name}
    if len(alnum) < 2:
        return _("“%(name)s” is a single letter: it would match almost every text.") % {
            "name": name
        }
    if all(word in STOP_WORDS for word in core.replace("'", " ").split()):
        return _(
            "“%(name)s” is a common word found in almost every text: add what makes "
            "the name yours (e.g. “%(name)s Dupont”)."
        ) % {"name": name}
    if prefix and len(alnum) < MIN_PREFIX:
        return _("“%(name)s” is too short a beginning of word: write at least %(n)d letters.") % {
            "name": name,
            "n": MIN_PREFIX,
        }
    return None


def check_name(name: str) -> None:
    """A validator: ValidationError with the sentence of `refusal`."""
    reason = refusal(name)
    if reason:
        raise ValidationError(reason, code="not_identifying")


def share_matched(query: Query, sample: int = SAMPLE) -> tuple[int, int]:
    """(items matched, items tried) among the newest `sample` items collected. Only a
    count comes out: no organisation sees another's items through it."""
    rows = (
        Item.objects.order_by("-collected", "-id")
        .annotate(head=Substr("text", 1, 4000))  # bounded: bodies can be 100 KB
        .values_list("title", "head", "language", "source_id")[:sample]
    )
    matcher, matched, tried = Matcher([query]), 0, 0
    for title, head, language, source_id in rows:
        tried += 1
        if matcher.find(f"{title}\n{head}", language, source_id):
            matched += 1
    return matched, tried


@dataclass(frozen=True)
class Share:
    """How much of what was collected lately a query matches."""

    matched: int
    tried: int

    @property
    def known(self) -> bool:
        return self.tried >= MIN_SAMPLE

    @property
    def percent(self) -> int:
        return round(100 * self.matched / self.tried) if self.tried else 0

    @property
    def noisy(self) -> bool:
        return self.known and self.matched >= NOISY_SHARE * self.tried


def share(query: Query) -> Share:
    return Share(*share_matched(query))


def warning(query: Query) -> str | None:
    """A sentence when `query` would match a large share of what is collected."""
    found = share(query)
    if not found.noisy:
        return None
    matched, tried = found.matched, found.tried
    return _(
        "Careful: this name matches %(pct)d %% of the %(n)d items collected lately, most "
        "probably about others. Add context terms or excluded terms, or a more precise "
        "spelling."
    ) % {"pct": round(100 * matched / tried), "n": tried}
