"""Worker processes for the per-file stage, and the files a pre-commit run checks ahead."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from guidelint.core.limits import Limits
from guidelint.core.settings import Settings
from guidelint.engine.files import FileResult, check_file
from guidelint.engine.store import RowMaker, Stat
from guidelint.readers.document import read_bounded

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.connection import Connection


# Below this many files to check, starting worker processes costs more than it saves.
MIN_FILES_PER_JOB = 200


# Files named in a corpus with at least this many others are checked ahead (Workers.check_ahead).
CHECK_AHEAD_AFTER = 400


class Job(NamedTuple):  # a tuple: ten thousand are made in the main process's serial part
    file: str  # the name listed: a Path is made only when the file is checked
    shown: str  # the path as shown in diagnostics
    lineage_only: bool = False  # read for the lineage pass only: its own problems are not shown


# What a worker is given per file: the file, how to show it, which of the run's rule sets to
# apply (an index into Shared.rule_sets: the sets are sent once, not with every file), and its
# content when --fix holds it in memory; the settings and limits are the same for every file.
Work = tuple[str, str, int, bytes | None]


# A checked file's record for the store (made by its RowMaker), made in the worker, where the
# work is parallel.
CacheRow = str


# In place of a line: the file changed while it was being checked. Its results are reported,
# but the run's answer is not remembered: it may not be the answer for the file as it is now.
CHANGED_WHILE_READ: CacheRow = ""


def _work(job: Job, held: Mapping[str, bytes]) -> Work:
    """What a worker is given for a job. The same job gives an equal item, which is how
    the results of files checked ahead are matched to their jobs."""
    return (job.file, job.shown, int(job.lineage_only), held.get(job.shown))


@dataclass(frozen=True, slots=True)
class Shared:
    """What every file of a run is checked with: sent to each worker process once."""

    settings: Settings
    limits: Limits
    # What makes each checked file's record for the store, with its result; None: no store.
    row: RowMaker | None
    # The rules for the files checked, then for the files read for the lineage pass only.
    rule_sets: tuple[frozenset[str], frozenset[str]]


_shared: Shared | None = None


# A guideline that makes a worker import and build what checking a file needs: the YAML
# reader, the fast schema validator, the model, the Markdown parser. It is valid: the slower
# validator that explains problems is built on the first invalid file, if there is one.
WARM_UP = b"""---
id: warm-up-2024
title: Warm-up
organization: guidelint
country: United States
url: https://example.org/warm-up
specialty: neurology
guideline_type: clinical-practice
evidence_system: grade
conditions:
  - None
publication_date: 2024-06-01
status: current
---
## Scope

Text.

## Key Recommendations

Text.
"""


def _init_worker(shared: Shared) -> None:
    global _shared
    _ignore_interrupts()
    _shared = shared
    # Now, while the main process is still listing files, rather than on the first file.
    check_file(
        Path("warm-up-2024.md"), shared.settings, shared.rule_sets[0], shared.limits, WARM_UP
    )


class Workers:
    """Worker processes for the per-file stage, started once there is enough work for them.

    They are started while the files are still being listed (`expect`), so that their
    start-up, a tenth of a second of imports each, overlaps the rest of the walk; but not when
    `early` is false: results on record will answer for most files, or --fix rounds check a
    few each.
    """

    def __init__(self, count: int, shared: Shared, early: bool) -> None:
        self.count = count
        self.shared = shared
        self.early = early
        self.pool: ProcessPoolExecutor | None = None
        self.ahead: _Ahead | None = None

    @property
    def can_check_ahead(self) -> bool:
        return self.count > 1 and _can_fork()

    def check_ahead(self, work: list[Work]) -> None:
        """Start checking these files in a process of their own, while this one goes on.

        A pre-commit run names a few files in a large corpus: checking them (with the imports
        that takes) costs about as much as reading the links of all the others, and the two
        can run on two cores.
        """
        try:
            self.ahead = _Ahead(self.shared, work)
        except OSError:  # no process to be had (a limit on processes, no memory): check here
            self.ahead = None

    def worth_it(self, files: int) -> bool:
        return self.count > 1 and files >= MIN_FILES_PER_JOB * 2

    def expect(self, files: int) -> None:
        """`files` have been found so far: start the workers if that is enough work."""
        if self.early and self.pool is None and self.worth_it(files):
            self.early = False
            with contextlib.suppress(OSError):  # no process to be had: started later, or not
                self._start()

    def map(self, work: list[Work]) -> list[tuple[FileResult, CacheRow | None]]:
        """Each item checked, in order: ahead, by the workers when there are enough, or here."""
        if self.ahead is None:
            return self._map(work)
        if self.ahead.work and not set(self.ahead.work) & set(work):
            self.ahead.cancel()  # the files checked ahead were found in the cache after all
            self.ahead = None
            return self._map(work)
        ahead = self.ahead.results()
        rest = [item for item in work if item not in ahead]
        done = dict(zip(rest, self._map(rest), strict=True))
        return [ahead[item] if item in ahead else done[item] for item in work]

    def _map(self, work: list[Work]) -> list[tuple[FileResult, CacheRow | None]]:
        if self.worth_it(len(work)):
            try:
                pool = self.pool or self._start()
            except OSError:  # no process to be had (a limit on processes, no memory)
                self.close()
            else:
                try:
                    return list(pool.map(_check_in_worker, work, chunksize=64))
                finally:
                    self.close()  # the workers' memory goes back before the corpus pass
        return [_check_job(item, self.shared) for item in work]

    def _start(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        _flush_before_fork()
        pool = ProcessPoolExecutor(self.count, initializer=_init_worker, initargs=(self.shared,))
        try:
            with _interrupts_held():
                pool.submit(int)  # the processes start with the first task: now, not later
        except OSError:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        self.pool = pool
        return pool

    def __enter__(self) -> Workers:
        return self

    def close(self) -> None:
        if self.ahead is not None:
            self.ahead.cancel()
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def __exit__(self, *_: object) -> None:
        self.close()


def _check_in_worker(work: Work) -> tuple[FileResult, CacheRow | None]:
    assert _shared is not None, "the worker was started without _init_worker"
    return _check_job(work, _shared)


def _check_job(work: Work, shared: Shared) -> tuple[FileResult, CacheRow | None]:
    """Check one file; in a worker process, the file is read there, and read once."""
    name, shown, rule_set, data = work
    file = Path(name)
    settings, limits, enabled = shared.settings, shared.limits, shared.rule_sets[rule_set]
    if data is not None or shared.row is None:
        return check_file(file, settings, enabled, limits, data, shown), None
    before = Stat.of(file)
    if before is None or before.size > limits.max_file_bytes:
        # Not a regular file, or too big: read_document says so, and it is never cached.
        return check_file(file, settings, enabled, limits, None, shown), None
    try:
        # Bounded, and never waiting on a file replaced by a FIFO since it was listed.
        raw = read_bounded(file, limits.max_file_bytes)
    except OSError:
        return check_file(file, settings, enabled, limits, None, shown), None
    result = check_file(file, settings, enabled, limits, raw, shown)
    if result.internal_error is not None:
        return result, None
    if Stat.of(file) != before:
        return result, CHANGED_WHILE_READ  # stored nowhere: neither cached nor remembered
    from guidelint.readers.suppression_comments import Suppressions

    found = result.suppressions or Suppressions()
    return result, shared.row(before, raw, (result.diagnostics, result.entry, found))


def _can_fork() -> bool:
    """Whether a process can start as a copy of this one (not on Windows; not on macOS,
    where forking a process that has loaded system frameworks is unsafe)."""
    import multiprocessing

    threading = sys.modules.get("threading")  # never imported: no other thread to worry about
    if threading is not None and threading.active_count() > 1:
        return False  # a copy of a process with threads may wait forever on a lock they held
    return sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is for the main process, which stops the run and says so once;
    a worker that took it too would print its own traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back while processes are forked: a copy made meanwhile starts with it
    blocked, and ignores it before letting it through; here it arrives just after."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _flush_before_fork() -> None:
    # A forked process flushes the standard streams it copied when it ends: anything still
    # buffered here would be written twice.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()


class _Ahead:
    """Files checked in a forked process of their own; see Workers.check_ahead."""

    def __init__(self, shared: Shared, work: list[Work]) -> None:
        import multiprocessing

        forking = multiprocessing.get_context("fork")
        self.work = work
        self.receiving, sending = forking.Pipe(duplex=False)
        _flush_before_fork()
        self.process = forking.Process(
            target=_check_ahead, args=(sending, shared, work), daemon=True
        )
        try:
            with _interrupts_held():
                self.process.start()
        except OSError:
            self.receiving.close()
            raise
        finally:
            sending.close()
        self._results: dict[Work, tuple[FileResult, CacheRow | None]] | None = None

    def results(self) -> dict[Work, tuple[FileResult, CacheRow | None]]:
        """Each file's result; none when the process failed (they are then checked here)."""
        if self._results is None:
            try:
                self._results = dict(zip(self.work, self.receiving.recv(), strict=True))
            except (EOFError, OSError, ValueError):
                self._results = {}
            self.cancel()
        return self._results

    def cancel(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receiving.close()


def _check_ahead(sending: Connection, shared: Shared, work: list[Work]) -> None:
    _ignore_interrupts()
    sending.send([_check_job(item, shared) for item in work])
    sending.close()
