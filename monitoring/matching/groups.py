"""One matcher per group of queries (an organisation's names), so that what one group
tracks costs the others nothing they can notice (issue 17).

With every name of every organisation in one automaton, one organisation adding
200,000 spellings made every worker rebuild the whole automaton on each of its
changes (195 MB more per worker) and another organisation's poll went from 0.17 s
to 3.7 s. Here:
- a text is read for the groups that want it only (the organisations following the
  source it came from): another group's names are never scanned for it;
- a group's matcher is built the first time a text is read for it, and rebuilt
  alone when its version moves (`keep`): a change of one group's names rebuilds
  that group only;
- the text is folded once whatever the number of groups reading it;
- with `max_bytes`, the matchers held stay under that estimated memory: past it the
  least recently used are forgotten, and built again when a text is next read for
  them. A worker that polls every organisation's sources would otherwise end up
  holding every matcher of the service (at 100,000 names over 2,000 organisations,
  some 250 MB; see `bench match`), growing with the customers.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

from monitoring.matching.matcher import Match, Matcher, Query, read

# groups -> {group: its queries}, for the groups asked (absent: no queries).
Loader = Callable[[list], dict[Hashable, list[Query]]]


class MatcherSet:
    def __init__(self, load: Loader | None = None, max_bytes: int | None = None):
        self._load = load
        self.max_bytes = max_bytes
        self.held_bytes = 0  # estimated memory of the matchers held (Matcher.footprint)
        self.evicted = 0  # matchers forgotten to stay under max_bytes
        # Least recently used first.
        self._matchers: OrderedDict[Hashable, Matcher] = OrderedDict()
        self._built_at: dict[Hashable, object] = {}  # group -> version it was built from
        self._ids: dict[Hashable, list[int]] = {}
        self._versions: dict[Hashable, object] = {}  # group -> latest version known
        self.owners: dict[int, Hashable] = {}  # query id -> group
        self.names: dict[int, list[str]] = {}  # query id -> its names

    def __len__(self) -> int:
        return len(self.owners)

    def groups(self) -> list:
        """The groups whose matcher is built."""
        return list(self._matchers)

    def add(self, group: Hashable, queries: Iterable[Query], version=None) -> None:
        """Build `group`'s matcher from `queries` (replacing any it had)."""
        queries = list(queries)
        self.drop(group)
        matcher = self._matchers[group] = Matcher(queries)
        self.held_bytes += matcher.footprint
        self._built_at[group] = version
        self._ids[group] = [q.id for q in queries]
        for q in queries:
            self.owners[q.id] = group
            self.names[q.id] = list(q.names)

    def drop(self, group: Hashable) -> None:
        matcher = self._matchers.pop(group, None)
        if matcher is not None:
            self.held_bytes -= matcher.footprint
        self._built_at.pop(group, None)
        for qid in self._ids.pop(group, ()):
            self.owners.pop(qid, None)
            self.names.pop(qid, None)

    def keep(self, versions: dict) -> None:
        """Forget the matchers of the groups whose version is no longer `versions`'."""
        self._versions = dict(versions)
        for group in list(self._matchers):
            if self._built_at.get(group) != self._versions.get(group):
                self.drop(group)

    def ready(self, groups: Iterable[Hashable]) -> list[Matcher]:
        """The matchers of `groups`, those not built yet loaded and built now."""
        groups = list(groups)
        missing = []
        for group in groups:
            if group in self._matchers:
                self._matchers.move_to_end(group)
            else:
                missing.append(group)
        if missing and self._load is not None:
            loaded = self._load(missing)
            for group in missing:
                self.add(group, loaded.get(group, ()), self._versions.get(group))
        self._evict(groups)
        return [self._matchers[g] for g in groups if g in self._matchers]

    def _evict(self, needed: list) -> None:
        """Forget the least recently used matchers while over max_bytes, except those
        asked for now (a text is being read with them)."""
        if self.max_bytes is None or self.held_bytes <= self.max_bytes:
            return
        needed = set(needed)
        for group in [g for g in self._matchers if g not in needed]:
            if self.held_bytes <= self.max_bytes:
                break
            self.drop(group)
            self.evicted += 1

    def find(
        self,
        doc: str,
        language: str | Callable[[], str] = "",
        source_id: int | None = None,
        groups: Iterable[Hashable] | None = None,
    ) -> list[Match]:
        """Matcher.find for the queries of `groups` (None: every group built)."""
        matchers = [m for m in self.ready(self.groups() if groups is None else groups) if len(m)]
        if not matchers or not doc:
            return []
        text = read(doc)
        return [match for m in matchers for match in m.find_read(doc, text, language, source_id)]
