"""What a fix is: text edits by line and column of the original file, and how safe they are.

Rules attach fixes to their findings and the fix runner (app/fix.py) applies them; both, and
the diagnostic that carries a fix, share these types, so they live below all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from guidelint.core.span import Span

FixKind = Literal["safe", "unsafe"]
Applicability = FixKind  # "safe" keeps what the metadata means; "unsafe" may change it


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text from (line, column) up to (end_line, end_column), 1-based, end exclusive.

    Positions are those of the original file, as in diagnostics; `\\n` in the new text is
    written with the file's own line ending.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    text: str

    @classmethod
    def replace(cls, span: Span, text: str) -> Edit:
        return cls(span.line, span.column, span.end_line, span.end_column, text)

    @classmethod
    def insert(cls, line: int, column: int, text: str) -> Edit:
        return cls(line, column, line, column, text)

    @classmethod
    def delete(cls, line: int, column: int, end_line: int, end_column: int) -> Edit:
        return cls(line, column, end_line, end_column, "")


@dataclass(frozen=True, slots=True)
class Fix:
    """How to mend one finding, and whether that is safe.

    `edits` change the file the diagnostic is about, or `path` when given. `values` are
    top-level keys to set to a plain YAML value in that file; they are turned into edits when
    the fix is applied, against the text as it is then (the lineage rules cannot see it).
    """

    applicability: Applicability
    description: str
    edits: tuple[Edit, ...] = ()
    values: tuple[tuple[str, str], ...] = ()
    path: str | None = None

    @classmethod
    def safe(cls, description: str, *edits: Edit) -> Fix:
        return cls("safe", description, edits)

    @classmethod
    def unsafe(cls, description: str, *edits: Edit) -> Fix:
        return cls("unsafe", description, edits)

    def target(self, diagnostic_path: str) -> str:
        return self.path or diagnostic_path


def written(text: str, span: Span) -> str | None:
    """The text a span covers in a document's (newline-normalised) text; None if out of range."""
    starts = _line_starts(text)
    if not (1 <= span.line <= span.end_line <= len(starts)):
        return None
    first = starts[span.line - 1]
    first_length = _line_end(text, starts, span.line) - first
    if span.line == span.end_line and not (1 <= span.column <= span.end_column <= first_length + 1):
        return None
    last = starts[span.end_line - 1]
    last_length = _line_end(text, starts, span.end_line) - last
    start = first + min(span.column - 1, first_length)
    return text[start : last + min(span.end_column - 1, last_length)]


@lru_cache(maxsize=4)
def _line_starts(text: str) -> tuple[int, ...]:
    """Where each line of the text starts. Kept for the few texts in use: rules ask for the
    text of a span once per finding, and a file may have thousands of findings."""
    starts = [0]
    found = text.find("\n")
    while found != -1:
        starts.append(found + 1)
        found = text.find("\n", found + 1)
    return tuple(starts)


def _line_end(text: str, starts: tuple[int, ...], line: int) -> int:
    return starts[line] - 1 if line < len(starts) else len(text)


def requote(old: str, new: str) -> str:
    """`new` in the quotes `old` was written in, if any; a flow list (`[a, b]`, a lineage
    link growing from one id to several) is never quoted: quoted, it would be text."""
    if new.startswith("["):
        return new
    if len(old) >= 2 and old[0] in "'\"" and old[-1] == old[0]:
        return f"{old[0]}{new}{old[0]}"
    return new
