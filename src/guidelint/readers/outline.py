"""The heading outline of a guideline's body, from a real CommonMark parser.

pyromark (bindings to pulldown-cmark) turns the body into a stream of events, each with the
UTF-8 byte range of the source it came from; ranges are mapped to 1-based lines and columns of
the original file only when a position is asked for. Headings inside code fences, indented
code and HTML blocks are not headings to CommonMark, so they never reach the outline; headings
nested in block quotes and list items are not sections of the guideline, so the outline takes
only the body's top-level blocks.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from guidelint.core.span import Span

if TYPE_CHECKING:
    # Imported where a body is parsed: the rules use heading_key without loading the parser.
    from pyromark.event import Event, Range

HTML_COMMENT = re.compile(r"\s*(<!--.*?-->\s*)+", re.DOTALL)
# The end of an ATX heading's line after its text: a closing sequence of #s, and blanks.
ATX_END = re.compile(rb"(?:[ \t]+#+)?[ \t]*$")

# What a top-level block is to the outline.
HEADING = 0
COMMENT = 1  # HTML comments only: not content of the section they are in
CONTENT = 2


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
def _events() -> Callable[[str], Iterator[tuple[Event, Range]]]:
    """pyromark's event stream with ranges, CommonMark alone (no extension is enabled).

    Adjacent text is merged: a heading's text is what is wanted of it, not each piece's range.
    """
    from pyromark import events_with_range

    def events(body: str) -> Iterator[tuple[Event, Range]]:
        return events_with_range(body, merge_text=True)

    return events


class Positions:
    """Maps byte offsets in the body to lines and columns of the file."""

    def __init__(self, body: str, first_line: int, raw: bytes | None = None) -> None:
        self.body = body
        self.first_line = first_line
        self._raw = raw
        self._line_starts: array[int] | None = None

    @property
    def raw(self) -> bytes:
        if self._raw is None:
            self._raw = self.body.encode("utf-8")
        return self._raw

    def at(self, offset: int) -> tuple[int, int]:
        # Indexed once, when the first position is asked for (most bodies are never asked):
        # offsets come in any order, and a body may hold 100,000 headings, so each is found
        # by bisection rather than by counting lines from the top.
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
        # The range of a block includes its trailing newline: stop before it.
        while end > start and self.raw[end - 1 : end] == b"\n":
            end -= 1
        end_line, end_column = self.at(end)
        return Span(line, column, end_line, end_column)


@dataclass(slots=True)
class _Block:
    """A top-level block of the body: byte range, and for a heading its level and text."""

    kind: int
    start: int
    end: int
    level: int = 0
    text: str = ""
    setext: bool = False


def _top_level_blocks(body: str, raw: bytes) -> list[_Block]:
    blocks: list[_Block] = []
    misread: list[tuple[_Block, int, int]] = []
    depth = 0
    pieces: list[str] | None = None  # the text of the top-level heading or HTML block read now
    for event, where in _events()(body):
        if isinstance(event, str):
            if pieces is not None:
                pieces.append(" ")  # a line break in a heading; "Rule" cannot be in one
            elif depth == 0:  # a thematic break, the only event that is not Start or End
                blocks.append(_Block(CONTENT, where["start"], where["end"]))
        elif "Start" in event:
            if depth == 0:
                block = _opened(event["Start"], where)
                blocks.append(block)
                pieces = None if block.kind == CONTENT else []
            depth += 1
        elif "End" in event:
            depth -= 1
            if depth == 0 and pieces is not None:
                misread += _closed(blocks[-1], "".join(pieces), raw)
                pieces = None
        elif pieces is not None:
            pieces += _inline_text(event)
    if misread:
        _read_again(misread, raw)
    return blocks


def _opened(tag: Any, where: Range) -> _Block:
    """The top-level block a Start event opens: a heading, an HTML block (a comment, maybe)
    or other content."""
    if type(tag) is dict and "Heading" in tag:
        level = int(tag["Heading"]["level"][1])  # "H1" ... "H6"
        return _Block(HEADING, where["start"], where["end"], level)
    kind = COMMENT if tag == "HtmlBlock" else CONTENT
    return _Block(kind, where["start"], where["end"])


def _closed(block: _Block, text: str, raw: bytes) -> list[tuple[_Block, int, int]]:
    """Complete a heading or HTML block with its text; a heading pulldown-cmark misread is
    returned to be read again."""
    if block.kind != HEADING:
        if not HTML_COMMENT.fullmatch(text):
            block.kind = CONTENT
        return []
    block.text = text.strip()
    # An ATX heading is one line; a setext heading has its underline below.
    newline = raw.find(b"\n", block.start, block.end)
    block.setext = newline != -1 and newline != block.end - 1
    if not block.setext and raw.find(b"\t", block.start, block.end) != -1:
        return _tabbed_end(block, raw)
    return []


def _inline_text(event: Any) -> list[str]:
    """A heading's text is its text and code spans (an image's alt text among them); inline
    HTML is markup. An HTML block's text is its source lines."""
    for kind in ("Text", "Code", "Html"):
        if kind in event:
            return [event[kind]]
    return []


def _tabbed_end(block: _Block, raw: bytes) -> list[tuple[_Block, int, int]]:
    """The closing #s and blanks of an ATX heading, where pulldown-cmark misreads them.

    It takes spaces but not tabs as the blanks around a closing sequence of #s: to it,
    `## Scope\t##` is 'Scope\t##', and to CommonMark 'Scope'.
    """
    line_end = block.end - 1 if raw[block.end - 1 : block.end] == b"\n" else block.end
    end = ATX_END.search(raw, block.start + block.level, line_end)
    if end is None or b"\t" not in end.group() or b"#" not in end.group():
        return []
    return [(block, end.start(), end.end())]


def _read_again(misread: list[tuple[_Block, int, int]], raw: bytes) -> None:
    """Read the misread headings' texts again, each end written as a closing sequence of one
    # between spaces, which pulldown-cmark reads as CommonMark does (the text before it may
    itself end in ' ##', which stays text). Every offset stays where it was, so each heading
    is found again where it started; one more parse, for all of them at once."""
    fixed = bytearray(raw)
    for _, start, end in misread:
        fixed[start:end] = b" #" + b" " * (end - start - 2)  # a tab and a # at least: 2 bytes
    again = bytes(fixed)
    texts = {b.start: b.text for b in _top_level_blocks(again.decode("utf-8"), again)}
    for block, _, _ in misread:
        block.text = texts.get(block.start, block.text)


def _has_text(raw: bytes, start: int, end: int) -> bool:
    """Whether the source between two blocks is more than blank lines: a link reference
    definition, which CommonMark turns into no block of its own, is written there."""
    return bool(raw[start:end].strip())


def parse_outline(body: str, first_line: int) -> Outline:
    raw = body.encode("utf-8")
    blocks = _top_level_blocks(body, raw)
    positions = Positions(body, first_line, raw)
    headings: list[Heading] = []
    for index, block in enumerate(blocks):
        if block.kind != HEADING:
            continue
        has_content = False
        # Indices, not a slice: copying the rest of the blocks for each heading would make a
        # body of 100,000 headings quadratic.
        gap_start = block.end
        for follower_index in range(index + 1, len(blocks)):
            follower = blocks[follower_index]
            if _has_text(raw, gap_start, follower.start):
                has_content = True
                break
            if follower.kind == HEADING:
                has_content = follower.level > block.level
                break
            if follower.kind == CONTENT:
                has_content = True
                break
            gap_start = follower.end
        else:
            has_content = _has_text(raw, gap_start, len(raw))
        span = (positions, block.start, block.end)
        headings.append(Heading(block.level, block.text, block.setext, span, has_content))
    last_line = first_line + max(body.count("\n") - (1 if body.endswith("\n") else 0), 0)
    return Outline(tuple(headings), first_line, last_line)


def html_ranges(body: str) -> Iterator[tuple[int, int]]:
    """The byte ranges of the body's HTML blocks and inline HTML, at any depth: where an HTML
    comment is a comment, not text of a code block or a code span."""
    for event, where in _events()(body):
        if type(event) is dict and (event.get("Start") == "HtmlBlock" or "InlineHtml" in event):
            yield where["start"], where["end"]
