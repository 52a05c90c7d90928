"""Run the per-file rules on every file, then the corpus rules on the index of all files."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from guidelint.core import codes
from guidelint.core.corpus_index import Entry
from guidelint.core.diagnostic import Diagnostic, Severity
from guidelint.core.settings import Config, Settings, matches
from guidelint.core.span import Span
from guidelint.engine.corpus import _named_lineages, _names_any, _stored_links, check_corpus
from guidelint.engine.files import FileResult
from guidelint.engine.paths import display_path
from guidelint.engine.scope import _excluder, in_corpus, rest_of_corpus
from guidelint.engine.store import Record, Results, Store
from guidelint.engine.workers import (
    CHANGED_WHILE_READ,
    CHECK_AHEAD_AFTER,
    MIN_FILES_PER_JOB,
    Job,
    Shared,
    Workers,
    _work,
)
from guidelint.readers.discovery import Exclude, Skip, Walk, discover
from guidelint.rules.registry import rules_by_code

if TYPE_CHECKING:
    from guidelint.readers.staged import Staged
    from guidelint.readers.suppression_comments import Suppressions


@dataclass(slots=True)
class RunResult:
    diagnostics: list[Diagnostic]
    paths: list[str]  # the files checked, as shown in diagnostics
    internal_errors: list[str] = field(default_factory=list)
    # Each checked file's name, as listed, by the path shown: a name shown escaped
    # (caf\xe9.md) names no file.
    files: dict[str, str] = field(default_factory=dict)
    # Folders and links left out while listing the files, for the command line to say.
    skipped: list[Skip] = field(default_factory=list)

    @property
    def files_checked(self) -> int:
        return len(self.paths)


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How to run, as opposed to what to check."""

    # Where per-file results and the last run's answer are kept (the cache); None: nowhere.
    store: Store | None = None
    jobs: int = 1
    # Display path -> bytes to check instead of the file on disk (--fix mends in memory).
    contents: Mapping[str, bytes] = field(default_factory=dict)
    # --staged: the commit as git's index has it (the corpus, and the ids it deletes).
    staged: Staged | None = None
    # Named files outside the corpus, or named like project documents, are left out too.
    force_exclude: bool = False


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
    store = options.store
    cached = store is not None
    rule_sets = (every_rule, every_rule) if cached else (enabled, frozenset())
    key = ""
    # Workers are started while the files are listed, unless most files are likely to come
    # from results on record (or the last run's answer be given again); --fix rounds check
    # a few files each.
    early = not options.contents
    row = None
    if store is not None:
        key = store.key(settings, config.limits, opt_in)
        early = early and not store.on_record(key)
        row = store.row_maker()
    workers = Workers(options.jobs, Shared(settings, config.limits, row, rule_sets), early)
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
    checked = _checked_files(paths, config, options, exclude, walk, workers)
    checked_pairs = list(checked.items())
    last_run = _last_run(options, key, enabled, config, walk)
    lineage = _lineage_files(paths, config, options, exclude, walk, checked, workers, last_run)
    lineage_pairs = [(shown, file) for file, shown in lineage]
    cache = None
    if options.store is not None:
        if last_run is not None:
            remembered = last_run.load(checked_pairs, lineage_pairs)
            if remembered is not None:
                return RunResult(remembered[0], remembered[1], [], checked, walk.skipped)
        cache = options.store.results(key)
    jobs = [Job(file, shown) for shown, file in checked.items()]
    stored, unstored = _stored_links(cache, lineage, options.contents)
    jobs += [Job(file, shown, lineage_only=True) for file, shown in unstored]
    results, changed = _check_files(jobs, cache, workers, options.contents, walk.refused)
    found = _Found.of(results, jobs, len(checked), enabled)
    deleted = options.staged.deleted_ids if options.staged is not None else frozenset()
    entries, known_ids = found.entries, None
    if lineage:
        shared = workers.shared
        entries, known_ids = _named_lineages(
            entries,
            checked,
            stored,
            cache,
            found.suppressions,
            shared.settings,
            shared.limits,
            deleted,
        )
    # A version that links to one the commit deletes is shown as if it had been named.
    reported = set(checked) | {entry.path for entry in entries if _names_any(entry, deleted)}
    diagnostics = found.diagnostics + _corpus_findings(
        entries, enabled, known_ids, reported, checked
    )
    kept = _settled(diagnostics, found.suppressions, checked, enabled, config)
    outcome = RunResult(kept, sorted(reported), found.errors, checked, walk.skipped)
    if last_run is not None and not found.errors and not changed:
        seen = cache.seen_stat if cache is not None else None
        last_run.save(checked_pairs, lineage_pairs, outcome.diagnostics, outcome.paths, seen)
    return outcome


def _checked_files(
    paths: list[Path],
    config: Config,
    options: RunOptions,
    exclude: Exclude,
    walk: Walk,
    workers: Workers,
) -> dict[str, str]:
    """The files to check, by the path shown; the workers start once there are enough."""
    checked: dict[str, str] = {}
    for file in discover(in_corpus(paths, config, options.force_exclude), exclude, walk):
        checked[display_path(file)] = file
        workers.expect(len(checked))
    return checked


def _last_run(
    options: RunOptions, key: str, enabled: frozenset[str], config: Config, walk: Walk
) -> Record | None:
    """The record of the last run's answer, when this run may give it again or remember its
    own. Content held in memory (--fix) is never remembered; a file refused (a link out of the
    repository) is never opened, not even to be stat'ed for the last run's fingerprint."""
    if options.store is None or options.contents or walk.refused:
        return None
    gone = sorted(options.staged.deleted_ids) if options.staged is not None else None
    invocation = repr((sorted(enabled), config, os.getcwd(), gone))  # noqa: PTH109
    return options.store.last_run(key, invocation)


def _lineage_files(
    paths: list[Path],
    config: Config,
    options: RunOptions,
    exclude: Exclude,
    walk: Walk,
    checked: dict[str, str],
    workers: Workers,
    last_run: Record | None,
) -> list[tuple[str, str]]:
    """The rest of the corpus, read for the lineage pass: (file, path shown).

    A few files named in a large corpus (pre-commit) are checked in a process of their own
    while this one lists and reads the rest, unless the last run's answer may be given again
    (it checked these very files, unchanged). The count is asked first: asking whether a
    process can fork imports multiprocessing.
    """
    checked_pairs = list(checked.items())
    ahead = (
        0 < len(checked) < MIN_FILES_PER_JOB * 2
        and workers.can_check_ahead
        and (last_run is None or last_run.checked_changed(checked_pairs))
    )
    held = options.contents
    lineage = []
    for file in rest_of_corpus(paths, config, exclude, options.staged, walk):
        shown = display_path(file)
        if shown not in checked and not (walk.refused and file in walk.refused):
            lineage.append((file, shown))
            if ahead and len(lineage) == CHECK_AHEAD_AFTER:
                workers.check_ahead([_work(Job(f, s), held) for s, f in checked_pairs])
    return lineage


@dataclass(slots=True)
class _Found:
    """What the per-file stage found: the checked files' diagnostics and internal errors, and
    the index entries and suppression comments of every file read."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    suppressions: dict[str, Suppressions] = field(default_factory=dict)

    @classmethod
    def of(
        cls, results: list[FileResult], jobs: list[Job], checked: int, enabled: frozenset[str]
    ) -> _Found:
        found = cls()
        for index, result in enumerate(results):
            if index < checked:  # the jobs of the checked files come first
                found.diagnostics += [d for d in result.diagnostics if d.code in enabled]
                if result.internal_error:
                    found.errors.append(result.internal_error)
            if result.entry is not None:
                found.entries.append(result.entry)
            if result.suppressions is not None and result.suppressions.items:
                found.suppressions[jobs[index].shown] = result.suppressions
        return found


def _corpus_findings(
    entries: list[Entry],
    enabled: frozenset[str],
    known_ids: set[str] | None,
    reported: set[str],
    checked: Mapping[str, str],
) -> list[Diagnostic]:
    """The corpus stage's diagnostics about a reported file, or about a checked one."""
    return [
        diagnostic
        for diagnostic, related in check_corpus(entries, enabled, known_ids)
        if diagnostic.path in reported or any(path in checked for path in related)
    ]


def _settled(
    diagnostics: list[Diagnostic],
    suppressions: dict[str, Suppressions],
    checked: Mapping[str, str],
    enabled: frozenset[str],
    config: Config,
) -> list[Diagnostic]:
    """The diagnostics left after suppression comments, per-file ignores and severities,
    each once, in order."""
    from guidelint.readers.suppression_comments import apply_suppressions  # not on the warm path

    applied = apply_suppressions(diagnostics, suppressions, set(checked), enabled, rules_by_code())
    kept = _configured(applied.kept + applied.problems, config, checked)
    return sorted(set(kept), key=Diagnostic.sort_key)


def _check_files(
    jobs: list[Job],
    cache: Results | None,
    workers: Workers,
    contents: Mapping[str, bytes] | None = None,
    refused: Mapping[str, str] | None = None,
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
            unread = Diagnostic.at(
                job.shown, Span.point(1), codes.FILE_UNREADABLE, Severity.ERROR, problem
            )
            results[index] = FileResult([unread], None)
            continue
        if cache is None or job.shown in held:
            to_check.append(index)  # content held in memory is checked, never cached
            continue
        try:
            diagnostics, entry, found = cache.get(job.file, job.shown, not job.lineage_only)
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


def _configured(
    diagnostics: list[Diagnostic], config: Config, checked: Mapping[str, str]
) -> list[Diagnostic]:
    """Apply the configured per-file ignores and severities."""
    severity = dict(config.severity)
    kept = []
    for diagnostic in diagnostics:
        ignored = _ignored_codes(diagnostic.path, config, checked)
        if any(diagnostic.code.startswith(code) for code in ignored):
            continue
        if diagnostic.code in severity:
            diagnostic = replace(diagnostic, severity=severity[diagnostic.code])
        kept.append(diagnostic)
    return kept


def _ignored_codes(shown: str, config: Config, checked: Mapping[str, str]) -> list[str]:
    """The codes the per-file ignores leave out of the file shown as `shown`."""
    if not config.per_file_ignores:
        return []
    file = Path(checked.get(shown) or shown)
    return [
        code
        for pattern, codes in config.per_file_ignores
        if matches(file, config.root, [pattern])
        for code in codes
    ]


def check_open_files(
    results: Mapping[str, FileResult],
    lineage: Iterable[Entry],
    known_ids: Iterable[str],
    files: Mapping[str, str],
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
    shown = {path: files[path] for path in results if path in files}
    return _settled(diagnostics, suppressions, shown, enabled, config)
