"""The one diagnostic type every stage produces."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from guidelint.core.span import Span

if TYPE_CHECKING:
    from guidelint.core.fixes import Fix


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    severity: Severity
    message: str
    fix: Fix | None = None  # how to mend it (guidelint --fix), when the rule knows

    def __reduce__(self) -> tuple[type[Diagnostic], tuple[object, ...]]:
        # Sent back by worker processes: a tuple of the fields pickles in C, where the state
        # methods dataclasses make for slots are Python.
        return (
            Diagnostic,
            (
                self.path,
                self.line,
                self.column,
                self.end_line,
                self.end_column,
                self.code,
                self.severity,
                self.message,
                self.fix,
            ),
        )

    @classmethod
    def at(
        cls,
        path: str,
        span: Span,
        code: str,
        severity: Severity,
        message: str,
        fix: Fix | None = None,
    ) -> Diagnostic:
        return cls(
            path,
            span.line,
            span.column,
            span.end_line,
            span.end_column,
            code,
            severity,
            message,
            fix,
        )

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)
