"""The heading outline of a guideline's body, from a real CommonMark parser.

markdown-it-pyrs (the Rust port of markdown-it) parses the body; its source map gives UTF-8
byte offsets into the body, which are mapped to 1-based lines and columns of the original file.
Headings inside code fences, indented code and HTML blocks are not headings to CommonMark, so
they never reach the outline.
"""

from __future__ import annotations

import os
import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING

from guidelint.diagnostic import Span

if TYPE_CHECKING:
    # Imported where a body is parsed: the rules use heading_key without parsing anything.
    from markdown_it_pyrs import MarkdownIt, Node

HTML_COMMENT = re.compile(r"\s*(<!--.*?-->\s*)+", re.DOTALL)


def heading_key(text: str) -> str:
    """The text used to compare headings: case and spacing do not matter."""
    return " ".join(text.split()).casefold()


class Heading:
    """A heading of the body. Its span is worked out when first asked for: most files have
    nothing to report about their headings, and placing each one cost as much as finding it."""

    __slots__ = (
        "_end",
        "_positions",
        "_span",
        "_start",
        "has_content",
        "key",
        "level",
        "setext",
        "text",
    )

    def __init__(
        self,
        level: int,
        text: str,
        setext: bool,
        span: Span | tuple[Positions, int, int],
        has_content: bool,
    ) -> None:
        self.level = level
        self.text = text
        self.setext = setext
        # Whether anything but headings and HTML comments follows before the next heading.
        self.has_content = has_content
        self.key = heading_key(text)
        if isinstance(span, Span):
            self._span: Span | None = span
        else:
            self._span = None
            self._positions, self._start, self._end = span

    @property
    def span(self) -> Span:
        if self._span is None:
            self._span = self._positions.span(self._start, self._end)
        return self._span

    def _fields(self) -> tuple[int, str, bool, Span, bool]:
        return (self.level, self.text, self.setext, self.span, self.has_content)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Heading) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"Heading(level={self.level!r}, text={self.text!r}, setext={self.setext!r}, "
            f"span={self.span!r}, has_content={self.has_content!r})"
        )


@dataclass(frozen=True, slots=True)
class Outline:
    headings: tuple[Heading, ...]
    first_line: int
    last_line: int


@cache
def parser() -> MarkdownIt:
    from markdown_it_pyrs import MarkdownIt

    return MarkdownIt("commonmark")


@cache
def block_parser() -> MarkdownIt:
    """Block structure only, no inline rules: what is left when the full parser panics."""
    from markdown_it_pyrs import MarkdownIt

    return MarkdownIt("zero").enable_many(
        [
            "blockquote",
            "code",
            "fence",
            "heading",
            "hr",
            "lheading",
            "list",
            "paragraph",
            "reference",
            "html_block",
        ]
    )


def _is_panic(exc: BaseException) -> bool:
    # pyo3 turns a Rust panic into PanicException, a BaseException, not an Exception.
    return type(exc).__name__ == "PanicException"


def parse_tree(body: str) -> tuple[Node, bool]:
    """The body's syntax tree, and whether inline rules ran, even where markdown-it panics.

    markdown-it 0.6.0 panics on a '[' followed by an unclosed backtick in one paragraph ('see
    [the `x'), markdown-it-rust issue 40. Blocks, and so headings, are then found without
    inline rules.
    """
    try:
        with _quiet_panics(body):
            return parser().tree(body), True
    except BaseException as exc:
        if not _is_panic(exc):
            raise
        return block_parser().tree(body), False


@contextmanager
def _quiet_panics(text: str) -> Iterator[None]:
    """Rust prints a panic to standard error even when it is caught, which reads as a crash:
    send it to the null device around a parse that may panic (both '[' and '`' in the text)."""
    if "`" not in text or "[" not in text:
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield  # no standard error to protect
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def _heading_text(node: Node, full: bool) -> str:
    children = node.children
    if len(children) == 1 and children[0].name == "text":  # most headings: no markup
        text = str(children[0].meta.get("content", "")).strip()
    else:
        text = _plain_text(node)
    if full:
        return text
    try:  # the heading alone, with inline rules: it is not what panicked, most likely
        with _quiet_panics(text):
            return _plain_text(parser().tree(text))
    except BaseException as exc:
        if not _is_panic(exc):
            raise
        return text


def _plain_text(node: Node) -> str:
    parts: list[str] = []
    for child in node.walk():
        if child.name in ("text", "text_special"):  # text_special: what &eacute; or \. stand for
            parts.append(str(child.meta.get("content", "")))
        elif child.name in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


class Positions:
    """Maps byte offsets in the body to lines and columns of the file."""

    def __init__(self, body: str, first_line: int) -> None:
        self.body = body
        self.first_line = first_line
        self._raw: bytes | None = None
        self._line_starts: array[int] | None = None

    @property
    def raw(self) -> bytes:
        if self._raw is None:
            self._raw = self.body.encode("utf-8")
        return self._raw

    def at(self, offset: int) -> tuple[int, int]:
        # Indexed once, when the first position is asked for (most bodies are never asked):
        # offsets come in any order, and counting from the top each time was quadratic for a
        # body of 100,000 repeated headings.
        if self._line_starts is None:
            starts = array("q", [0])
            starts.extend(accumulate(len(line) + 1 for line in self.raw.split(b"\n")))
            self._line_starts = starts
        lines_before = bisect_right(self._line_starts, offset) - 1
        line_start = self._line_starts[lines_before]
        column = len(self.raw[line_start:offset].decode("utf-8", "replace")) + 1
        return self.first_line + lines_before, column

    def span(self, start: int, end: int) -> Span:
        line, column = self.at(start)
        # The source map of a block includes its trailing newline: stop before it.
        while end > start and self.raw[end - 1 : end] == b"\n":
            end -= 1
        end_line, end_column = self.at(end)
        return Span(line, column, end_line, end_column)


def _is_content(node: Node) -> bool:
    if node.name == "html_block":
        return not HTML_COMMENT.fullmatch(str(node.meta.get("content", "")))
    return True


def parse_outline(body: str, first_line: int) -> Outline:
    tree, full = parse_tree(body)
    positions = Positions(body, first_line)
    blocks = tree.children
    names = [node.name for node in blocks]
    headings: list[Heading] = []
    for index, name in enumerate(names):
        if name != "heading" and name != "lheading":
            continue
        node = blocks[index]
        level = int(node.meta["level"])
        has_content = False
        # Indices, not a slice: copying the rest of the blocks for each heading was quadratic,
        # minutes for a body of 100,000 headings.
        for follower_index in range(index + 1, len(blocks)):
            follower = names[follower_index]
            if follower == "heading" or follower == "lheading":
                has_content = int(blocks[follower_index].meta["level"]) > level
                break
            if _is_content(blocks[follower_index]):
                has_content = True
                break
        start, end = node.srcmap or (0, 0)
        headings.append(
            Heading(
                level,
                _heading_text(node, full),
                name == "lheading",
                (positions, start, end),
                has_content,
            )
        )
    last_line = first_line + max(body.count("\n") - (1 if body.endswith("\n") else 0), 0)
    return Outline(tuple(headings), first_line, last_line)
