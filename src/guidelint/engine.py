"""Run the per-file rules on every file, then the corpus rules on the index of all files."""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from guidelint.context import FileContext, Settings
from guidelint.corpus import LINEAGE_KEYS, CorpusIndex, Entry
from guidelint.diagnostic import Diagnostic
from guidelint.discovery import discover
from guidelint.document import read_document
from guidelint.limits import DEFAULT_LIMITS, Limits
from guidelint.registry import ALL_RULES
from guidelint.yamlpos import parse_front_matter

FILE_RULES = tuple(rule for rule in ALL_RULES if rule.check_file is not None)
CORPUS_RULES = tuple(rule for rule in ALL_RULES if rule.check_corpus is not None)


@dataclass(frozen=True, slots=True)
class FileResult:
    diagnostics: list[Diagnostic]
    entry: Entry | None
    internal_error: str | None = None


@dataclass(slots=True)
class RunResult:
    diagnostics: list[Diagnostic]
    files_checked: int
    internal_errors: list[str] = field(default_factory=list)


def display_path(path: Path) -> str:
    """The path as shown in diagnostics: relative to the working folder when inside it."""
    # abspath, not resolve(): a symlinked file is shown under the name it was found by.
    absolute = Path(os.path.abspath(path))  # noqa: PTH100
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def check_file(
    file: Path, settings: Settings, enabled: frozenset[str], limits: Limits = DEFAULT_LIMITS
) -> FileResult:
    path = display_path(file)
    try:
        return _check_file(file, path, settings, enabled, limits)
    except Exception:  # a bug in guidelint must not stop the run, nor hide the bug
        return FileResult([], None, f"{path}: internal error\n{traceback.format_exc()}")


def _check_file(
    file: Path, path: str, settings: Settings, enabled: frozenset[str], limits: Limits
) -> FileResult:
    read = read_document(file, path, limits)
    diagnostics = [d for d in read.diagnostics if d.code in enabled]
    document = read.document
    if document is None:
        return FileResult(diagnostics, None)
    parsed = parse_front_matter(
        document.front_matter, path, document.front_matter_first_line, limits
    )
    diagnostics += [d for d in parsed.diagnostics if d.code in enabled]
    ctx = FileContext(file, path, document, parsed, settings)
    for rule in FILE_RULES:
        if rule.code in enabled and rule.check_file is not None:
            for finding in rule.check_file(ctx):
                diagnostics.append(
                    Diagnostic.at(path, finding.span, rule.code, rule.severity, finding.message)
                )
    return FileResult(diagnostics, _entry(ctx))


def _entry(ctx: FileContext) -> Entry | None:
    g = ctx.guideline
    if not g.id:
        return None
    spans = tuple((key, ctx.value_span(key)) for key in LINEAGE_KEYS if (key,) in ctx.parsed.spans)
    return Entry(
        path=ctx.path,
        id=g.id,
        status=g.status,
        supersedes=g.supersedes,
        superseded_by=g.superseded_by,
        publication_date=g.publication_date,
        previous_version_date=g.previous_version_date,
        spans=spans,
    )


def check_corpus(entries: Iterable[Entry], enabled: frozenset[str]) -> list[Diagnostic]:
    index = CorpusIndex(entries)
    diagnostics = []
    for rule in CORPUS_RULES:
        if rule.code in enabled and rule.check_corpus is not None:
            for finding in rule.check_corpus(index):
                diagnostics.append(
                    Diagnostic.at(
                        finding.path, finding.span, rule.code, rule.severity, finding.message
                    )
                )
    return diagnostics


def run(
    paths: list[Path],
    settings: Settings,
    enabled: frozenset[str],
    limits: Limits = DEFAULT_LIMITS,
) -> RunResult:
    diagnostics: list[Diagnostic] = []
    entries: list[Entry] = []
    errors: list[str] = []
    checked: set[str] = set()
    for file in discover(paths):
        checked.add(display_path(file))
        result = check_file(file, settings, enabled, limits)
        diagnostics += result.diagnostics
        if result.entry is not None:
            entries.append(result.entry)
        if result.internal_error:
            errors.append(result.internal_error)
    entries += _context_entries(paths, checked, settings, limits)
    diagnostics += [d for d in check_corpus(entries, enabled) if d.path in checked]
    unique = sorted(set(diagnostics), key=Diagnostic.sort_key)
    return RunResult(unique, len(checked), errors)


def _context_entries(
    paths: list[Path], checked: set[str], settings: Settings, limits: Limits
) -> list[Entry]:
    """Index entries of the guidelines beside files named one by one (as pre-commit names them).

    Lineage is a property of the corpus: a file checked alone must still be linked against its
    neighbours. They are read and schema-checked for their index entry only; their own
    problems are not reported, and corpus findings are kept only for the files asked about.
    """
    folders = sorted({file.parent for file in paths if not file.is_dir()})
    if not folders:
        return []
    entries = []
    for file in discover(folders):
        if display_path(file) not in checked:
            entry = check_file(file, settings, frozenset(), limits).entry
            if entry is not None:
                entries.append(entry)
    return entries
