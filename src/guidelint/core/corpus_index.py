"""The corpus index: what the lineage rules need of every file, and nothing more.

Entries are small and picklable: the per-file stage builds one per guideline with an id, and
the corpus pass never re-reads a file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date
from operator import attrgetter

from guidelint.core.span import Span

# Keys naming other versions: a supersession or amendment link, written from either end.
LINK_KEYS = ("supersedes", "superseded_by", "amends", "amended_by")
LINEAGE_KEYS = (
    "id",
    "status",
    "supersedes",
    "superseded_by",
    "amends",
    "amended_by",
    "publication_date",
    "previous_version_date",
)


@dataclass(frozen=True, slots=True)
class Entry:
    path: str
    id: str
    status: str | None
    # The ids each link key names, in the order written: a single id is a tuple of one.
    supersedes: tuple[str, ...]
    superseded_by: tuple[str, ...]
    amends: tuple[str, ...]
    amended_by: tuple[str, ...]
    publication_date: date | None
    previous_version_date: date | None
    # Where the values of the lineage keys present in the file are: `span_keys[i]` is at
    # `span_numbers[4 * i : 4 * i + 4]` (line, column, end line, end column). Flat numbers
    # rather than Span objects: a warm run reads ten thousand entries from the cache.
    span_keys: tuple[str, ...]
    span_numbers: tuple[int, ...]

    def __reduce__(self) -> tuple[type[Entry], tuple[object, ...]]:
        # Each worker process sends one entry a file: as a tuple of its fields, pickled in C,
        # where the state methods dataclasses make for slots cost four times as much.
        kind = type(self)
        return (kind, _fields_of(kind)(self))

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def names(self) -> tuple[str, ...]:
        """Every id this entry links to, by any link key."""
        return self.supersedes + self.superseded_by + self.amends + self.amended_by

    def span(self, key: str) -> Span:
        """Where `key`'s value is; where the id is when the key is absent."""
        index = self.span_keys.index(key if key in self.span_keys else "id")
        line, column, end_line, end_column = self.span_numbers[4 * index : 4 * index + 4]
        return Span(line, column, end_line, end_column)


_GETTERS: dict[type[Entry], Callable[[Entry], tuple[object, ...]]] = {}


def _fields_of(kind: type[Entry]) -> Callable[[Entry], tuple[object, ...]]:
    """Every field of the entry class, in order, read at C speed: a new field is pickled with
    no edit to __reduce__."""
    getter = _GETTERS.get(kind)
    if getter is None:
        getter = _GETTERS[kind] = attrgetter(*(field.name for field in fields(kind)))
    return getter


class CorpusIndex:
    """The entries the lineage rules look at, and every id of the corpus.

    When files are named (pre-commit), the entries are those of the lineages the named files
    belong to: every lineage finding about a file involves only versions linked to it or
    sharing its id. Whether an id exists, and which id was meant, is asked of the whole corpus.
    """

    def __init__(self, entries: Iterable[Entry], known_ids: Iterable[str] | None = None) -> None:
        self.entries = sorted(entries, key=lambda e: (e.path, e.id))
        self.by_id: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            self.by_id[entry.id].append(entry)
        self.known_ids = frozenset(self.by_id if known_ids is None else known_ids)

    def unique(self, guideline_id: str | None) -> Entry | None:
        """The one entry with this id; None when absent or when the id is used twice."""
        if guideline_id is None:
            return None
        found = self.by_id.get(guideline_id, [])
        return found[0] if len(found) == 1 else None

    def __contains__(self, guideline_id: object) -> bool:
        return guideline_id in self.known_ids


class Linked:
    """Ids joined by supersession links into lineages (union-find, with path halving)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        """The representative of `node`'s lineage."""
        parent = self.parent
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(self, one: str, other: str) -> None:
        self.parent[self.find(other)] = self.find(one)


def linked_to(named_ids: Iterable[str], links: Iterable[tuple[str, Iterable[str]]]) -> set[str]:
    """The ids connected to `named_ids` by supersession or amendment links, `(id, named ids)`.

    Ids joined only through an id no file has are included too: a few more entries for the
    lineage pass, never one too few.
    """
    linked = Linked()
    for guideline_id, others in links:
        linked.find(guideline_id)
        for other in others:
            linked.join(guideline_id, other)
    roots = {linked.find(guideline_id) for guideline_id in named_ids}
    return {node for node in linked.parent if linked.find(node) in roots}
