"""Run the per-file rules on every file, then the corpus rules on the index of all files."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from guidelint.cache import Cache, Links, Stat, digest
from guidelint.cache import row as cache_row
from guidelint.config import Config, matches
from guidelint.context import FileContext, Settings
from guidelint.corpus import CorpusIndex, Entry, entry_of, linked_to
from guidelint.diagnostic import Diagnostic, Severity, Span
from guidelint.discovery import (
    SKIPPED_FILES,
    Exclude,
    Skip,
    Walk,
    common_start,
    discover,
    is_guideline_name,
    repository_top,
)
from guidelint.document import ReadResult, parse_document, read_bounded, read_document
from guidelint.limits import DEFAULT_LIMITS, Limits
from guidelint.registry import ALL_RULES, rules_by_code
from guidelint.rule import FileCheck, Rule

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.connection import Connection

    from guidelint.staged import Staged
    from guidelint.suppress import Suppressions

FILE_RULES = tuple(rule for rule in ALL_RULES if rule.check_file is not None)
CORPUS_RULES = tuple(rule for rule in ALL_RULES if rule.check_corpus is not None)


@dataclass(frozen=True, slots=True)
class FileResult:
    diagnostics: list[Diagnostic]
    entry: Entry | None
    internal_error: str | None = None
    suppressions: Suppressions | None = None

    def __reduce__(self) -> tuple[type[FileResult], tuple[object, ...]]:
        # Sent back by a worker process for every file: see Entry.__reduce__.
        return (FileResult, (self.diagnostics, self.entry, self.internal_error, self.suppressions))


@dataclass(slots=True)
class RunResult:
    diagnostics: list[Diagnostic]
    paths: list[str]  # the files checked, as shown in diagnostics
    internal_errors: list[str] = field(default_factory=list)
    # Each checked file by the path shown: a name shown escaped (caf\xe9.md) names no file.
    files: dict[str, Path] = field(default_factory=dict)
    # Folders and links left out while listing the files, for the command line to say.
    skipped: list[Skip] = field(default_factory=list)

    @property
    def files_checked(self) -> int:
        return len(self.paths)


def display_path(path: Path) -> str:
    """The path as shown in diagnostics: relative to the working folder when inside it."""
    # abspath, not resolve(): a symlinked file is shown under the name it was found by. Strings,
    # not pathlib: this runs for every file of the corpus, and pathlib's parsing dominated a
    # warm run. A relative path pathlib has normalised (no '..') is already what is shown.
    text = path.__fspath__()
    if not text.startswith(os.sep) and ".." not in text:
        return _printable(text if os.sep == "/" else text.replace(os.sep, "/"))
    cwd = os.getcwd()  # noqa: PTH109
    # '..' is not collapsed: after a symbolic link to a folder, 'link/..' is not the folder
    # the name suggests, and the name shown must reach the file that was checked.
    absolute = (
        os.path.join(cwd, text)  # noqa: PTH118
        if ".." in path.parts
        else os.path.abspath(text)  # noqa: PTH100
    )
    if absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        absolute = absolute[len(cwd.rstrip(os.sep)) + 1 :]
    return _printable(absolute.replace(os.sep, "/"))


def _printable(text: str) -> str:
    """A file name that is not UTF-8 (caf\\xe9.md) with its odd bytes written as \\xe9.

    Python keeps such bytes as lone surrogates, which no report can encode as UTF-8.
    """
    if text.isascii():
        return text
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def check_file(
    file: Path,
    settings: Settings,
    enabled: frozenset[str],
    limits: Limits = DEFAULT_LIMITS,
    data: bytes | None = None,
    shown: str | None = None,
) -> FileResult:
    path = shown if shown is not None else display_path(file)
    try:
        return _check_file(file, path, settings, enabled, limits, data)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # a bug must not stop the run, nor hide; a Rust panic is no Exception
        import traceback

        return FileResult([], None, f"{path}: internal error\n{traceback.format_exc()}")


def _check_file(
    file: Path,
    path: str,
    settings: Settings,
    enabled: frozenset[str],
    limits: Limits,
    data: bytes | None = None,
) -> FileResult:
    read = _read(file, path, limits, data)
    diagnostics = [d for d in read.diagnostics if d.code in enabled]
    document = read.document
    if document is None:
        return FileResult(diagnostics, None)
    # Imported here: a run answered from the cache never reads YAML, nor imports a reader,
    # nor looks for suppression comments.
    from guidelint.suppress import find_suppressions
    from guidelint.yamlpos import parse_front_matter

    parsed = parse_front_matter(
        document.front_matter, path, document.front_matter_first_line, limits
    )
    diagnostics += [d for d in parsed.diagnostics if d.code in enabled]
    if parsed.body_in_front_matter:
        # The closing '---' is missing: what follows the metadata is no body to judge.
        return FileResult(diagnostics, None)
    suppressions = find_suppressions(document, parsed)
    ctx = FileContext(file, path, document, parsed, settings)
    for rule, check in _file_checks(frozenset(enabled)):  # a frozenset is not copied
        for finding in check(ctx):
            diagnostics.append(
                Diagnostic.at(
                    path, finding.span, rule.code, rule.severity, finding.message, finding.fix
                )
            )
    return FileResult(diagnostics, _entry(ctx), suppressions=suppressions)


@cache
def _file_checks(enabled: frozenset[str]) -> list[tuple[Rule, FileCheck]]:
    """The per-file rules to run for this selection: worked out once, not for every file."""
    return [
        (rule, rule.check_file)
        for rule in FILE_RULES
        if rule.code in enabled and rule.check_file is not None
    ]


def _read(file: Path, path: str, limits: Limits, data: bytes | None) -> ReadResult:
    """The file from disk, or from `data` when --fix holds its mended content in memory."""
    if data is None:
        return read_document(file, path, limits)
    return parse_document(data, path, limits)


def _entry(ctx: FileContext) -> Entry | None:
    return entry_of(ctx.path, ctx.guideline, ctx.parsed.spans)


def check_corpus(
    entries: Iterable[Entry], enabled: frozenset[str], known_ids: Iterable[str] | None = None
) -> list[tuple[Diagnostic, tuple[str, ...]]]:
    """Corpus diagnostics, each with the other files it is about."""
    index = CorpusIndex(entries, known_ids)
    found = []
    for rule in CORPUS_RULES:
        if rule.code in enabled and rule.check_corpus is not None:
            for finding in rule.check_corpus(index):
                diagnostic = Diagnostic.at(
                    finding.path,
                    finding.span,
                    rule.code,
                    rule.severity,
                    finding.message,
                    finding.fix,
                )
                found.append((diagnostic, finding.related))
    return found


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How to run, as opposed to what to check."""

    cache_dir: Path | None = None  # None: no cache
    jobs: int = 1
    # Display path -> bytes to check instead of the file on disk (--fix mends in memory).
    contents: Mapping[str, bytes] = field(default_factory=dict)
    # --staged: the commit as git's index has it (the corpus, and the ids it deletes).
    staged: Staged | None = None
    # Named files outside the corpus, or named like project documents, are left out too.
    force_exclude: bool = False


# Below this many files to check, starting worker processes costs more than it saves.
MIN_FILES_PER_JOB = 200
# Files named in a corpus with at least this many others are checked ahead (Workers.check_ahead).
CHECK_AHEAD_AFTER = 400


def run(
    paths: list[Path],
    settings: Settings,
    enabled: frozenset[str],
    config: Config | None = None,
    options: RunOptions | None = None,
) -> RunResult:
    config = config or Config()
    options = options or RunOptions()
    # With a cache, every rule runs so the stored results serve any later selection, but for
    # opt-in rules not selected, which are part of the cache key instead; without one, the
    # files read for their lineage entry only skip the per-file rules.
    rules = rules_by_code().values()
    opt_in = frozenset(rule.code for rule in rules if not rule.default and rule.code in enabled)
    every_rule = frozenset(rule.code for rule in rules if rule.default) | opt_in
    cached = options.cache_dir is not None
    rule_sets = (every_rule, every_rule) if cached else (enabled, frozenset())
    key = ""
    # Workers are started while the files are listed, unless most files are likely to come
    # from results on record (or the last run's answer be given again); --fix rounds check
    # a few files each.
    early = not options.contents
    if options.cache_dir is not None:
        from guidelint.cache import Cache, cache_key

        key = cache_key(settings, config.limits, opt_in)
        early = early and not Cache.on_record(options.cache_dir, key)
    workers = Workers(options.jobs, Shared(settings, config.limits, cached, rule_sets), early)
    with workers:
        return _run(paths, enabled, config, options, key, workers)


def _run(
    paths: list[Path],
    enabled: frozenset[str],
    config: Config,
    options: RunOptions,
    key: str,
    workers: Workers,
) -> RunResult:
    exclude = _excluder(config)
    walk = Walk(str(config.top), config.in_repository) if config.top is not None else Walk()
    checked: dict[str, Path] = {}
    for file in discover(in_corpus(paths, config, options.force_exclude), exclude, walk):
        checked[display_path(file)] = file
        workers.expect(len(checked))
    checked_pairs = list(checked.items())
    last_run = None
    # A file refused (a link out of the repository) is never opened, not even to be stat'ed
    # for the last run's fingerprint.
    if options.cache_dir is not None and not options.contents and not walk.refused:
        # Content held in memory (--fix) is never remembered.
        from guidelint.cache import LastRun

        gone = sorted(options.staged.deleted_ids) if options.staged is not None else None
        invocation = repr((sorted(enabled), config, os.getcwd(), gone))  # noqa: PTH109
        last_run = LastRun(options.cache_dir, key, invocation)
    # A few files named in a large corpus (pre-commit): check them in a process of their own
    # while this one reads the rest of the corpus, unless the last run's answer may be given
    # again (it checked these very files, unchanged).
    # The count first: asking whether a process can fork imports multiprocessing.
    ahead = (
        0 < len(checked) < MIN_FILES_PER_JOB * 2
        and workers.can_check_ahead
        and (last_run is None or last_run.checked_changed(checked_pairs))
    )
    held = options.contents
    context = []
    for file in _context_files(paths, config, exclude, options.staged, walk):
        shown = display_path(file)
        if shown not in checked and not (walk.refused and file in walk.refused):
            context.append((file, shown))
            if ahead and len(context) == CHECK_AHEAD_AFTER:
                workers.check_ahead([_work(Job(f, s), held) for s, f in checked_pairs])
    cache = None
    context_pairs = [(shown, file) for file, shown in context]
    if options.cache_dir is not None:
        from guidelint.cache import Cache

        if last_run is not None:
            remembered = last_run.load(checked_pairs, context_pairs)
            if remembered is not None:
                return RunResult(remembered[0], remembered[1], [], checked, walk.skipped)
        cache = Cache.load(options.cache_dir, key)
    jobs = [Job(file, shown) for shown, file in checked.items()]
    stored, unstored = _stored_links(cache, context, options.contents)
    jobs += [Job(file, shown, context=True) for file, shown in unstored]
    settings, limits = workers.shared.settings, workers.shared.limits
    results, changed = _check_files(jobs, cache, workers, options.contents, walk.refused)

    diagnostics: list[Diagnostic] = []
    entries: list[Entry] = []
    errors: list[str] = []
    suppressions: dict[str, Suppressions] = {}
    for index, result in enumerate(results):
        if index < len(checked):
            diagnostics += [d for d in result.diagnostics if d.code in enabled]
            if result.internal_error:
                errors.append(result.internal_error)
        if result.entry is not None:
            entries.append(result.entry)
        if result.suppressions is not None and result.suppressions.items:
            suppressions[jobs[index].shown] = result.suppressions
    known_ids = None
    deleted = options.staged.deleted_ids if options.staged is not None else frozenset()
    if context:
        entries, known_ids = _named_lineages(
            entries, checked, stored, cache, suppressions, settings, limits, deleted
        )
    # A version that links to one the commit deletes is shown as if it had been named.
    reported = set(checked) | {entry.path for entry in entries if _names_any(entry, deleted)}
    diagnostics += [
        diagnostic
        for diagnostic, related in check_corpus(entries, enabled, known_ids)
        if diagnostic.path in reported or any(path in checked for path in related)
    ]
    from guidelint.suppress import apply_suppressions  # not for the last run's answer

    applied = apply_suppressions(diagnostics, suppressions, set(checked), enabled, rules_by_code())
    kept = _configured(applied.kept + applied.problems, config, checked)
    unique = sorted(set(kept), key=Diagnostic.sort_key)
    outcome = RunResult(unique, sorted(reported), errors, checked, walk.skipped)
    if last_run is not None and not errors and not changed:
        seen = cache.seen_stat if cache is not None else None
        last_run.save(checked_pairs, context_pairs, outcome.diagnostics, outcome.paths, seen)
    return outcome


def _named_lineages(
    entries: list[Entry],
    checked: Mapping[str, Path],
    stored: list[tuple[Path, str, Links]],
    cache: Cache | None,
    suppressions: dict[str, Suppressions],
    settings: Settings,
    limits: Limits,
    deleted: frozenset[str] = frozenset(),
) -> tuple[list[Entry], set[str]]:
    """When files are named: the entries of their lineages, and every id of the corpus.

    Only the named files' lineages can give a finding about them, and those of the ids a
    staged commit deletes; the rest of the corpus tells which ids exist. Context files known to
    the cache were read for their links alone; those in a named lineage are read in full here.
    """
    named = [entry.id for entry in entries if entry.path in checked] + sorted(deleted)
    links: list[tuple[str, Iterable[str]]] = [(e.id, e.names()) for e in entries]
    links += [found for _, _, found in stored]
    relevant = linked_to(named, links)
    kept = [entry for entry in entries if entry.id in relevant]
    in_lineage = [item for item in stored if item[2][0] in relevant]
    kept += _stored_entries(in_lineage, cache, suppressions, settings, limits)
    return kept, {found[0] for found in links}


def _names_any(entry: Entry, ids: frozenset[str]) -> bool:
    return bool(ids) and not ids.isdisjoint(entry.names())


def _stored_links(
    cache: Cache | None, context: list[tuple[Path, str]], held: Mapping[str, bytes]
) -> tuple[list[tuple[Path, str, Links]], list[tuple[Path, str]]]:
    """The context files the cache knows unchanged, with their links; and the others."""
    if cache is None:
        return [], context
    asked = [(file, shown) for file, shown in context if shown not in held]
    found, unstored = cache.stored_links(asked)
    unstored += [(file, shown) for file, shown in context if shown in held]
    stored = [(file, shown, links) for file, shown, links in found if links is not None]
    return stored, unstored


def _stored_entries(
    stored: list[tuple[Path, str, Links]],
    cache: Cache | None,
    suppressions: dict[str, Suppressions],
    settings: Settings,
    limits: Limits,
) -> list[Entry]:
    """The full entries (and suppression comments) of context files in a checked lineage."""
    entries: list[Entry] = []
    for file, shown, _ in stored:
        try:
            assert cache is not None  # stored links came from it
            _, entry, found = cache.get(file, shown, diagnostics=False)
        except KeyError:  # changed since its links were read: read it again
            from guidelint.suppress import Suppressions

            result = check_file(file, settings, frozenset(), limits, shown=shown)
            entry, found = result.entry, result.suppressions or Suppressions()
        if entry is not None:
            entries.append(entry)
        if found.items:
            suppressions[shown] = found
    return entries


class Job(NamedTuple):  # a tuple: ten thousand are made in the main process's serial part
    file: Path
    shown: str  # the path as shown in diagnostics
    context: bool = False  # read for the lineage pass only: its own diagnostics are not shown


# What a worker is given per file: the file, how to show it, which of the run's rule sets to
# apply (an index into Shared.rule_sets: the sets are sent once, not with every file), and its
# content when --fix holds it in memory; the settings and limits are the same for every file.
Work = tuple[Path, str, int, bytes | None]
# A checked file's line in the cache: made in the worker, where the work is parallel.
CacheRow = str
# In place of a line: the file changed while it was being checked. Its results are reported,
# but the run's answer is not remembered: it may not be the answer for the file as it is now.
CHANGED_WHILE_READ: CacheRow = ""


def _work(job: Job, held: Mapping[str, bytes]) -> Work:
    """What a worker is given for a job. The same job gives an equal item, which is how
    the results of files checked ahead are matched to their jobs."""
    return (job.file, job.shown, int(job.context), held.get(job.shown))


@dataclass(frozen=True, slots=True)
class Shared:
    """What every file of a run is checked with: sent to each worker process once."""

    settings: Settings
    limits: Limits
    cacheable: bool  # whether to return each file's stat and content hash with its result
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
    file, shown, rule_set, data = work
    settings, limits, enabled = shared.settings, shared.limits, shared.rule_sets[rule_set]
    if data is not None or not shared.cacheable:
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
    from guidelint.suppress import Suppressions

    found = result.suppressions or Suppressions()
    return result, cache_row(before, digest(raw), (result.diagnostics, result.entry, found))


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

        context = multiprocessing.get_context("fork")
        self.work = work
        self.receiving, sending = context.Pipe(duplex=False)
        _flush_before_fork()
        self.process = context.Process(
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


def _check_files(
    jobs: list[Job],
    cache: Cache | None,
    workers: Workers,
    contents: Mapping[str, bytes] | None = None,
    refused: Mapping[Path, str] | None = None,
) -> tuple[list[FileResult], bool]:
    """Per-file results in the order of `jobs`: from the cache, else checked (maybe in
    parallel); and whether a file changed while it was being checked. A refused file is
    reported as unreadable, for its reason, and never opened."""
    held = contents or {}
    results: list[FileResult | None] = [None] * len(jobs)
    to_check: list[int] = []
    for index, job in enumerate(jobs):
        reason = refused.get(job.file) if refused else None
        if reason is not None:
            problem = f"file not read: {reason}; link to a file inside it, or copy the file in"
            unread = Diagnostic.at(job.shown, Span.point(1), "GL012", Severity.ERROR, problem)
            results[index] = FileResult([unread], None)
            continue
        if cache is None or job.shown in held:
            to_check.append(index)  # content held in memory is checked, never cached
            continue
        try:
            diagnostics, entry, found = cache.get(job.file, job.shown, not job.context)
        except KeyError:
            to_check.append(index)
        else:
            results[index] = FileResult(diagnostics, entry, suppressions=found)
    work = [_work(jobs[i], held) for i in to_check]
    done = workers.map(work)
    changed = False
    for index, (result, row) in zip(to_check, done, strict=True):
        results[index] = result
        if row == CHANGED_WHILE_READ:
            changed = True
        elif cache is not None and row is not None:
            cache.put(jobs[index].file, row)
    if cache is not None:
        cache.save()
    return [result for result in results if result is not None], changed


def _excluder(config: Config) -> Exclude:
    patterns = config.extend_exclude
    root = config.root

    def exclude(path: Path) -> bool:
        return bool(patterns) and matches(path, root, patterns)

    return exclude


def _configured(
    diagnostics: list[Diagnostic], config: Config, checked: dict[str, Path]
) -> list[Diagnostic]:
    """Apply the configured per-file ignores and severities."""
    severity = dict(config.severity)
    kept = []
    for diagnostic in diagnostics:
        file = checked.get(diagnostic.path) or Path(diagnostic.path)
        ignored = [
            code
            for pattern, codes in config.per_file_ignores
            if matches(file, config.root, [pattern])
            for code in codes
        ]
        if any(diagnostic.code.startswith(code) for code in ignored):
            continue
        if diagnostic.code in severity:
            diagnostic = replace(diagnostic, severity=severity[diagnostic.code])
        kept.append(diagnostic)
    return kept


def in_corpus(paths: list[Path], config: Config, force_exclude: bool = False) -> list[Path]:
    """The paths to check, narrowed to the configured corpus.

    A folder that holds the corpus root is narrowed to it (`guidelint .` at the top checks the
    corpus alone). With `force_exclude` (ruff's option of that name, which its pre-commit hook
    passes; `--staged` implies it), a file or folder outside `corpus-root`, or a file named like
    a project document (README.md, CHANGELOG.md, ...), is left out even when named: pre-commit
    names every staged Markdown file, and a README is no guideline.
    """
    root = config.corpus_root
    kept: list[Path] = []
    for path in paths:
        is_folder = path.is_dir()
        if force_exclude and not is_folder and path.name in SKIPPED_FILES:
            continue
        if root is None:
            kept.append(path)
            continue
        absolute = Path(os.path.abspath(path))  # noqa: PTH100
        if absolute == root or root in absolute.parents:
            kept.append(path)
        elif is_folder and absolute in root.parents:
            kept.append(_relative_to_cwd(root))
        elif not force_exclude:
            kept.append(path)
    return kept


def corpus_root(paths: list[Path], config: Config) -> Path | None:
    """Where the corpus the checked files belong to lives.

    The configured `corpus-root`; else the folder of the configuration file; else the top of
    the git work tree. None when the checked paths are not all inside it: then the folders of
    the named files are the corpus.
    """
    root = config.corpus_root or (config.source.parent if config.source else None)
    if root is None and config.top is not None:
        root = config.top if config.in_repository else None
    elif root is None:
        found = repository_top(common_start(paths))
        root = Path(found) if found else None
    if root is None:
        return None
    absolute = [Path(os.path.abspath(path)) for path in paths]  # noqa: PTH100
    if all(path == root or root in path.parents for path in absolute):
        return root
    return None


def _relative_to_cwd(folder: Path) -> Path:
    """`folder` relative to the working folder when inside it, as display_path shows files."""
    cwd = os.getcwd().rstrip(os.sep)  # noqa: PTH109
    text = str(folder)
    if text == cwd:
        return Path()
    return Path(text[len(cwd) + 1 :]) if text.startswith(cwd + os.sep) else folder


def _context_files(
    paths: list[Path],
    config: Config,
    exclude: Exclude,
    staged: Staged | None = None,
    walk: Walk | None = None,
) -> Iterator[Path]:
    """The rest of the corpus, read for the lineage pass only.

    Lineage is a property of the corpus: a file checked alone (as pre-commit names files) must
    still be linked against the other versions. The other files are read for their index entry
    and suppression comments only; their own problems are not reported, and corpus findings
    are kept only when they involve a checked file.
    """
    root = corpus_root(paths, config)
    if staged is not None:
        # What the commit will contain: the index's files, not stray ones in the folder.
        yield from _staged_corpus(staged, root or staged.top, exclude)
        return
    if root is not None:
        if any(os.path.abspath(path) == str(root) for path in paths):  # noqa: PTH100
            return  # the whole corpus is being checked already: nothing to add
        folders = [_relative_to_cwd(root)]
    else:
        folders = sorted({file.parent for file in paths if not file.is_dir()})
    yield from discover(folders, exclude, walk)


def _staged_corpus(staged: Staged, root: Path, exclude: Exclude) -> Iterator[Path]:
    """The guideline files of the index under `root`, as discovery would find them there."""
    top = str(root).rstrip(os.sep) + os.sep
    for file in staged.tracked:
        name = str(file)
        if not name.startswith(top) or not name.endswith(".md"):
            continue
        relative = _relative_to_cwd(file)
        if is_guideline_name(relative, root) and not exclude(relative):
            yield relative


def check_open_files(
    results: Mapping[str, FileResult],
    lineage: Iterable[Entry],
    known_ids: Iterable[str],
    files: Mapping[str, Path],
    enabled: frozenset[str],
    config: Config,
) -> list[Diagnostic]:
    """The problems of files held in memory (an editor's unsaved buffers), by the name shown.

    The stages of a run for named files: their own problems, the lineage problems the corpus
    pass finds in them from `lineage` (the entries of every version linked to one of them,
    theirs included) with `known_ids` (every id of the corpus), then their suppression
    comments and the configured ignores and severities. Only the problems of the files in
    `results` are returned.
    """
    diagnostics = [
        d for result in results.values() for d in result.diagnostics if d.code in enabled
    ]
    diagnostics += [
        diagnostic
        for diagnostic, _ in check_corpus(lineage, enabled, known_ids)
        if diagnostic.path in results
    ]
    suppressions = {
        path: result.suppressions
        for path, result in results.items()
        if result.suppressions is not None and result.suppressions.items
    }
    from guidelint.suppress import apply_suppressions

    applied = apply_suppressions(diagnostics, suppressions, set(results), enabled, rules_by_code())
    shown = {path: files[path] for path in results if path in files}
    kept = _configured(applied.kept + applied.problems, config, shown)
    return sorted(set(kept), key=Diagnostic.sort_key)
