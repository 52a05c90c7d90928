"""YAML front matter -> plain values, with the source span of every key and value.

libyaml's composer (PyYAML's C loader) builds the node graph with marks; this module turns nodes
into plain values itself, so that it can:

* report duplicate keys (PyYAML keeps the last one without a word),
* refuse every tag outside YAML's core set (nothing named in a file is ever constructed),
* keep dates and timestamps as the text written (JSON Schema and the date rules decide),
* bound the work of alias expansion and nesting depth,
* remember which plain scalars YAML 1.1 read as something other than text (`NO` -> false).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from guidelint.core import codes
from guidelint.core.diagnostic import Diagnostic, Severity
from guidelint.core.limits import Limits
from guidelint.core.span import Span

if TYPE_CHECKING:
    from guidelint.core.fixes import Fix

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

# Tags of plain scalars by their text: libyaml composes in C but asks PyYAML's resolver, in
# Python, for every node, and a plain scalar's tag depends on its text alone. Bounded: the
# values guideline metadata repeats (null, false, vocabulary words) are few.
_PLAIN_TAGS: dict[str, str] = {}
MAX_PLAIN_TAGS = 4096


class _Loader(_SafeLoader):
    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> Any:
        if kind is not _SCALAR:
            # What PyYAML's resolver answers for collections when no path resolver is added.
            return _SEQUENCE_TAG if kind is _SEQUENCE else _MAPPING_TAG
        if not implicit[0]:
            return _STR_TAG  # quoted or block text, or the '!' tag: always a string
        if value[:1] not in _RESOLVED_FIRST:
            return _STR_TAG  # no implicit tag starts with this character: text
        tag = _PLAIN_TAGS.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
            if len(_PLAIN_TAGS) < MAX_PLAIN_TAGS:
                _PLAIN_TAGS[value] = tag
        return tag


# The shortcuts in _Loader.resolve hold because the safe loader has no path resolvers, and
# each implicit resolver is listed under the first characters it can match (none for all).
assert not _Loader.yaml_path_resolvers
assert None not in _Loader.yaml_implicit_resolvers
_RESOLVED_FIRST = frozenset(_Loader.yaml_implicit_resolvers)
_SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode
_STR_TAG = _Loader.DEFAULT_SCALAR_TAG
_SEQUENCE_TAG = _Loader.DEFAULT_SEQUENCE_TAG
_MAPPING_TAG = _Loader.DEFAULT_MAPPING_TAG


JsonPath = tuple[str | int, ...]

TAG = "tag:yaml.org,2002:"
STR, NULL, BOOL, INT, FLOAT, TIMESTAMP = (
    TAG + name for name in ("str", "null", "bool", "int", "float", "timestamp")
)
SEQ, MAP, MERGE = TAG + "seq", TAG + "map", TAG + "merge"
# YAML 1.1 line breaks that neither Markdown nor our line numbering count as line ends.
ODD_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
_constructor = yaml.constructor.SafeConstructor()
NUMBER_KINDS = {
    BOOL: ("true or false", _constructor.construct_yaml_bool),
    INT: ("a whole number", _constructor.construct_yaml_int),
    FLOAT: ("a number", _constructor.construct_yaml_float),
}
# Longer numbers are reported, not read: see _Builder.number.
MAX_NUMBER_CHARS = 100


@dataclass(frozen=True, slots=True)
class _Frame:
    """Where the front matter sits in the file: what turns a node's marks into a span."""

    first_line: int
    lines: list[str]

    def span(self, node: yaml.Node) -> Span:
        return Span(*self.numbers(node))

    def numbers(self, node: yaml.Node) -> tuple[int, int, int, int]:
        """The span's line, column, end line and end column, without making a Span."""
        start, end = node.start_mark, node.end_mark
        end_line, end_column = end.line, end.column
        if end_line > start.line and end_column == 0:
            # A block collection ends at the start of the next line; end it on its last line.
            end_line -= 1
            end_column = len(self.lines[end_line]) if end_line < len(self.lines) else 0
        return (
            self.first_line + start.line,
            start.column + 1,
            self.first_line + end_line,
            end_column + 1,
        )


class Located:
    """The span of a key (None for a list item) and of its value.

    Spans are worked out when first asked for: a clean file has about forty values and no
    diagnostic to place, so most are never needed.
    """

    __slots__ = ("_frame", "_key", "_key_node", "_value", "_value_node")

    def __init__(self, frame: _Frame, key_node: yaml.Node | None, value_node: yaml.Node) -> None:
        self._frame = frame
        self._key_node = key_node
        self._value_node = value_node
        self._key: Span | None = None
        self._value: Span | None = None

    @property
    def key(self) -> Span | None:
        if self._key is None and self._key_node is not None:
            self._key = self._frame.span(self._key_node)
        return self._key

    @property
    def value(self) -> Span:
        if self._value is None:
            self._value = self._frame.span(self._value_node)
        return self._value

    def value_numbers(self) -> tuple[int, int, int, int]:
        """The value's span as numbers: what the corpus index keeps of it."""
        return self._frame.numbers(self._value_node)

    def __repr__(self) -> str:
        return f"Located(key={self.key!r}, value={self.value!r})"


@dataclass(slots=True)
class ParsedYaml:
    data: Any
    spans: dict[JsonPath, Located] = field(default_factory=dict)
    # Plain (unquoted) scalars that YAML resolved to a non-string, with the text as written.
    plain_scalars: dict[JsonPath, str] = field(default_factory=dict)
    # Values already reported here; later stages stay quiet about them.
    reported: set[JsonPath] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The closing '---' was missing: the body was read as metadata, and is no body to check.
    body_in_front_matter: bool = False


class _LimitExceeded(Exception):
    pass


class _Builder:
    def __init__(self, path: str, first_line: int, lines: list[str], limits: Limits) -> None:
        self.path = path
        self.frame = _Frame(first_line, lines)
        self.span = self.frame.span
        self.limits = limits
        self.values = 0
        self.result = ParsedYaml(data=None)

    def report(self, node: yaml.Node, code: str, message: str) -> None:
        self.result.diagnostics.append(
            Diagnostic.at(self.path, self.span(node), code, Severity.ERROR, message)
        )

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        self.values += 1
        if self.values > self.limits.max_yaml_values:
            self.report(
                node,
                codes.RESOURCE_LIMIT,
                f"front matter expands to more than {self.limits.max_yaml_values} values "
                "(through aliases or sheer size), over the max-yaml-values limit; guideline "
                "metadata needs far fewer: write the values out without anchors and aliases",
            )
            raise _LimitExceeded
        if depth > self.limits.max_yaml_depth:
            self.report(
                node,
                codes.RESOURCE_LIMIT,
                f"front matter is nested more than {self.limits.max_yaml_depth} levels deep, "
                "over the max-yaml-depth limit; guideline metadata needs at most two",
            )
            raise _LimitExceeded
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if node.tag not in (SEQ, MAP):
            self.unsupported_tag(node, path)
            return None
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.result.spans[(*path, index)] = Located(self.frame, None, item)
                items.append(self.build(item, (*path, index), depth + 1))
            return items
        assert isinstance(node, yaml.MappingNode)
        return self.mapping(node, path, depth)

    def mapping(self, node: yaml.MappingNode, path: JsonPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == MERGE:
                self.report(
                    key_node,
                    codes.UNSUPPORTED_YAML_TAG,
                    "merge keys (<<) are not supported in guideline metadata; write the keys out",
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.report(
                    key_node,
                    codes.FRONT_MATTER_NOT_MAPPING,
                    "a key here is a list or mapping; keys must be plain names such as 'title'",
                )
                continue
            key = key_node.value
            if key in first_seen:
                first_line = self.span(first_seen[key]).line
                self.report(
                    key_node,
                    codes.DUPLICATE_KEY,
                    f"key '{key}' appears twice (first on line {first_line}); YAML keeps only the "
                    "last one, so delete the line that is wrong",
                )
            first_seen[key] = key_node
            child = (*path, key)
            self.result.spans[child] = Located(self.frame, key_node, value_node)
            out[key] = self.build(value_node, child, depth + 1)
        return out

    def scalar(self, node: yaml.ScalarNode, path: JsonPath) -> Any:
        tag, text = node.tag, node.value
        if tag == STR:
            return text
        if not node.style:  # plain: the C composer says "", the Python one None
            self.result.plain_scalars[path] = text
        if tag == NULL:
            return None
        if tag in NUMBER_KINDS:
            return self.number(node, path)
        if tag == TIMESTAMP:
            # YAML 1.2 and JSON have no date type: keep the text, the date rules judge it.
            return text
        self.unsupported_tag(node, path)
        return text

    def number(self, node: yaml.ScalarNode, path: JsonPath) -> Any:
        """A bool, int or float; the text as written when it cannot be one."""
        kind, construct = NUMBER_KINDS[node.tag]
        text = node.value
        if len(text) > MAX_NUMBER_CHARS:
            # Python refuses to read or print integers of thousands of digits, and a long
            # sexagesimal (1:2:3:...) takes quadratic time: no metadata needs such numbers.
            self.report(
                node,
                codes.RESOURCE_LIMIT,
                f"the number {text[:20]}... is {len(text)} characters long, over the "
                f"{MAX_NUMBER_CHARS}-character limit for a number; put it in quotes if it is text",
            )
            self.result.reported.add(path)
            return text
        try:
            return construct(node)
        except (ValueError, IndexError, KeyError, OverflowError):
            # An explicit tag (!!int x), or a plain scalar YAML 1.1 resolves oddly (0x_).
            shown = node.tag.replace(TAG, "!!")
            self.report(
                node,
                codes.UNSUPPORTED_YAML_TAG,
                f"the value {text!r} is read as {shown} but is not {kind}; put it in quotes "
                f"if it is text, or remove the {shown} tag",
            )
            self.result.reported.add(path)
            return text

    def unsupported_tag(self, node: yaml.Node, path: JsonPath) -> None:
        tag = node.tag.replace(TAG, "!!")
        self.report(
            node,
            codes.UNSUPPORTED_YAML_TAG,
            f"the tag {tag} is not allowed in guideline metadata (guidelint never builds objects "
            "named in a file); remove the tag",
        )
        self.result.reported.add(path)


def _mark_span(first_line: int, line: int, column: int) -> Span:
    return Span.point(first_line + line, column + 1)


def _syntax_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = (exc.problem or "invalid YAML").strip()
    hints = {
        "mapping values are not allowed": "a value contains ': '; put the value in quotes",
        "could not find expected ':'": "a line has no ':' after its key, or a quoted value is "
        "not closed",
        "found undefined alias": "an alias (*name) refers to no anchor (&name)",
        "expected a single document in the stream": "the front matter holds more than one YAML "
        "document; remove the extra '---' or '...'",
    }
    hint = next((h for p, h in hints.items() if problem.startswith(p)), None)
    return f"YAML syntax error: {problem}" + (f"; {hint}" if hint else "")


# The likely mistakes behind a YAML syntax error, each recognised from the lines near it and
# explained in plain words, at the place where the editor made it: libyaml reports where it
# gave up, often a line later.
KEY_LINE = re.compile(r"(?P<indent> *)(?P<key>[A-Za-z_][\w-]*):(?P<rest>.*)")
NO_SPACE_AFTER_COLON = re.compile(r" *[A-Za-z_][\w-]*:(?P<value>[^\s:/][^\n]*)")
DASH_WITHOUT_SPACE = re.compile(r"(?P<indent> *)-(?P<item>[^\s-][^\n]*)")
HEADING = re.compile(r"#{1,6}[ \t]+\S")
TYPOGRAPHIC_QUOTES = {
    "\u201c": "\u201d",
    "\u2018": "\u2019",
    "\u00ab": "\u00bb",
    "\u201e": "\u201c",
}
NO_TOKEN_START = {"@": "'@'", "`": "a backtick (`)", "%": "'%'"}


@dataclass(frozen=True, slots=True)
class _Mistake:
    line: int  # 0-based, in the front matter
    column: int  # 0-based
    message: str
    fix: Fix | None = None
    body_read_as_metadata: bool = False


def _likely_mistake(
    exc: yaml.MarkedYAMLError, lines: list[str], first_line: int
) -> _Mistake | None:
    mark = exc.problem_mark
    if mark is None:
        return None
    problem = exc.problem or ""
    near = [mark.line]
    if exc.context_mark is not None and exc.context_mark.line != mark.line:
        near.insert(0, exc.context_mark.line)
    previous = _previous_filled(lines, mark.line)
    if previous is not None and previous not in near:
        near.append(previous)
    return (
        _swallowed_body(lines, mark.line, first_line)
        or _tab(lines, mark.line, mark.column)
        or _typographic_quotes(lines, near, first_line)
        or _unclosed_quote(lines, mark.line, first_line)
        or _no_space_after_colon(lines, near)
        or _dash_without_space(lines, near)
        or _bad_first_character(lines, mark.line, mark.column, problem)
    )


def _previous_filled(lines: list[str], line: int) -> int | None:
    for number in range(min(line, len(lines)) - 1, -1, -1):
        if lines[number].strip() and not lines[number].lstrip().startswith("#"):
            return number
    return None


def _swallowed_body(lines: list[str], failed_at: int, first_line: int) -> _Mistake | None:
    """A Markdown heading after a blank line, before the error: the closing '---' is missing,
    and the body, up to a later '---' (a thematic break), was read as metadata."""
    for number in range(1, min(failed_at + 1, len(lines))):
        if HEADING.match(lines[number]) and not lines[number - 1].strip():
            last = _previous_filled(lines, number)
            if last is None:
                return None
            return _Mistake(
                last + 1,
                0,
                f"the closing '---' of the metadata is probably missing after line "
                f"{first_line + last}: add a line '---' there; the text below it, from the "
                f"heading '{lines[number].strip()}' on, was read as metadata",
                body_read_as_metadata=True,
            )
    return None


def _tab(lines: list[str], line: int, column: int) -> _Mistake | None:
    text = lines[line] if line < len(lines) else ""
    tab = text.find("\t")
    if tab == -1 or (text[:tab].strip() and text[column : column + 1] != "\t"):
        return None
    return _Mistake(
        line,
        tab,
        "this line is indented with a tab, and YAML allows only spaces: replace the tab, "
        "indent with spaces (two for a list item)",
    )


def _typographic_quotes(lines: list[str], near: list[int], first_line: int) -> _Mistake | None:
    for number in near:
        found = KEY_LINE.fullmatch(lines[number]) if number < len(lines) else None
        value = found.group("rest").strip() if found else ""
        closing = TYPOGRAPHIC_QUOTES.get(value[:1])
        if found is None or closing is None:
            continue
        key = found.group("key")
        inner = value[1:-1] if value.endswith((closing, value[0])) and len(value) > 1 else value[1:]
        straight = '"' + inner.replace("\\", "\\\\").replace('"', '\\"') + '"'
        start = lines[number].index(value)
        fix = None
        mended = [*lines]
        mended[number] = lines[number][:start] + straight
        if _parses("\n".join(mended)):
            from guidelint.core.fixes import Edit, Fix  # the fix types live with the fix runner

            line = first_line + number
            fix = Fix.safe(
                "Use straight quotes",
                Edit(line, start + 1, line, len(lines[number]) + 1, straight),
            )
        return _Mistake(
            number,
            start,
            f"the value of {key} is in typographic quotes ({value[0]} {closing}), which YAML "
            f"does not read as quotes; use straight quotes: {key}: {straight}",
            fix,
        )
    return None


def _parses(text: str) -> bool:
    try:
        yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return False
    return True


def _unclosed_quote(lines: list[str], failed_at: int, first_line: int) -> _Mistake | None:
    """The last value before the error that opens a quote its line does not close."""
    for number in range(min(failed_at, len(lines) - 1), -1, -1):
        found = KEY_LINE.fullmatch(lines[number])
        if found is None:
            continue
        rest = found.group("rest")
        value = rest.lstrip()
        if value[:1] not in ("'", '"') or _closed(value):
            continue
        column = len(lines[number]) - len(rest) + (len(rest) - len(value))
        quote = value[0]
        return _Mistake(
            number,
            column,
            f"the quote {quote} opened at {first_line + number}:{column + 1} (the value of "
            f"{found.group('key')}) is never closed; end the value with {quote} on the same line",
        )
    return None


def _closed(value: str) -> bool:
    """Whether a quoted value ends its quote on its own line (escapes and '' counted)."""
    quote, index = value[0], 1
    while index < len(value):
        char = value[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and value[index + 1 : index + 2] == "'":
                index += 2
                continue
            return True
        index += 1
    return False


def _first_match(
    lines: list[str], near: list[int], pattern: re.Pattern[str]
) -> tuple[int, re.Match[str]] | None:
    """The first of the lines `near` the error that `pattern` matches whole."""
    for number in near:
        found = pattern.fullmatch(lines[number]) if number < len(lines) else None
        if found is not None:
            return number, found
    return None


def _no_space_after_colon(lines: list[str], near: list[int]) -> _Mistake | None:
    match = _first_match(lines, near, NO_SPACE_AFTER_COLON)
    if match is not None:
        number, found = match
        text = lines[number]
        key = text[: found.start("value") - 1].strip()
        value = found.group("value").rstrip()
        return _Mistake(
            number,
            found.start("value") - 1,
            f"put a space after the colon: '{key}: {value}', not '{key}:{value}'",
        )
    return None


def _dash_without_space(lines: list[str], near: list[int]) -> _Mistake | None:
    match = _first_match(lines, near, DASH_WITHOUT_SPACE)
    if match is not None:
        number, found = match
        item = found.group("item").rstrip()
        return _Mistake(
            number,
            found.end("indent"),
            f"put a space after the dash of a list item: '- {item}', not '-{item}'",
        )
    return None


def _bad_first_character(lines: list[str], line: int, column: int, problem: str) -> _Mistake | None:
    text = lines[line] if line < len(lines) else ""
    char = text[column : column + 1]
    if not problem.startswith("found character that cannot start any token"):
        return None
    if char not in NO_TOKEN_START:
        return None
    found = KEY_LINE.fullmatch(text)
    value = text[column:].rstrip()
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    said = f"{found.group('key')}: {quoted}" if found else quoted
    return _Mistake(
        line,
        column,
        f"a YAML value cannot start with {NO_TOKEN_START[char]}; put the whole value in "
        f"quotes: {said}",
    )


def parse_front_matter(text: str, path: str, first_line: int, limits: Limits) -> ParsedYaml:
    """Parse front matter whose first line is line `first_line` of the file."""
    result = ParsedYaml(data=None)
    lines = text.split("\n")

    def fail(span: Span, code: str, message: str) -> ParsedYaml:
        result.diagnostics.append(Diagnostic.at(path, span, code, Severity.ERROR, message))
        return result

    size = len(text.encode("utf-8"))
    if size > limits.max_front_matter_bytes:
        return fail(
            Span.point(first_line - 1),
            codes.RESOURCE_LIMIT,
            f"front matter is {size // 1024} KB, over the {limits.max_front_matter_bytes // 1024} "
            "KB max-front-matter-bytes limit; guideline metadata is a few dozen lines",
        )
    odd = ODD_LINE_BREAKS.search(text)
    if odd:
        line = text.count("\n", 0, odd.start())
        column = odd.start() - (text.rfind("\n", 0, odd.start()) + 1)
        return fail(
            _mark_span(first_line, line, column),
            codes.YAML_SYNTAX,
            f"invisible line-separator character U+{ord(odd.group()):04X} in the front matter; "
            "delete it or replace it with a space",
        )
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = _mark_span(first_line, mark.line, mark.column) if mark else Span.point(first_line)
        if "maximum nesting depth" in (exc.problem or ""):
            return fail(
                span,
                codes.RESOURCE_LIMIT,
                f"front matter is nested more than {limits.max_yaml_depth} levels deep, over the "
                "max-yaml-depth limit; guideline metadata needs at most two",
            )
        mistake = _likely_mistake(exc, lines, first_line)
        if mistake is None:
            return fail(span, codes.YAML_SYNTAX, _syntax_message(exc, text))
        result.body_in_front_matter = mistake.body_read_as_metadata
        span = _mark_span(first_line, mistake.line, mistake.column)
        result.diagnostics.append(
            Diagnostic.at(
                path, span, codes.YAML_SYNTAX, Severity.ERROR, mistake.message, mistake.fix
            )
        )
        return result
    except yaml.reader.ReaderError as exc:
        # libyaml counts this position in UTF-8 bytes; the text is indexed in characters.
        position = len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
        line = text.count("\n", 0, position)
        column = position - (text.rfind("\n", 0, position) + 1)
        return fail(
            _mark_span(first_line, line, column),
            codes.YAML_SYNTAX,
            f"the front matter contains the control character #x{exc.character:04x}, "
            "which YAML does not allow; delete it",
        )
    except yaml.YAMLError as exc:
        return fail(Span.point(first_line), codes.YAML_SYNTAX, f"YAML error: {exc}")
    if node is None:
        return fail(
            Span.point(first_line - 1),
            codes.FRONT_MATTER_NOT_MAPPING,
            "front matter is empty; add the guideline's metadata between the '---' lines",
        )
    if not isinstance(node, yaml.MappingNode) or node.tag != MAP:
        builder = _Builder(path, first_line, lines, limits)
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        return fail(
            builder.span(node),
            codes.FRONT_MATTER_NOT_MAPPING,
            f"front matter is {kind}; it must be 'key: value' lines such as 'title: ...'",
        )
    builder = _Builder(path, first_line, lines, limits)
    builder.result = result
    try:
        result.data = builder.mapping(node, (), 1)  # a MappingNode: checked just above
    except _LimitExceeded:
        result.data = None
    return result
