"""What the editor asks for besides diagnostics: fixes as edits, suppression comments, hover
texts and completions. Plain data in guidelint's positions (1-based lines and character
columns); the protocol module converts them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from guidelint.app.fix import Source, _ranges, _self_overlap, value_edits
from guidelint.app.server.positions import split_lines
from guidelint.checks.validation import property_schema, vocabulary
from guidelint.core.corpus_index import LINK_KEYS
from guidelint.core.diagnostic import Diagnostic
from guidelint.core.fixes import Edit, Fix
from guidelint.core.limits import Limits
from guidelint.readers.document import DELIMITER, Document, parse_document
from guidelint.readers.suppression_comments import FRONT_MATTER_DIRECTIVE, find_suppressions

# Keys whose value names another version: completed with the corpus's ids.
LINEAGE_ID_KEYS = (*LINK_KEYS, "referred_to")
KEY_AT_LINE_START = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:")


@dataclass(frozen=True, slots=True)
class FileEdit:
    """Edits to one file, by the name shown, in the positions of its text as given."""

    shown: str
    text: str  # the text the edits' positions refer to (no byte-order mark)
    edits: tuple[Edit, ...]


def fix_edits(fix: Fix, target: str, data: bytes) -> FileEdit | None:
    """A fix as edits to the text of the file it changes; None when they no longer apply."""
    try:
        source = Source.of(data)
    except UnicodeDecodeError:
        return None
    edits = list(fix.edits) + value_edits(source, target, fix.values)
    if not edits:
        return None
    # The fix engine's own tests: edits that no longer apply, or overlap, are not made.
    ranges = _ranges(source, edits)
    if ranges is None or _self_overlap(ranges):
        return None
    mended = tuple(
        Edit(e.line, e.column, e.end_line, e.end_column, e.text.replace("\n", source.newline))
        for e in edits
    )
    return FileEdit(target, source.text, mended)


def apply_edits(text: str, edits: tuple[Edit, ...]) -> str:
    """The text with non-overlapping edits made (for checking what an edit does)."""
    source = Source.of(text.encode("utf-8", "surrogatepass"))
    ranges = []
    for edit in edits:
        start = source.offset(edit.line, edit.column)
        end = source.offset(edit.end_line, edit.end_column)
        if start is None or end is None:
            return text
        ranges.append((start, end, edit.text))
    out, done = [], 0
    for start, end, new in sorted(ranges):
        out += [source.text[done:start], new]
        done = end
    out.append(source.text[done:])
    return "".join(out)


# Suppression comments ----------------------------------------------------------------------
def _document(text: str, path: str, limits: Limits) -> Document | None:
    try:
        return parse_document(text.encode("utf-8", "surrogatepass"), path, limits).document
    except Exception:
        return None


def suppression_edits(
    diagnostic: Diagnostic, text: str, limits: Limits
) -> Iterator[tuple[str, Edit]]:
    """Comments that silence this problem: on its line (or the line before, in the body),
    then for the whole file. Each is offered only when guidelint reads it back as one."""
    document = _document(text, diagnostic.path, limits)
    if document is None:
        return
    code = diagnostic.code
    lines = split_lines(text)
    front_first = document.front_matter_first_line
    front_last = front_first + document.front_matter.count("\n")
    line = diagnostic.line
    if document.front_matter and front_first <= line <= front_last and line <= len(lines):
        written = lines[line - 1]
        existing = FRONT_MATTER_DIRECTIVE.search(written)
        addition = f" {code}" if existing else f"  # guidelint: disable={code}"
        edit = Edit.insert(line, len(written.rstrip()) + 1, addition)
        if _silences(text, edit, line, code, limits):
            yield f"Suppress {code} on this line", edit
    elif line >= document.body_first_line and line <= len(lines):
        indent = re.match(r"[ \t]*", lines[line - 1])
        prefix = indent.group() if indent else ""
        comment = f"{prefix}<!-- guidelint-disable-next-line {code} -->\n"
        edit = Edit.insert(line, 1, comment)
        if _silences(text, edit, line + 1, code, limits):
            yield f"Suppress {code} on the next line", edit
    if document.body_first_line <= len(lines) + 1:
        edit = Edit.insert(document.body_first_line, 1, f"<!-- guidelint-disable-file {code} -->\n")
        if _silences(text, edit, 0, code, limits):
            yield f"Suppress {code} in this file", edit


def _silences(text: str, edit: Edit, line: int, code: str, limits: Limits) -> bool:
    """Whether guidelint, reading the text with the edit made, finds a suppression of `code`
    for `line` (0: the whole file): a '#' inside a quoted value is text, not a comment."""
    from guidelint.readers.yamlpos import parse_front_matter

    changed = apply_edits(text, (edit,))
    document = _document(changed, "", limits)
    if document is None:
        return False
    parsed = parse_front_matter(document.front_matter, "", document.front_matter_first_line, limits)
    found = find_suppressions(document, parsed)
    return any(item.line == line and code in item.codes for item in found.items)


# The metadata schema -------------------------------------------------------------------------
def front_matter_lines(lines: list[str]) -> tuple[int, int] | None:
    """The first and last line (1-based) of the front matter, between its delimiters, even
    while it is being written and does not parse; None when the file has none."""
    if not lines or not DELIMITER.fullmatch(lines[0].removeprefix("\ufeff")):
        return None
    for number, line in enumerate(lines[1:], start=2):
        if DELIMITER.fullmatch(line):
            return 2, number - 1
    return 2, len(lines)


def key_description(schema: dict[str, Any], key: str) -> str | None:
    """A metadata key's hover text: its description, and its vocabulary if it has one."""
    prop = property_schema(schema, key)
    if prop is None:
        return None
    text = f"**{key}**: {prop.get('description', '')}"
    values = vocabulary(schema, key)
    if values:
        text += "\n\n" + "\n".join(f"- `{value}`: {about}" for value, about in values)
    if key in schema.get("required", []):
        text += "\n\nRequired."
    return text


def keys_written(lines: list[str], first: int, last: int) -> set[str]:
    """The top-level keys the front matter's lines start with."""
    found = set()
    for line in lines[first - 1 : last]:
        match = KEY_AT_LINE_START.match(line)
        if match:
            found.add(match.group(1))
    return found
