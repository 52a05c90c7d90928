"""The per-file stage: read a file, run the per-file rules on it, make its corpus index entry."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidelint.checks.file_context import FileContext
from guidelint.core.corpus_index import LINEAGE_KEYS, LINK_KEYS, Entry
from guidelint.core.diagnostic import Diagnostic
from guidelint.core.limits import DEFAULT_LIMITS, Limits
from guidelint.core.settings import Settings
from guidelint.engine.paths import display_path
from guidelint.readers.document import ReadResult, parse_document, read_document
from guidelint.rules.base import FileCheck, Rule
from guidelint.rules.registry import ALL_RULES

if TYPE_CHECKING:
    from guidelint.readers.suppression_comments import Suppressions

FILE_RULES = tuple(rule for rule in ALL_RULES if rule.check_file is not None)


@dataclass(frozen=True, slots=True)
class FileResult:
    diagnostics: list[Diagnostic]
    entry: Entry | None
    internal_error: str | None = None
    suppressions: Suppressions | None = None

    def __reduce__(self) -> tuple[type[FileResult], tuple[object, ...]]:
        # Sent back by a worker process for every file: see Entry.__reduce__.
        return (FileResult, (self.diagnostics, self.entry, self.internal_error, self.suppressions))


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
    from guidelint.readers.suppression_comments import find_suppressions
    from guidelint.readers.yamlpos import parse_front_matter

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
    g = ctx.guideline
    if not g.id:
        return None
    spans = ctx.parsed.spans
    keys = tuple(key for key in LINEAGE_KEYS if (key,) in spans)
    numbers: list[int] = []
    for key in keys:
        numbers += spans[(key,)].value_numbers()
    # Each lineage key is a field of Entry and of the model, by the same name; a link key
    # holds the ids it names as a tuple, however the file writes them.
    values: dict[str, Any] = {
        key: g.ids(key) if key in LINK_KEYS else getattr(g, key) for key in LINEAGE_KEYS
    }
    return Entry(path=ctx.path, **values, span_keys=keys, span_numbers=tuple(numbers))
