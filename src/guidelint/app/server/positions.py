"""Positions between guidelint and an editor: 1-based character columns to LSP's code units.

guidelint's columns are 1-based Unicode code points of the original line. LSP counts 0-based
lines and, in each line, code units of the encoding agreed at start-up: UTF-16 unless client and
server agree on another (a character outside the Basic Multilingual Plane, such as an emoji, is
two UTF-16 units). Lines end at `\\r\\n`, `\\r` or `\\n`, in LSP as in guidelint's reader; not at
the other breaks `str.splitlines` knows (U+2028, form feed), which are text inside a line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

LINE_BREAK = re.compile(r"\r\n|\r|\n")
UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
BOM = "\ufeff"


def split_lines(text: str) -> list[str]:
    """The lines of a text as LSP and guidelint count them, without their line breaks."""
    return LINE_BREAK.split(text)


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units `text` is in the agreed encoding."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for character in text if ord(character) > 0xFFFF)


@dataclass(frozen=True, slots=True)
class Position:
    line: int  # 0-based
    character: int  # 0-based, in code units


def to_client(lines: Sequence[str], line: int, column: int, encoding: str = UTF16) -> Position:
    """guidelint's (line, column), 1-based in code points, as an LSP position. A position past
    the end of its line (a diagnostic at the line break) or of the text is kept at that end."""
    if not lines:
        return Position(0, 0)
    index = min(max(line, 1), len(lines)) - 1
    text = lines[index]
    if line > len(lines):
        return Position(index, units(text, encoding))
    # guidelint reads a byte-order mark as no character of the first line; an editor that
    # keeps one in the text counts it.
    skipped = 1 if index == 0 and text.startswith(BOM) else 0
    return Position(index, units(text[: max(column, 1) - 1 + skipped], encoding))


def from_client(lines: Sequence[str], position: Position, encoding: str = UTF16) -> tuple[int, int]:
    """An LSP position as guidelint's (line, column), 1-based in code points. As LSP says, a
    character past the end of the line means the end of the line; a line past the end of the
    text, the end of the text. A position inside a surrogate pair is taken as after it."""
    if not lines:
        return 1, 1
    if position.line >= len(lines):
        return len(lines), len(lines[-1]) + 1
    text = lines[max(position.line, 0)]
    line, column = position.line + 1, _column(text, max(position.character, 0), encoding)
    if line == 1 and text.startswith(BOM):
        column = max(column - 1, 1)
    return line, column


def _column(text: str, wanted: int, encoding: str) -> int:
    if encoding == UTF32 or text.isascii():
        return min(wanted, len(text)) + 1
    counted = 0
    for index, character in enumerate(text):
        if counted >= wanted:
            return index + 1
        counted += units(character, encoding)
    return len(text) + 1
