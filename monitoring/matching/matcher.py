"""Finding tracked names in items: every name of every organisation in one pass.

A tracked name is a Query: names (the name and its aliases, any of them matches),
context terms (at least one must also appear in the item), exclude terms (any of them
drops the item), languages (the item's language must be one of them) and sources (the
item's source must be one of them); empty lists do not filter.

Matching rules, for names and terms alike:
- Case, accents and typography do not matter: "Societe Generale" finds "Société
  Générale" and back, "oeuvre" finds "Œuvre", ’ is ', no-break and repeated spaces are
  one space, a hyphen or dash is a space ("Saint Etienne" finds "Saint-Étienne").
  See monitoring/textnorm.py.
- Whole words only: "Orange" does not match "orangeade" or "Orangina". An apostrophe
  is a word boundary, so French elisions match: "l'Orange", "d’Orange", "qu'Orange";
  so does the English possessive "Orange's".
- A name in double quotes ("Orange", “Orange” or «Orange») is exact: case and accents
  must be as written ("Orange" the company, not "orange" the colour); typography
  (apostrophes, spaces, hyphens) is still made uniform.
- A trailing * matches the start of words: boulang* finds "boulangerie", "boulanger".
- Hashtags and handles: a name without quotes or * also matches a hashtag or handle
  that is exactly the name with its spaces, apostrophes and dots removed, in any case:
  "Boulangerie Dupont" finds "#boulangeriedupont" and "@BoulangerieDupont", "L'Oréal"
  finds "#loreal". The # or @ must start a word ("contact@boulangeriedupont.fr" is not
  a handle). Single-word names need no special rule: "#dupont" and "@dupont" are the
  word "dupont" after a non-word character. A tag with more in it is another name:
  "#boulangeriedupontparis" and "@dupont_officiel" do not match.
- Exclude terms drop the whole item wherever they appear in it.
- Languages compare primary subtags ("fr-FR" is "fr"); an item of unknown language
  never passes a language filter, nor an item of unknown source a source filter.

- Punctuation inside a name must be there: "M&S" does not find "M S", "C++" not "C+".

All keys of all queries (names, tags, context and exclude terms) sit in one
Aho-Corasick automaton run once over the folded text, whole words only (see
Matcher._scan), so the cost of an item hardly grows with the number of tracked names;
the per-query filters are checked on the few hits only. `python manage.py bench match`
measures it.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import ahocorasick

from monitoring.matching.excerpt import context, merge_spans, snippet
from monitoring.matching.folding import (
    OffsetMap,
    fold,
    fold_map,
    is_word,
    light_fold,
    original_span,
)
from monitoring.normalise import language_code

__all__ = [
    "Match",
    "Matcher",
    "Query",
    "QueryHit",
    "Term",
    "context",
    "fold",
    "parse_term",
    "snippet",
    "test_query",
]


@dataclass
class Query:
    id: int
    names: list[str]
    context_terms: list[str] = field(default_factory=list)
    exclude_terms: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    source_ids: list[int] = field(default_factory=list)


@dataclass
class Match:
    query_id: int
    spans: list[tuple[int, int]]  # offsets in the document text, sorted


@dataclass(frozen=True)
class Term:
    key: str  # folded form, searched in the folded text
    exact: str = ""  # when quoted: the typography-only folded form the text must have
    prefix: bool = False  # trailing *: matches the start of words


_NONE: frozenset = frozenset()
_NODE_BYTES, _KEY_BYTES = 60, 400
_OPEN_QUOTES = '"“«'
_CLOSE_QUOTES = '"”»'


def parse_term(raw: str) -> Term | None:
    """A name or term as typed by a user; None when nothing is left to search."""
    text = raw.strip()
    prefix = text.endswith("*")
    text = text.rstrip("*").strip()
    exact = len(text) >= 2 and text[0] in _OPEN_QUOTES and text[-1] in _CLOSE_QUOTES
    if exact:
        text = text[1:-1].strip()
        if text.endswith("*"):
            prefix, text = True, text.rstrip("*").strip()
    # A stray quote ("Orange) is a typing slip, not something to find in the text.
    text = text.strip(_OPEN_QUOTES + _CLOSE_QUOTES + " ")
    key = fold(text).strip()
    if not key or not any(is_word(c) for c in key):
        return None
    return Term(key, light_fold(text) if exact else "", prefix)


def _compact(key: str) -> str:
    """The hashtag form of a folded name: "boulangerie dupont" -> "boulangeriedupont"."""
    return "".join(c for c in key if c not in " '.")


@dataclass(slots=True)
class _Compiled:
    id: int
    languages: frozenset[str]
    sources: frozenset[int]
    context: tuple[tuple[int, str], ...]  # (key id, exact form)
    exclude: tuple[tuple[int, str], ...]


class Matcher:
    """Every query compiled into one automaton; `find` scans an item once."""

    def __init__(self, queries: Iterable[Query]):
        self._key_ids: dict[tuple[str, bool, bool], int] = {}
        # Per key id: (folded key, length in the scanned text, leading space, trailing
        # space, prefix, tag). See _scan.
        self._keys: list | tuple = []
        self._by_string: dict[str, list[int]] = {}
        self._names: dict[int, list | tuple] = {}  # key id -> ((query, exact), ...)
        self._queries: list[_Compiled] = []
        for query in queries:
            self._add(query)
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
        for string, kids in self._by_string.items():
            self._automaton.add_word(string, tuple(kids))
        self._empty = not self._by_string
        nodes = 0
        if not self._empty:
            self._automaton.make_automaton()
            nodes = self._automaton.get_stats()["nodes_count"]
        # Estimated bytes held, for caches of matchers: fitted on what tracemalloc
        # counts for matchers of 10 to 100,000 names (within 10 % from 1,000 names
        # on; up to 40 % high for a few dozen, whose nodes have fewer children).
        self.footprint = _NODE_BYTES * nodes + _KEY_BYTES * len(self._keys) + 1_000
        # Tuples of plain values from here on: a matcher of 10,000 names is tens of
        # thousands of objects that the garbage collector need not keep walking.
        self._keys = tuple(self._keys)
        self._names = {kid: tuple(users) for kid, users in self._names.items()}
        del self._key_ids, self._by_string

    def __len__(self) -> int:
        return len(self._queries)

    def _key(self, string: str, prefix: bool = False, tag: bool = False) -> int:
        ident = (string, prefix, tag)
        kid = self._key_ids.get(ident)
        if kid is None:
            kid = self._key_ids[ident] = len(self._keys)
            lead = int(is_word(string[0]))
            trail = int(is_word(string[-1]) and not prefix)
            scanned = " " * lead + _NON_WORD.sub(" ", string) + " " * trail
            self._keys.append((string, len(scanned), lead, trail, prefix, tag))
            self._by_string.setdefault(scanned, []).append(kid)
        return kid

    def _add(self, query: Query) -> None:
        qi = len(self._queries)
        # Most queries filter on nothing: one shared empty set and tuple rather than
        # four empty containers per query (82 MB of 100,000 names' 274 MB).
        compiled = _Compiled(
            query.id,
            frozenset(filter(None, map(language_code, query.languages))) or _NONE,
            frozenset(query.source_ids) or _NONE,
            self._terms(query.context_terms),
            self._terms(query.exclude_terms),
        )
        self._queries.append(compiled)
        seen = set()
        for raw in query.names:
            term = parse_term(raw)
            if term is None:
                continue
            kids = [self._key(term.key, term.prefix)]
            compact = _compact(term.key)
            plain = not term.exact and not term.prefix
            if plain and compact != term.key and all(is_word(c) for c in compact):
                # One key for "#compact" and "@compact": the sign is checked on hits.
                kids.append(self._key(compact, tag=True))
            for kid in kids:
                if (kid, term.exact) not in seen:
                    seen.add((kid, term.exact))
                    self._names.setdefault(kid, []).append((qi, term.exact))

    def _terms(self, raws: list[str]) -> tuple[tuple[int, str], ...]:
        out = []
        for raw in raws:
            term = parse_term(raw)
            if term is not None:
                out.append((self._key(term.key, term.prefix), term.exact))
        return tuple(out)

    def find(
        self, doc: str, language: str | Callable[[], str] = "", source_id: int | None = None
    ) -> list[Match]:
        """The queries whose names the document mentions, with the names' offsets.

        `language` may be a function: it is then called only when a name is found and
        a query filters on languages (detecting a language costs more than matching).
        """
        if self._empty or not doc:
            return []
        return self.find_read(doc, read(doc), language, source_id)

    def find_read(
        self,
        doc: str,
        text: "ReadText",
        language: str | Callable[[], str] = "",
        source_id: int | None = None,
    ) -> list[Match]:
        """`find` on a document already folded (`read`), for several matchers in turn."""
        if self._empty or not doc:
            return []
        fmap = text.fmap
        found = self._scan(text)
        candidates: dict[int, list[tuple[int, str]]] = {}  # query -> its names found
        for kid in found:
            for qi, exact in self._names.get(kid, ()):
                candidates.setdefault(qi, []).append((kid, exact))
        if not candidates:
            return []
        lang = None
        spans_of: dict[int, list[tuple[int, int]]] = {}  # key id -> original spans

        def occurrences(kid: int, exact: str) -> list[tuple[int, int]]:
            spans = spans_of.get(kid)
            if spans is None:
                spans = [original_span(doc, fmap, s, e) for s, e in found[kid]]
                spans_of[kid] = spans
            if not exact:
                return spans
            prefix = self._keys[kid][4]
            return [sp for sp in spans if _is_exact(doc[sp[0] : sp[1]], exact, prefix)]

        def present(kid: int, exact: str) -> bool:
            return kid in found and (not exact or bool(occurrences(kid, exact)))

        out = []
        for qi in sorted(candidates):
            q = self._queries[qi]
            if q.languages:
                if lang is None:
                    lang = language_code(language() if callable(language) else language)
                if lang not in q.languages:
                    continue
            if q.sources and source_id not in q.sources:
                continue
            if q.exclude and any(present(kid, exact) for kid, exact in q.exclude):
                continue
            if q.context and not any(present(kid, exact) for kid, exact in q.context):
                continue
            spans = [sp for kid, exact in candidates[qi] for sp in occurrences(kid, exact)]
            if spans:
                out.append(Match(q.id, merge_spans(spans)))
        return out

    def _scan(self, text: "ReadText") -> dict[int, list[tuple[int, int]]]:
        """Folded spans of every key found with its word boundaries, by key id.

        The automaton runs over the folded text with every non-word character made a
        space, between two spaces; keys are stored the same way, with a space on each
        side that must be a word boundary ("orange" as " orange "). So it reports
        whole words only, never "orange" inside "orangeade"; a hit is then checked
        against the folded text itself for the punctuation inside the key ("m&s",
        "l'oreal"), which the spaces stood for.
        """
        folded, scanned = text.folded, text.scanned
        n = len(folded)
        found: dict[int, list[tuple[int, int]]] = {}
        keys = self._keys
        for end, kids in self._automaton.iter(scanned):
            for kid in kids:
                key, length, lead, trail, prefix, tag = keys[kid]
                # scanned[j] is folded[j - 1]
                s = end + 1 - length + lead - 1
                e = end + 1 - trail - 1
                if folded[s:e] != key:
                    continue
                if tag:  # "#" or "@" instead of the leading space, at the start of a word
                    if s == 0 or folded[s - 1] not in "#@" or scanned[s - 1] != " ":
                        continue
                    s -= 1
                if prefix:  # the whole word is the match, for highlighting
                    while e < n and is_word(folded[e]):
                        e += 1
                found.setdefault(kid, []).append((s, e))
        return found


@dataclass(frozen=True)
class ReadText:
    """A document as every matcher scans it: folded, its offsets, its words spaced."""

    folded: str
    fmap: OffsetMap
    scanned: str


def read(doc: str) -> ReadText:
    folded, fmap = fold_map(doc)
    return ReadText(folded, fmap, " " + _blank_punctuation(folded) + " ")


_NON_WORD = re.compile(r"[^\w ]")
# ASCII punctuation to spaces: translate() is fastest on ASCII text, most folded text.
_ASCII_BLANKS = {c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}


def _blank_punctuation(folded: str) -> str:
    if folded.isascii():
        return folded.translate(_ASCII_BLANKS)
    return _NON_WORD.sub(" ", folded)


def _is_exact(text: str, exact: str, prefix: bool) -> bool:
    light = light_fold(text)
    return light.startswith(exact) if prefix else light == exact


@dataclass
class QueryHit:
    id: object
    snippet: str
    highlights: list[list[int]]
    spans: list[tuple[int, int]]


def test_query(
    query: Query, documents: Iterable[tuple], limit: int | None = None, width: int = 160
):
    """Try a query before saving it: the documents it matches, with their snippets.

    `documents` yields (id, text, language, source_id); at most `limit` hits are kept.
    """
    matcher = Matcher([query])
    hits = []
    for doc_id, text, language, source_id in documents:
        for match in matcher.find(text, language, source_id):
            shown, highlights = snippet(text, match.spans, width)
            hits.append(QueryHit(doc_id, shown, highlights, match.spans))
        if limit is not None and len(hits) >= limit:
            break
    return hits


test_query.__test__ = False  # a "test_" name pytest must not collect when imported
