"""Suppression comments: an editor's way to say "I know, leave this one".

In the body, an HTML comment (as markdownlint and pymarkdown spell it):

    <!-- guidelint-disable-next-line GL501 -->     the line after the comment
    <!-- guidelint-disable-file GL503 GL504 -->    the whole file

In the front matter, a YAML comment on the line it is about (as ruff's `# noqa`):

    publication_date: 2024-02-30  # guidelint: disable=GL201

Codes are exact rule codes, separated by spaces or commas. Comments inside code fences, quoted
values and block scalars are text, not suppressions; so is a directive after a comment's
`-->`, and an unclosed `<!--` silences nothing. A suppression that silences nothing is
reported (GL901), like ruff's unused-noqa; one naming no code or an unknown code is GL902.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from guidelint.core import codes
from guidelint.core.diagnostic import Diagnostic, Severity
from guidelint.core.span import Span
from guidelint.readers.document import Document

if TYPE_CHECKING:
    from guidelint.readers.yamlpos import ParsedYaml

BODY_MARKER = "guidelint-disable"
FRONT_MATTER_MARKER = "guidelint:"
BODY_DIRECTIVE = re.compile(r"guidelint-disable-(next-line|file)\b")
COMMENT_OPENING, COMMENT_CLOSING = b"<!--", b"-->"
FRONT_MATTER_DIRECTIVE = re.compile(r"(?:^|(?<=\s))#\s*guidelint:\s*disable\s*=?\s*([^#\n]*)")
CODE_SEPARATOR = re.compile(r"[\s,]+")
WHOLE_FILE = 0
MAX_QUOTED = 100


@dataclass(frozen=True, slots=True)
class Suppression:
    """Silences `codes` on `line` (WHOLE_FILE: everywhere in the file)."""

    line: int
    codes: tuple[str, ...]
    span: Span  # where the comment is written
    written: str  # the directive as written, for messages


@dataclass(slots=True)
class Suppressions:
    items: list[Suppression] = field(default_factory=list)

    def __reduce__(self) -> tuple[type[Suppressions], tuple[list[Suppression]]]:
        return (Suppressions, (self.items,))  # see Entry.__reduce__


class _Finder:
    """Which suppression of a file silences a diagnostic: the first one, in the order
    written, naming its code on its line or for the whole file. Indexed by (line, code): a
    file may hold thousands of comments and of problems, too many to ask each of each."""

    def __init__(self, found: Suppressions) -> None:
        self.items = found.items
        self.index: dict[tuple[int, str], int] = {}
        for position, item in enumerate(found.items):
            for code in item.codes:
                self.index.setdefault((item.line, code), position)

    def find(self, diagnostic: Diagnostic) -> Suppression | None:
        everywhere = self.index.get((WHOLE_FILE, diagnostic.code))
        here = self.index.get((diagnostic.line, diagnostic.code))
        if everywhere is None and here is None:
            return None
        return self.items[min(p for p in (everywhere, here) if p is not None)]


def find_suppressions(document: Document, parsed: ParsedYaml) -> Suppressions:
    found = Suppressions()
    if FRONT_MATTER_MARKER in document.front_matter:
        found.items += _front_matter(document, parsed)
    if BODY_MARKER in document.body:
        found.items += _body(document)
    return found


def _front_matter(document: Document, parsed: ParsedYaml) -> Iterator[Suppression]:
    text_spans: _TextSpans | None = None
    for offset, text in enumerate(document.front_matter.split("\n")):
        line = document.front_matter_first_line + offset
        for match in FRONT_MATTER_DIRECTIVE.finditer(text):
            column = match.start() + 1
            if text_spans is None:
                text_spans = _TextSpans(parsed)
            if text_spans.covers(line, column):
                continue  # a '#' inside a quoted value or a block scalar is text
            codes = _codes(match.group(1))
            span = Span(line, column, line, len(text.rstrip()) + 1)
            yield Suppression(line, codes, span, _shortened(match.group(0).strip()))


class _TextSpans:
    """Where the front matter's keys and text values are written, to tell a comment from a
    '#' inside one. Lists and mappings are left out: a comment between a list's items is a
    comment. Scalars do not overlap, so the last one starting before a point is the only one
    that can hold it, found by bisection (thousands of values and of comments)."""

    def __init__(self, parsed: ParsedYaml) -> None:
        spans = []
        for path, located in parsed.spans.items():
            if located.key is not None:
                spans.append(located.key)
            if not _is_collection(parsed.data, path):
                spans.append(located.value)
        self.spans = sorted((s.line, s.column, s.end_line, s.end_column) for s in spans)

    def covers(self, line: int, column: int) -> bool:
        index = bisect_right(self.spans, (line, column, sys.maxsize, sys.maxsize)) - 1
        if index < 0:
            return False
        start_line, start_column, end_line, end_column = self.spans[index]
        return (start_line, start_column) <= (line, column) < (end_line, end_column)


def _is_collection(data: Any, path: tuple[str | int, ...]) -> bool:
    try:
        for part in path:
            data = data[part]
    except (KeyError, IndexError, TypeError):
        return False
    return isinstance(data, dict | list)


def _codes(listed: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for code in CODE_SEPARATOR.split(listed) if code))


def _shortened(written: str) -> str:
    """The directive as quoted in messages: one message per code quotes it, so a comment
    listing 50,000 codes once made 50,000 messages of 300 KB each (15 GB of memory)."""
    return written if len(written) <= MAX_QUOTED else written[: MAX_QUOTED - 3] + "..."


def _body(document: Document) -> Iterator[Suppression]:
    from guidelint.readers.outline import html_ranges

    raw = document.body.encode("utf-8")
    where = _Cursor(raw, document.body_first_line)
    for start, end in html_ranges(document.body):
        yield from _comments(raw, start, end, where)


def _comments(raw: bytes, start: int, end: int, where: _Cursor) -> Iterator[Suppression]:
    """The suppressions written in the HTML comments between two byte offsets of the body.

    Each comment is found by its delimiters and looked into once, so the work is linear
    (matching the directive up to a closing `-->` searched to the end of the block from every
    directive when a comment was left open).
    """
    position = start
    while True:
        opening = raw.find(COMMENT_OPENING, position, end)
        if opening == -1:
            return
        closing = raw.find(COMMENT_CLOSING, opening + len(COMMENT_OPENING), end)
        if closing == -1:
            return  # an unclosed comment silences nothing
        position = closing + len(COMMENT_CLOSING)
        inside = raw[opening + len(COMMENT_OPENING) : closing].decode("utf-8", "replace")
        # The codes run to the end of the comment and hold no '>'.
        match = BODY_DIRECTIVE.search(inside, inside.rfind(">") + 1)
        if match is None:
            continue
        # From the last '<!--' before the directive (the body is UTF-8: offsets agree).
        directive = opening + len(COMMENT_OPENING) + len(inside[: match.start()].encode())
        first = raw.rfind(COMMENT_OPENING, opening, directive)
        span = Span(*where.at(first), *where.at(position))
        codes = _codes(inside[match.end() :])
        line = WHOLE_FILE if match.group(1) == "file" else span.end_line + 1
        written = raw[first:position].decode("utf-8", "replace")
        yield Suppression(line, codes, span, _shortened(" ".join(written.split())))


class _Cursor:
    """Lines and columns of byte offsets in the body, asked for in increasing order: each
    step reads only the bytes since the last one, so that a long line of comments is read
    once, not once a comment."""

    def __init__(self, raw: bytes, first_line: int) -> None:
        self.raw = raw
        self.first_line = first_line
        self.offset, self.line, self.column = 0, first_line, 1

    def at(self, offset: int) -> tuple[int, int]:
        raw = self.raw
        if offset < self.offset:
            self.offset, self.line, self.column = 0, self.first_line, 1
        breaks = raw.count(b"\n", self.offset, offset)
        if breaks:
            line_start = raw.rfind(b"\n", self.offset, offset) + 1
            self.line += breaks
            self.column = 1
        else:
            line_start = self.offset
        self.column += len(raw[line_start:offset].decode("utf-8", "replace"))
        self.offset = offset
        return self.line, self.column


@dataclass(frozen=True, slots=True)
class Applied:
    kept: list[Diagnostic]
    problems: list[Diagnostic]  # GL901 / GL902 about the suppressions themselves


def apply_suppressions(
    diagnostics: Iterable[Diagnostic],
    suppressions: dict[str, Suppressions],
    checked: set[str],
    enabled: frozenset[str],
    known_codes: Iterable[str],
) -> Applied:
    """Drop suppressed diagnostics; report unused and invalid suppressions in checked files."""
    used: set[tuple[int, str]] = set()  # (id of the suppression, code)
    kept = []
    finders: dict[str, _Finder] = {}
    for diagnostic in diagnostics:
        found = suppressions.get(diagnostic.path)
        item = None
        if found:
            finder = finders.get(diagnostic.path)
            if finder is None:
                finder = finders[diagnostic.path] = _Finder(found)
            item = finder.find(diagnostic)
        if item is None:
            kept.append(diagnostic)
        else:
            used.add((id(item), diagnostic.code))
    known = set(known_codes)
    problems: list[Diagnostic] = []
    for path in sorted(checked & suppressions.keys()):
        for item in suppressions[path].items:
            problems += _judge(path, item, used, enabled, known)
    return Applied(kept, problems)


def _judge(
    path: str,
    item: Suppression,
    used: set[tuple[int, str]],
    enabled: frozenset[str],
    known: set[str],
) -> Iterator[Diagnostic]:
    if not item.codes:
        if codes.INVALID_SUPPRESSION in enabled:
            yield Diagnostic.at(
                path,
                item.span,
                codes.INVALID_SUPPRESSION,
                Severity.ERROR,
                f"'{item.written}' names no rule; add the code to silence, such as "
                "guidelint-disable-next-line GL501",
            )
        return
    for code in item.codes:
        if code not in known:
            if codes.INVALID_SUPPRESSION in enabled:
                from guidelint.core.suggest import did_you_mean

                hint = did_you_mean(code, known)
                yield Diagnostic.at(
                    path,
                    item.span,
                    codes.INVALID_SUPPRESSION,
                    Severity.ERROR,
                    f"'{item.written}' names {code}, which is not a guidelint rule{hint}; "
                    "correct the code",
                )
        elif (
            code in enabled and (id(item), code) not in used and codes.UNUSED_SUPPRESSION in enabled
        ):
            yield Diagnostic.at(
                path,
                item.span,
                codes.UNUSED_SUPPRESSION,
                Severity.WARNING,
                f"'{item.written}' silences {code}, but there is no {code} problem "
                "here any more; remove the comment"
                if len(item.codes) == 1
                else f"'{item.written}' silences {code}, but there is no {code} problem "
                f"here any more; remove {code} from the comment",
            )
