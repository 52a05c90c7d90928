"""The default format: `path:line:column: CODE message`, then a summary line.

As in ruff, a problem guidelint can mend is marked `[*]` after its code, and the summary says
how many can be fixed with `--fix` (and how many more with `--unsafe-fixes`); after `--fix` it
says how many were fixed and how many remain.

On a terminal the code is coloured and each diagnostic is followed by the line it points at,
with carets under the offending key or value (as ruff and rustc show it). Piped or redirected
output stays one plain line per diagnostic, for grep and editors.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import click

from guidelint.diagnostic import Diagnostic, Severity
from guidelint.document import read_bounded
from guidelint.engine import RunResult
from guidelint.fix import FixScope, applicable, hidden
from guidelint.registry import rules_by_code
from guidelint.reporters import ReportOptions

MAX_EXCERPT_FILE_BYTES = 10 * 1024 * 1024
COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


def plural(count: int, word: str) -> str:
    ending = "es" if word.endswith(("x", "s")) else "s"
    return f"{count} {word}{'' if count == 1 else ending}"


def summary(result: RunResult, fixed: int | None = None) -> str:
    errors = sum(d.severity is Severity.ERROR for d in result.diagnostics)
    warnings = len(result.diagnostics) - errors
    files = plural(result.files_checked, "file")
    if fixed:
        remaining = len(result.diagnostics)
        found = plural(fixed + remaining, "problem")
        left = f": {plural(errors, 'error')}, {plural(warnings, 'warning')}" if remaining else ""
        return f"Found {found} in {files} ({fixed} fixed, {remaining} remaining{left})."
    if not result.diagnostics:
        return f"All checks passed ({files} checked)."
    return f"Found {plural(errors, 'error')}, {plural(warnings, 'warning')} in {files}."


def fix_hint(result: RunResult, unsafe: bool) -> str | None:
    """How many problems `--fix` would mend, and how many more `--unsafe-fixes` would."""
    scope = FixScope.of(result)
    fixable = sum(applicable(d, unsafe, scope) for d in result.diagnostics)
    more = sum(hidden(d, unsafe, scope) for d in result.diagnostics)
    note = f"{plural(more, 'hidden fix')} can be enabled with the `--unsafe-fixes` option"
    if fixable:
        return f"[*] {fixable} fixable with `--fix`" + (f" ({note})." if more else ".")
    if more:
        return f"No fixes available ({note})."
    return None


def fixes_applied(fixed: list[Diagnostic], listed: bool) -> str:
    """`--fix-only` and `--show-fixes`: what was mended, per file and rule (as ruff lists it)."""
    if not fixed:
        return "No problems fixed.\n" if not listed else ""
    head = f"Fixed {plural(len(fixed), 'problem')}"
    if not listed:
        return head + ".\n"
    counts: dict[str, dict[str, int]] = {}
    for d in fixed:
        path = d.fix.target(d.path) if d.fix else d.path
        per_file = counts.setdefault(path, {})
        per_file[d.code] = per_file.get(d.code, 0) + 1
    names = rules_by_code()
    lines = [head + ":"]
    for path in sorted(counts):
        lines.append(f"- {path}:")
        lines += [
            f"    {n} × {code} ({names[code].name})"  # noqa: RUF001 - as ruff writes it
            for code, n in sorted(counts[path].items())
        ]
    return "\n".join(lines) + "\n\n"


class TextReporter:
    def __init__(self, options: ReportOptions) -> None:
        self.options = options
        self.sources = _Sources()
        self.scope = FixScope(frozenset(), frozenset())  # what fixes may change: set by report()

    def style(self, text: str, **styles: str | bool) -> str:
        return click.style(text, **styles) if self.options.color else text  # type: ignore[arg-type]

    def report(self, result: RunResult, stream: TextIO) -> None:
        self.scope = FixScope.of(result)
        self.sources = _Sources(result.files)
        for d in result.diagnostics:
            stream.write(self.headline(d) + "\n")
            if self.options.show_source:
                stream.write(self.excerpt(d))
        if not self.options.quiet:
            stream.write(self.style(summary(result, self.options.fixed), bold=True) + "\n")
            hint = fix_hint(result, self.options.unsafe_fixes)
            if hint:
                stream.write(hint + "\n")

    def headline(self, d: Diagnostic) -> str:
        colour = COLOURS[d.severity]
        where = self.style(f"{d.path}:{d.line}:{d.column}:", bold=True)
        code = self.style(d.code, fg=colour, bold=True)
        label = self.style("warning: ", fg=colour) if d.severity is Severity.WARNING else ""
        fixable = applicable(d, self.options.unsafe_fixes, self.scope)
        marker = self.style("[*] ", fg="cyan") if fixable else ""
        return f"{where} {code} {marker}{label}{d.message}"

    def excerpt(self, d: Diagnostic) -> str:
        line = self.sources.line(d.path, d.line)
        if line is None:
            return ""
        shown = _printable(line)
        start = max(d.column - 1, 0)
        end = d.end_column - 1 if d.end_line == d.line else len(shown)
        end = max(min(end, len(shown)), start + 1)
        pad = " " * _width(shown[:start])
        carets = "^" * max(_width(shown[start:end]), 1)
        number = str(d.line)
        gutter = " " * len(number)
        bar = self.style("|", fg="blue", bold=True)
        return (
            f"{gutter} {bar}\n"
            f"{self.style(number, fg='blue', bold=True)} {bar} {shown}\n"
            f"{gutter} {bar} {pad}{self.style(carets, fg=COLOURS[d.severity], bold=True)}\n"
            f"{gutter} {bar}\n"
        )


class _Sources:
    """Lines of the reported files, read once each, only when excerpts are shown."""

    def __init__(self, checked: Mapping[str, Path] | None = None) -> None:
        self.checked = checked or {}  # the path shown -> the file read (names may be escaped)
        self.files: dict[str, list[str] | None] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self.files:
            self.files[path] = self.read(self.checked.get(path) or Path(path))
        lines = self.files[path]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]

    @staticmethod
    def read(file: Path) -> list[str] | None:
        try:
            # Bounded, and never waiting on a FIFO or device (a GL012 is reported on one).
            text = read_bounded(file, MAX_EXCERPT_FILE_BYTES).decode("utf-8", "replace")
        except (OSError, ValueError):
            return None
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        return text.split("\n")


def _printable(line: str) -> str:
    """The line with tabs as one space and control or direction marks made visible."""
    return "".join(
        " "
        if char == "\t"
        else "\N{REPLACEMENT CHARACTER}"
        if unicodedata.category(char) in ("Cc", "Cf", "Cs")
        else char
        for char in line
    )


def _width(text: str) -> int:
    return sum(
        0
        if unicodedata.combining(char)
        else 2
        if unicodedata.east_asian_width(char) in ("W", "F")
        else 1
        for char in text
    )
