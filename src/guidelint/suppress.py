"""Suppression comments: an editor's way to say "I know, leave this one".

In the body, an HTML comment (as markdownlint and pymarkdown spell it):

    <!-- guidelint-disable-next-line GL501 -->     the line after the comment
    <!-- guidelint-disable-file GL503 GL504 -->    the whole file

In the front matter, a YAML comment on the line it is about (as ruff's `# noqa`):

    publication_date: 2024-02-30  # guidelint: disable=GL201

Codes are exact rule codes, separated by spaces or commas. Comments inside code fences, quoted
values and block scalars are text, not suppressions. A suppression that silences nothing is
reported (GL901), like ruff's unused-noqa; one naming no code or an unknown code is GL902.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from guidelint.diagnostic import Diagnostic, Severity, Span
from guidelint.document import Document

if TYPE_CHECKING:
    from guidelint.yamlpos import ParsedYaml

BODY_MARKER = "guidelint-disable"
FRONT_MATTER_MARKER = "guidelint:"
BODY_DIRECTIVE = re.compile(r"guidelint-disable-(next-line|file)\b([^>]*?)-->", re.DOTALL)
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

    def find(self, diagnostic: Diagnostic) -> Suppression | None:
        for item in self.items:
            if diagnostic.code in item.codes and item.line in (WHOLE_FILE, diagnostic.line):
                return item
        return None


def find_suppressions(document: Document, parsed: ParsedYaml) -> Suppressions:
    found = Suppressions()
    if FRONT_MATTER_MARKER in document.front_matter:
        found.items += _front_matter(document, parsed)
    if BODY_MARKER in document.body:
        found.items += _body(document)
    return found


def _front_matter(document: Document, parsed: ParsedYaml) -> Iterator[Suppression]:
    values = [located.value for located in parsed.spans.values()]
    for offset, text in enumerate(document.front_matter.split("\n")):
        line = document.front_matter_first_line + offset
        for match in FRONT_MATTER_DIRECTIVE.finditer(text):
            column = match.start() + 1
            if any(_inside(span, line, column) for span in values):
                continue  # a '#' inside a quoted value or a block scalar is text
            codes = _codes(match.group(1))
            span = Span(line, column, line, len(text.rstrip()) + 1)
            yield Suppression(line, codes, span, _shortened(match.group(0).strip()))


def _codes(listed: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for code in CODE_SEPARATOR.split(listed) if code))


def _shortened(written: str) -> str:
    """The directive as quoted in messages: one message per code quotes it, so a comment
    listing 50,000 codes once made 50,000 messages of 300 KB each (15 GB of memory)."""
    return written if len(written) <= MAX_QUOTED else written[: MAX_QUOTED - 3] + "..."


def _inside(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) < (span.end_line, span.end_column)


def _body(document: Document) -> Iterator[Suppression]:
    from guidelint.headings import Positions, html_ranges

    positions = Positions(document.body, document.body_first_line)
    raw = document.body.encode("utf-8")
    for start, end in html_ranges(document.body):
        block = raw[start:end].decode("utf-8", "replace")
        for match in BODY_DIRECTIVE.finditer(block):
            opening = block.rfind("<!--", 0, match.start())
            if opening == -1:
                continue
            first = start + len(block[:opening].encode("utf-8"))
            last = start + len(block[: match.end()].encode("utf-8"))
            span = positions.span(first, last)
            kind, listed = match.groups()
            codes = _codes(listed)
            line = WHOLE_FILE if kind == "file" else span.end_line + 1
            written = _shortened(" ".join(block[opening : match.end()].split()))
            yield Suppression(line, codes, span, written)


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
    for diagnostic in diagnostics:
        found = suppressions.get(diagnostic.path)
        item = found.find(diagnostic) if found else None
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
        if "GL902" in enabled:
            yield Diagnostic.at(
                path,
                item.span,
                "GL902",
                Severity.ERROR,
                f"'{item.written}' names no rule; add the code to silence, such as "
                "guidelint-disable-next-line GL501",
            )
        return
    for code in item.codes:
        if code not in known:
            if "GL902" in enabled:
                from guidelint.suggest import did_you_mean

                hint = did_you_mean(code, known)
                yield Diagnostic.at(
                    path,
                    item.span,
                    "GL902",
                    Severity.ERROR,
                    f"'{item.written}' names {code}, which is not a guidelint rule{hint}; "
                    "correct the code",
                )
        elif code in enabled and (id(item), code) not in used and "GL901" in enabled:
            yield Diagnostic.at(
                path,
                item.span,
                "GL901",
                Severity.WARNING,
                f"'{item.written}' silences {code}, but there is no {code} problem "
                "here any more; remove the comment"
                if len(item.codes) == 1
                else f"'{item.written}' silences {code}, but there is no {code} problem "
                f"here any more; remove {code} from the comment",
            )
