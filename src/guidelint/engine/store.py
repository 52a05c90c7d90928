"""What a run asks of a results store and of the last run's record, and a file's stat.

The engine says here what it needs; the cache (`guidelint.cache.run_store`) provides it, and
the command line, which chooses the cache folder, hands it to a run (`RunOptions.store`). A
run without one checks every file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from guidelint.core.corpus_index import Entry
    from guidelint.core.diagnostic import Diagnostic
    from guidelint.core.limits import Limits
    from guidelint.core.settings import Settings
    from guidelint.readers.suppression_comments import Suppressions

    # A file's per-file results as a store keeps them.
    StoredResults = tuple[list[Diagnostic], Entry | None, Suppressions]

# A file's id and every id it names (its supersession and amendment links).
Links = tuple[str, tuple[str, ...]]
# The size and mtime a file had when its results were made, when known (Results.seen_stat).
Seen = Callable[[str], tuple[int, int] | None]


class Stat(NamedTuple):  # a tuple: its class costs a fifth of a dataclass's on every run
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path | str) -> Stat | None:
        """None for what is not a regular file: a FIFO or device must never be opened here."""
        found = regular_stat(path)
        return None if found is None else cls(*found)


def regular_stat(path: Path | str) -> tuple[int, int] | None:
    """A regular file's size and mtime; None for anything else, or a name that cannot be read.

    Tuples, not Stat: the cache and the last-run record ask this of every file of the corpus.
    """
    try:
        info = os.stat(path)  # noqa: PTH116 - no Path.stat frames
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns) if stat.S_ISREG(info.st_mode) else None


class RowMaker(Protocol):
    """Makes a checked file's record for the store, from its stat before it was read, the
    bytes read and its results. Called in the worker processes, where the work is parallel:
    it is sent to them, so it must pickle (a module's function does)."""

    def __call__(self, stat: Stat, content: bytes, result: StoredResults) -> str: ...


class Results(Protocol):
    """The per-file results on record for one cache key."""

    def get(self, path: str, shown_as: str, diagnostics: bool = True) -> StoredResults:
        """An unchanged file's results (without its diagnostics when not `diagnostics`);
        raises KeyError when the file is not stored, changed, or its record is not trusted."""
        ...

    def stored_links(
        self, files: Iterable[tuple[str, str]]
    ) -> tuple[list[tuple[str, str, Links | None]], list[tuple[str, str]]]:
        """The files stored and unchanged, with their links (None: no id); the others."""
        ...

    def put(self, path: str, row: str) -> None:
        """Store a file's record, made by the store's RowMaker."""
        ...

    def save(self) -> None:
        """Keep what was put; a store that cannot be written is only a slower next run."""
        ...

    def seen_stat(self, path: str) -> tuple[int, int] | None:
        """The size and mtime a file had when this run found it unchanged, or checked it."""
        ...


class Record(Protocol):
    """The last whole run's answer, given again when nothing it read has changed."""

    def checked_changed(self, checked: Iterable[tuple[str, str]]) -> bool:
        """Whether the files checked differ from the last run's in name, size or mtime."""
        ...

    def load(
        self, checked: list[tuple[str, str]], lineage: list[tuple[str, str]]
    ) -> tuple[list[Diagnostic], list[str]] | None:
        """The remembered diagnostics and files checked, when nothing changed; else None."""
        ...

    def save(
        self,
        checked: list[tuple[str, str]],
        lineage: list[tuple[str, str]],
        diagnostics: list[Diagnostic],
        paths: list[str],
        seen: Seen | None = None,
    ) -> None: ...


class Store(Protocol):
    """Where a run keeps per-file results and its answer, by a key of what made them."""

    def key(self, settings: Settings, limits: Limits, opt_in: Iterable[str]) -> str:
        """The key of results made by this code with these settings, limits and opt-in rules."""
        ...

    def on_record(self, key: str) -> bool:
        """Whether results with this key may be on record; only decides when workers start."""
        ...

    def results(self, key: str) -> Results: ...

    def last_run(self, key: str, invocation: str) -> Record:
        """The record of the last run with this key and `invocation` (everything else its
        answer depends on but the files' names, sizes and mtimes)."""
        ...

    def row_maker(self) -> RowMaker: ...
