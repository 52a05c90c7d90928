"""Run the per-file rules on every file, then the corpus rules on the index of all files."""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from guidelint.cache import Cache, Stat, digest
from guidelint.config import Config, matches
from guidelint.context import FileContext, Settings
from guidelint.corpus import LINEAGE_KEYS, CorpusIndex, Entry
from guidelint.diagnostic import Diagnostic
from guidelint.discovery import Exclude, discover
from guidelint.document import ReadResult, parse_document, read_document
from guidelint.limits import DEFAULT_LIMITS, Limits
from guidelint.registry import ALL_RULES, rules_by_code
from guidelint.suppress import Suppressions, apply_suppressions, find_suppressions
from guidelint.yamlpos import parse_front_matter

FILE_RULES = tuple(rule for rule in ALL_RULES if rule.check_file is not None)
CORPUS_RULES = tuple(rule for rule in ALL_RULES if rule.check_corpus is not None)


@dataclass(frozen=True, slots=True)
class FileResult:
    diagnostics: list[Diagnostic]
    entry: Entry | None
    internal_error: str | None = None
    suppressions: Suppressions | None = None


@dataclass(slots=True)
class RunResult:
    diagnostics: list[Diagnostic]
    paths: list[str]  # the files checked, as shown in diagnostics
    internal_errors: list[str] = field(default_factory=list)

    @property
    def files_checked(self) -> int:
        return len(self.paths)


def display_path(path: Path) -> str:
    """The path as shown in diagnostics: relative to the working folder when inside it."""
    # abspath, not resolve(): a symlinked file is shown under the name it was found by. Strings,
    # not pathlib: this runs twice per file, and pathlib's parsing dominated a warm run.
    absolute = os.path.abspath(path)  # noqa: PTH100
    cwd = os.getcwd()  # noqa: PTH109
    if absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        absolute = absolute[len(cwd.rstrip(os.sep)) + 1 :]
    return absolute.replace(os.sep, "/")


def check_file(
    file: Path,
    settings: Settings,
    enabled: frozenset[str],
    limits: Limits = DEFAULT_LIMITS,
    data: bytes | None = None,
) -> FileResult:
    path = display_path(file)
    try:
        return _check_file(file, path, settings, enabled, limits, data)
    except Exception:  # a bug in guidelint must not stop the run, nor hide the bug
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
    parsed = parse_front_matter(
        document.front_matter, path, document.front_matter_first_line, limits
    )
    diagnostics += [d for d in parsed.diagnostics if d.code in enabled]
    suppressions = find_suppressions(document, parsed)
    ctx = FileContext(file, path, document, parsed, settings)
    for rule in FILE_RULES:
        if rule.code in enabled and rule.check_file is not None:
            for finding in rule.check_file(ctx):
                diagnostics.append(
                    Diagnostic.at(
                        path, finding.span, rule.code, rule.severity, finding.message, finding.fix
                    )
                )
    return FileResult(diagnostics, _entry(ctx), suppressions=suppressions)


def _read(file: Path, path: str, limits: Limits, data: bytes | None) -> ReadResult:
    """The file from disk, or from `data` when --fix holds its mended content in memory."""
    return read_document(file, path, limits) if data is None else parse_document(data, path)


def _entry(ctx: FileContext) -> Entry | None:
    g = ctx.guideline
    if not g.id:
        return None
    keys = tuple(key for key in LINEAGE_KEYS if (key,) in ctx.parsed.spans)
    numbers: list[int] = []
    for key in keys:
        span = ctx.value_span(key)
        numbers += (span.line, span.column, span.end_line, span.end_column)
    return Entry(
        path=ctx.path,
        id=g.id,
        status=g.status,
        supersedes=g.supersedes,
        superseded_by=g.superseded_by,
        publication_date=g.publication_date,
        previous_version_date=g.previous_version_date,
        span_keys=keys,
        span_numbers=tuple(numbers),
    )


def check_corpus(
    entries: Iterable[Entry], enabled: frozenset[str]
) -> list[tuple[Diagnostic, tuple[str, ...]]]:
    """Corpus diagnostics, each with the other files it is about."""
    index = CorpusIndex(entries)
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


# Below this many files to check, starting worker processes costs more than it saves.
MIN_FILES_PER_JOB = 200


def run(
    paths: list[Path],
    settings: Settings,
    enabled: frozenset[str],
    config: Config | None = None,
    options: RunOptions | None = None,
) -> RunResult:
    config = config or Config()
    options = options or RunOptions()
    exclude = _excluder(config)
    files = list(discover(paths, exclude))
    checked = {display_path(file): file for file in files}
    context = []
    for file in _context_files(paths, config, exclude):
        shown = display_path(file)
        if shown not in checked:
            context.append((file, shown))
    cache = None
    if options.cache_dir is not None:
        from guidelint.cache import Cache, cache_key

        cache = Cache.load(options.cache_dir, cache_key(settings, config.limits))
    # With a cache, every rule runs so the stored results serve any later selection; without
    # one, the files read for their lineage entry only skip the per-file rules.
    every_rule = frozenset(rules_by_code())
    jobs = [Job(file, shown, every_rule if cache else enabled) for shown, file in checked.items()]
    jobs += [Job(file, shown, every_rule if cache else frozenset()) for file, shown in context]
    results = _check_files(jobs, settings, config.limits, cache, options.jobs, options.contents)

    diagnostics: list[Diagnostic] = []
    entries: list[Entry] = []
    errors: list[str] = []
    suppressions: dict[str, Suppressions] = {}
    for index, result in enumerate(results):
        if index < len(files):
            diagnostics += [d for d in result.diagnostics if d.code in enabled]
            if result.internal_error:
                errors.append(result.internal_error)
        if result.entry is not None:
            entries.append(result.entry)
        if result.suppressions is not None and result.suppressions.items:
            suppressions[jobs[index].shown] = result.suppressions
    diagnostics += [
        diagnostic
        for diagnostic, related in check_corpus(entries, enabled)
        if diagnostic.path in checked or any(path in checked for path in related)
    ]
    applied = apply_suppressions(diagnostics, suppressions, set(checked), enabled, rules_by_code())
    kept = _configured(applied.kept + applied.problems, config, checked)
    unique = sorted(set(kept), key=Diagnostic.sort_key)
    return RunResult(unique, sorted(checked), errors)


@dataclass(frozen=True, slots=True)
class Job:
    file: Path
    shown: str  # the path as shown in diagnostics
    enabled: frozenset[str]


def _check_job(job: tuple[Path, Settings, frozenset[str], Limits, bytes | None]) -> FileResult:
    file, settings, enabled, limits, data = job
    return check_file(file, settings, enabled, limits, data)


def _check_files(
    jobs: list[Job],
    settings: Settings,
    limits: Limits,
    cache: Cache | None,
    workers: int,
    contents: Mapping[str, bytes] | None = None,
) -> list[FileResult]:
    """Per-file results in the order of `jobs`: from the cache, else checked (maybe in parallel)."""
    results: list[FileResult | None] = [None] * len(jobs)
    to_check: list[int] = []
    before: dict[int, tuple[Stat, str | None]] = {}
    for index, job in enumerate(jobs):
        file = job.file
        if cache is None or (contents and job.shown in contents):
            to_check.append(index)  # content held in memory is checked, never cached
            continue
        stat = Stat.of(file)
        if stat is None:
            to_check.append(index)  # not a regular file: never cached, never opened here
            continue
        try:
            diagnostics, entry, found = cache.get(file, job.shown, stat)
        except KeyError:
            before[index] = (stat, _digest_of(file))
            to_check.append(index)
        else:
            results[index] = FileResult(diagnostics, entry, suppressions=found)
    held = contents or {}
    work = [
        (jobs[i].file, settings, jobs[i].enabled, limits, held.get(jobs[i].shown)) for i in to_check
    ]
    if workers > 1 and len(work) >= MIN_FILES_PER_JOB * 2:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = list(pool.map(_check_job, work, chunksize=64))
    else:
        done = [_check_job(job) for job in work]
    for index, result in zip(to_check, done, strict=True):
        results[index] = result
        if cache is not None:
            if index not in before:
                continue
            stat, content_digest = before[index]
            file = jobs[index].file
            # Store only what was checked from a file that did not change meanwhile.
            if result.internal_error is None and content_digest and stat == Stat.of(file):
                found = result.suppressions or Suppressions()
                cache.put(
                    file.absolute(), stat, content_digest, (result.diagnostics, result.entry, found)
                )
    if cache is not None:
        cache.save()
    return [result for result in results if result is not None]


def _digest_of(file: Path) -> str | None:
    try:
        return digest(file.read_bytes())
    except OSError:
        return None


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


def corpus_root(paths: list[Path], config: Config) -> Path | None:
    """Where the corpus the checked files belong to lives.

    The configured `corpus-root`; else the folder of the configuration file; else the top of
    the git work tree. None when the checked paths are not all inside it: then the folders of
    the named files are the corpus.
    """
    root = config.corpus_root or (config.source.parent if config.source else None)
    if root is None:
        root = _git_top(paths)
    if root is None:
        return None
    absolute = [Path(os.path.abspath(path)) for path in paths]  # noqa: PTH100
    if all(path == root or root in path.parents for path in absolute):
        return root
    return None


def _git_top(paths: list[Path]) -> Path | None:
    start = Path(os.path.abspath(paths[0])) if paths else Path.cwd()  # noqa: PTH100
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _context_files(paths: list[Path], config: Config, exclude: Exclude) -> Iterator[Path]:
    """The rest of the corpus, read for the lineage pass only.

    Lineage is a property of the corpus: a file checked alone (as pre-commit names files) must
    still be linked against the other versions. The other files are read for their index entry
    and suppression comments only; their own problems are not reported, and corpus findings
    are kept only when they involve a checked file.
    """
    root = corpus_root(paths, config)
    if root is not None:
        folders = [root]
    else:
        folders = sorted({file.parent for file in paths if not file.is_dir()})
    yield from discover(folders, exclude)
