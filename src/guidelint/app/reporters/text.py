"""The default format: `path:line:column: CODE message`, then a summary line.

As in ruff, a problem guidelint can mend is marked `[*]` after its code, and the summary says
how many can be fixed with `--fix` (and how many more with `--unsafe-fixes`); after `--fix` it
says how many were fixed and how many remain.

On a terminal the code is coloured and each diagnostic is followed by the line it points at,
with carets under the offending key or value (as ruff and rustc show it). Piped or redirected
output stays one plain line per diagnostic, for grep and editors.

What the checked files hold (paths, quoted values, the excerpted lines) is shown through
guidelint.core.safe_text, so that none of it can act on the terminal or start a line of its own.
Excerpts are bounded: a long line is cut around the problem, a line with many problems is
excerpted for the first few, and a run shows at most MAX_EXCERPTS of them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from guidelint.app.reporters import ReportOptions
from guidelint.core.diagnostic import Diagnostic, Severity
from guidelint.core.safe_text import line_start, shown, shown_each
from guidelint.engine.run import RunResult
from guidelint.readers.document import read_bounded
from guidelint.rules.registry import rules_by_code

if TYPE_CHECKING:
    from guidelint.app.fix import FixScope

MAX_EXCERPT_FILE_BYTES = 10 * 1024 * 1024
# An excerpt shows at most this many columns of its line, cut with an ellipsis (ruff cuts long
# lines too), keeping up to EXCERPT_CONTEXT columns before the problem.
MAX_EXCERPT_COLUMNS = 200
EXCERPT_CONTEXT = 60
# One line with thousands of problems (a flow mapping of unknown keys) repeated the line under
# each: excerpts stop after the first few on a line, and after MAX_EXCERPTS in a run.
MAX_EXCERPTS_PER_LINE = 5
MAX_EXCERPTS = 500
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
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
    if not result.diagnostics:
        return None
    from guidelint.app.fix import FixScope, applicable, hidden

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
        lines.append(f"- {shown(path)}:")
        lines += [
            f"    {n} × {code} ({names[code].name})"  # noqa: RUF001 - as ruff writes it
            for code, n in sorted(counts[path].items())
        ]
    return "\n".join(lines) + "\n\n"


class TextReporter:
    def __init__(self, options: ReportOptions) -> None:
        self.options = options
        self.sources = _Sources()
        self.scope: FixScope | None = None  # what fixes may change: set by report()
        self.excerpted: dict[tuple[str, int], int] = {}  # (path, line) -> excerpts shown
        self.excerpts = 0  # shown in all
        self.left_out = 0  # excerpts not shown, by the limits above

    def style(self, text: str, **styles: str | bool) -> str:
        return click.style(text, **styles) if self.options.color else text  # type: ignore[arg-type]

    def report(self, result: RunResult, stream: TextIO) -> None:
        # The fix runner's module only for a report with problems in it: a clean run answered
        # from the cache has no use for it.
        self.scope = None
        if result.diagnostics:
            from guidelint.app.fix import FixScope

            self.scope = FixScope.of(result)
        self.sources = _Sources(result.files)
        self.excerpted, self.excerpts, self.left_out = {}, 0, 0
        for d in result.diagnostics:
            stream.write(self.headline(d) + "\n")
            if self.options.show_source:
                stream.write(self.bounded_excerpt(d))
        if self.left_out:
            stream.write(
                f"({plural(self.left_out, 'source excerpt')} left out: at most "
                f"{MAX_EXCERPTS_PER_LINE} per line and {MAX_EXCERPTS} in all are shown)\n"
            )
        if not self.options.quiet:
            stream.write(self.style(summary(result, self.options.fixed), bold=True) + "\n")
            hint = fix_hint(result, self.options.unsafe_fixes)
            if hint:
                stream.write(hint + "\n")

    def headline(self, d: Diagnostic) -> str:
        colour = COLOURS[d.severity]
        where = self.style(f"{line_start(d.path)}:{d.line}:{d.column}:", bold=True)
        code = self.style(d.code, fg=colour, bold=True)
        label = self.style("warning: ", fg=colour) if d.severity is Severity.WARNING else ""
        from guidelint.app.fix import applicable

        fixable = self.scope is not None and applicable(d, self.options.unsafe_fixes, self.scope)
        marker = self.style("[*] ", fg="cyan") if fixable else ""
        return f"{where} {code} {marker}{label}{shown(d.message)}"

    def bounded_excerpt(self, d: Diagnostic) -> str:
        """The excerpt, unless the line or the run has had its share of them."""
        key = (d.path, d.line)
        count = self.excerpted.get(key, 0)
        if count >= MAX_EXCERPTS_PER_LINE or self.excerpts >= MAX_EXCERPTS:
            self.left_out += self.sources.line(d.path, d.line) is not None
            return ""
        text = self.excerpt(d)
        if text:
            self.excerpted[key] = count + 1
            self.excerpts += 1
        return text

    def excerpt(self, d: Diagnostic) -> str:
        line = self.sources.line(d.path, d.line)
        if line is None:
            return ""
        end = d.end_column - 1 if d.end_line == d.line else len(line)
        text, pad, carets = excerpt_line(line, d.column - 1, end)
        number = str(d.line)
        gutter = " " * len(number)
        bar = self.style("|", fg="blue", bold=True)
        marks = self.style("^" * carets, fg=COLOURS[d.severity], bold=True)
        return (
            f"{gutter} {bar}\n"
            f"{self.style(number, fg='blue', bold=True)} {bar} {text}\n"
            f"{gutter} {bar} {' ' * pad}{marks}\n"
            f"{gutter} {bar}\n"
        )


class _Sources:
    """Lines of the reported files, read only when excerpts are shown, one file at a time:
    diagnostics come sorted by path, so each is read once, and holding every file read kept
    a run's reported files in memory together."""

    def __init__(self, checked: Mapping[str, str] | None = None) -> None:
        self.checked = checked or {}  # the path shown -> the file read (names may be escaped)
        self.path: str | None = None
        self.lines: list[str] | None = None

    def line(self, path: str, number: int) -> str | None:
        if path != self.path:
            self.path, self.lines = path, self.read(Path(self.checked.get(path) or path))
        lines = self.lines
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


def excerpt_line(line: str, start: int, end: int) -> tuple[str, int, int]:
    """The line as shown under a problem from `start` to `end` (0-based, end exclusive): cut
    to MAX_EXCERPT_COLUMNS around the problem, with the column its carets start at and how
    many there are (at least one).

    Only a window of the line is looked at, so the work per excerpt is bounded whatever the
    line's length. Tabs are shown as one space, so that columns stay those guidelint counts.
    """
    start = min(max(start, 0), len(line))
    first = max(start - EXCERPT_CONTEXT, 0)
    last = min(len(line), start + MAX_EXCERPT_COLUMNS)
    cells = [(text, _width(text)) for text in shown_each(line[first:last].replace("\t", " "))]
    before = start - first  # cells before the problem
    real = len(cells)  # cells of the line, not ellipses
    whole = first == 0 and last == len(line)
    if whole and sum(width for _, width in cells) <= MAX_EXCERPT_COLUMNS:
        pass  # the line fits as it is
    else:
        if first > 0 or sum(width for _, width in cells[:before]) > EXCERPT_CONTEXT:
            kept, used = before, 1  # the ellipsis takes a column
            while kept > 0 and used + cells[kept - 1][1] <= EXCERPT_CONTEXT:
                kept -= 1
                used += cells[kept][1]
            cells = [(ELLIPSIS, 1), *cells[kept:]]
            before += 1 - kept
        real, used = 0, 1
        while real < len(cells) and used + cells[real][1] <= MAX_EXCERPT_COLUMNS:
            used += cells[real][1]
            real += 1
        if real < len(cells) or last < len(line):
            cells = [*cells[:real], (ELLIPSIS, 1)]
    pad = sum(width for _, width in cells[:before])
    carets = sum(width for _, width in cells[before : min(before + end - start, real)])
    return "".join(text for text, _ in cells), pad, max(carets, 1)


def _width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(
        0
        if unicodedata.combining(char)
        else 2
        if unicodedata.east_asian_width(char) in ("W", "F")
        else 1
        for char in text
    )
