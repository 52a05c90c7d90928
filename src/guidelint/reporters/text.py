"""The default format: `path:line:column: CODE message`, then a summary line."""

from __future__ import annotations

from typing import TextIO

from guidelint.diagnostic import Severity
from guidelint.engine import RunResult


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(result: RunResult) -> str:
    errors = sum(d.severity is Severity.ERROR for d in result.diagnostics)
    warnings = len(result.diagnostics) - errors
    files = _plural(result.files_checked, "file")
    if not result.diagnostics:
        return f"All checks passed ({files} checked)."
    return f"Found {_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {files}."


class TextReporter:
    def report(self, result: RunResult, stream: TextIO) -> None:
        for d in result.diagnostics:
            label = "warning: " if d.severity is Severity.WARNING else ""
            stream.write(f"{d.path}:{d.line}:{d.column}: {d.code} {label}{d.message}\n")
        stream.write(summary(result) + "\n")
