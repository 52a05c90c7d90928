"""The cache in one folder as a run uses it: the engine's `Store`, built by the command line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from guidelint.cache.key import cache_key
from guidelint.cache.last_run import LastRun
from guidelint.cache.store import Cache, row

if TYPE_CHECKING:
    from pathlib import Path

    from guidelint.core.limits import Limits
    from guidelint.core.settings import Settings
    from guidelint.engine.store import RowMaker


class CacheFolder:
    """The results store (`Cache`), the last run's record (`LastRun`) and the cache key, in
    `folder`. The folder was chosen and checked by the command line; the store and the record
    check again, as they open each file, that it is the user's own and no link."""

    # A plain class, not a dataclass: making one costs a millisecond, on every warm run.
    __slots__ = ("folder",)

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key(self, settings: Settings, limits: Limits, opt_in: Iterable[str]) -> str:
        return cache_key(settings, limits, opt_in)

    def on_record(self, key: str) -> bool:
        return Cache.on_record(self.folder, key)

    def results(self, key: str) -> Cache:
        return Cache.load(self.folder, key)

    def last_run(self, key: str, invocation: str) -> LastRun:
        return LastRun(self.folder, key, invocation)

    def row_maker(self) -> RowMaker:
        # A module's function: sent to the worker processes by name.
        return row
