"""STUB (to be replaced by the matching work): find tracked names in items."""

import re
import unicodedata
from dataclasses import dataclass, field


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
    spans: list[tuple[int, int]]  # offsets in the document text


def fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn"
    )


class Matcher:
    def __init__(self, queries: list[Query]):
        self.queries = queries

    def find(self, doc: str, language: str = "", source_id: int | None = None) -> list[Match]:
        folded = fold(doc)
        out = []
        for q in self.queries:
            spans = []
            for name in q.names:
                for m in re.finditer(r"\b" + re.escape(fold(name)) + r"\b", folded):
                    spans.append(m.span())
            if spans:
                out.append(Match(q.id, sorted(spans)))
        return out


def snippet(doc: str, spans: list[tuple[int, int]], width: int = 160):
    """The text around the first match, and the match offsets inside it."""
    start, end = spans[0]
    lo, hi = max(0, start - width), min(len(doc), end + width)
    return doc[lo:hi], [[s - lo, e - lo] for s, e in spans if s >= lo and e <= hi]


def context(doc: str, spans: list[tuple[int, int]]) -> str:
    """The sentences around the matches, for the mention's sentiment."""
    return snippet(doc, spans, 300)[0]
