"""GL1xx: the front matter against schema/guideline.schema.json."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from guidelint.checks.file_context import FileContext
from guidelint.core import codes
from guidelint.core.diagnostic import Severity
from guidelint.core.fields import DATE_FIELDS
from guidelint.core.span import Span
from guidelint.rules.base import Finding, Rule, file_rule

# The fix types and what only a check uses (calendar's month names) are imported where they
# are used: a run answered from the cache imports the rules, to know their codes, but checks
# no file.
if TYPE_CHECKING:
    from guidelint.core.fixes import Fix
    from guidelint.readers.yamlpos import JsonPath, Located

# A node's anchor (&name), after its tag if it has one (!!str &name).
ANCHOR = re.compile(r"(?:!\S*\s+)?&")


def _problems(ctx: FileContext, code: str) -> Iterator[Finding]:
    for problem in ctx.schema_problems:
        if problem.code == code:
            yield Finding(problem.span, problem.message)


@file_rule(codes.SCHEMA_VIOLATION, "schema-violation")
def schema_violation(ctx: FileContext) -> Iterator[Finding]:
    """
    The front matter breaks a schema constraint that has no rule of its own.

    ## What it does
    Reports any JSON Schema error not covered by GL101 to GL107, for instance from a
    constraint added to the schema later.

    ## Why is this bad?
    The schema is the single source of truth for metadata; every violation is reported.

    ## Example
    Depends on the constraint; the message quotes it.

    Use instead: change the value as the message says.
    """
    return _problems(ctx, codes.SCHEMA_VIOLATION)


@file_rule(codes.MISSING_REQUIRED_KEY, "missing-required-key")
def missing_required_key(ctx: FileContext) -> Iterator[Finding]:
    """
    A required metadata key is missing.

    ## What it does
    Reports each key the schema requires (id, title, organization, country, url, specialty,
    guideline_type, evidence_system, conditions, publication_date, status) that is absent.

    ## Why is this bad?
    The corpus is searched, listed and linked by these keys.

    ## Example
    ```yaml
    id: aan-als-2024
    title: "ALS Management"
    ```

    Use instead: add every required key, such as `status: current`.
    """
    return _problems(ctx, codes.MISSING_REQUIRED_KEY)


@file_rule(codes.UNKNOWN_KEY, "unknown-key", fix="safe")
def unknown_key(ctx: FileContext) -> Iterator[Finding]:
    """
    The front matter has a key the schema does not know.

    ## What it does
    Reports each unknown key at its position, suggesting the closest known key.

    Fix (safe): renames the key when the key meant is unambiguous: the same name in another
    case or with hyphens or spaces (`Status`, `publication-date`), a slip of a letter or two
    that resembles one known key only (`specialy`), or one slip (a letter added, dropped,
    changed or swapped) from a key with no other key within three (`superseeded_by`). A key
    that would then appear twice is left for you to merge.

    ## Why is this bad?
    A misspelled key (`Status`, `publication-date`) is silently ignored by every tool, so the
    value it was meant to set is missing.

    ## Example
    ```yaml
    Status: current
    ```

    Use instead:
    ```yaml
    status: current
    ```
    """
    from guidelint.checks.validation import known_keys
    from guidelint.core.suggest import meant_key

    problems = [p for p in ctx.schema_problems if p.code == codes.UNKNOWN_KEY]
    meant = {p.key: meant_key(p.key, known_keys()) for p in problems if p.key}
    wanted = [key for key in meant.values() if key]
    for problem in problems:
        target = meant.get(problem.key) if problem.key else None
        fix = None
        if target and wanted.count(target) == 1 and target not in ctx.meta:
            fix = _rename(ctx, problem.span, str(problem.key), target)
        yield Finding(problem.span, problem.message, fix)


def _rename(ctx: FileContext, span: Span, key: str, target: str) -> Fix | None:
    from guidelint.core.fixes import Edit, Fix, requote, written

    old = written(ctx.document.text, span)
    if old is None or old not in (key, f'"{key}"', f"'{key}'"):
        return None  # an escaped or folded key: not one to rewrite by hand here
    return Fix.safe(f"rename '{key}' to '{target}'", Edit.replace(span, requote(old, target)))


@file_rule(codes.WRONG_TYPE, "wrong-type", fix="safe")
def wrong_type(ctx: FileContext) -> Iterator[Finding]:
    """
    A value has the wrong type, such as a number or yes/no where text is expected.

    ## What it does
    Reports a value whose type the schema does not allow. When YAML 1.1 read an unquoted word
    as true/false or null (`NO`, `yes`, `off`, `~`) or a number, the message says to quote it.

    Fix (safe): puts an unquoted yes/no word or number in double quotes where text is
    expected, so the text stays as written. An empty value (null) is left for you to fill in.

    ## Why is this bad?
    `country: NO` (Norway) becomes `false`; `version: 1.10` becomes `1.1`.

    ## Example
    ```yaml
    country: NO
    ```

    Use instead:
    ```yaml
    country: "NO"
    ```
    """
    problems = [p for p in ctx.schema_problems if p.code == codes.WRONG_TYPE]
    plain = (
        {ctx.parsed.spans[path].value: path for path in ctx.parsed.plain_scalars}
        if problems
        else {}
    )
    for problem in problems:
        path = plain.get(problem.span)
        fix = _quote(ctx, path) if path is not None else None
        yield Finding(problem.span, problem.message, fix)


def _value_at(data: Any, path: JsonPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _expects_text(path: JsonPath) -> bool:
    from guidelint.checks.validation import load_schema

    schema: dict[str, Any] = load_schema()["properties"].get(path[0], {}) if path else {}
    if len(path) == 2:
        schema = schema.get("items", {})
    elif len(path) != 1:
        return False
    branches = [schema, *schema.get("anyOf", [])]
    return any(b.get("$ref") == "#/$defs/text" or b.get("type") == "string" for b in branches)


def _quote(ctx: FileContext, path: JsonPath) -> Fix | None:
    from guidelint.core.fixes import Edit, Fix, written

    raw = ctx.parsed.plain_scalars[path]
    value = _value_at(ctx.parsed.data, path)
    span = ctx.parsed.spans[path].value
    if value is None or not isinstance(value, bool | int | float) or not _expects_text(path):
        return None
    if written(ctx.document.text, span) != raw or '"' in raw or "\\" in raw:
        return None
    return Fix.safe(f'quote {raw} as "{raw}"', Edit.replace(span, f'"{raw}"'))


@file_rule(codes.UNKNOWN_VOCABULARY_VALUE, "unknown-vocabulary-value", fix="safe")
def unknown_vocabulary_value(ctx: FileContext) -> Iterator[Finding]:
    """
    A value is not in its controlled vocabulary.

    ## What it does
    Checks `status`, `guideline_type`, `evidence_system` and `specialty` against the values
    documented in the schema, suggesting the closest one.

    Fix: a value that differs from a known one only in case, spaces, hyphens or underscores
    (`Current`, `Clinical Practice`) is written the known way (safe). Otherwise the closest
    known value is put in (unsafe: it is a guess, so check it).

    ## Why is this bad?
    Filters and reports group guidelines by these values; `Current` or `cardiac` would fall
    out of every list.

    ## Example
    ```yaml
    status: active
    ```

    Use instead:
    ```yaml
    status: current
    ```
    """
    for problem in ctx.schema_problems:
        if problem.code == codes.UNKNOWN_VOCABULARY_VALUE:
            fix = None
            value = ctx.meta.get(problem.key) if problem.key else None
            if isinstance(value, str) and problem.span == ctx.value_span(str(problem.key)):
                fix = _known_value(ctx, problem.span, str(problem.key), value)
            yield Finding(problem.span, problem.message, fix)


def _vocabulary(key: str, extra: Any) -> list[str]:
    from guidelint.checks.validation import load_schema

    schema = load_schema(extra)
    name = str(schema["properties"].get(key, {}).get("$ref", "")).removeprefix("#/$defs/")
    branches = schema["$defs"].get(name, {}).get("oneOf", [])
    return [branch["const"] for branch in branches if "const" in branch]


def _fold_value(value: str) -> str:
    return re.sub(r"[\s_-]+", "-", value.strip()).casefold()


def _known_value(ctx: FileContext, span: Span, key: str, value: str) -> Fix | None:
    from guidelint.core.fixes import Edit, Fix, requote, written
    from guidelint.core.suggest import closest

    allowed = _vocabulary(key, ctx.settings.extra_vocabulary)
    old = written(ctx.document.text, span)
    if not allowed or old is None or old not in (value, f'"{value}"', f"'{value}'"):
        return None
    same = [known for known in allowed if _fold_value(known) == _fold_value(value)]
    if len(same) == 1:
        return Fix.safe(f"write {value} as {same[0]}", Edit.replace(span, requote(old, same[0])))
    guess = closest(value, allowed)
    if guess is None:
        return None
    return Fix.unsafe(f"replace {value} with {guess}", Edit.replace(span, requote(old, guess)))


@file_rule(codes.INVALID_FORMAT, "invalid-format", fix="safe")
def invalid_format(ctx: FileContext) -> Iterator[Finding]:
    """
    A value does not have the required form: an id, a date or a web address.

    ## What it does
    Checks that ids are lowercase slugs (`aan-als-2024`), dates are written `YYYY-MM-DD`, and
    `url` is an `http` or `https` address.

    Fix (safe): rewrites a date written another way as `YYYY-MM-DD` when it can mean only one
    day: `2024-6-1`, `2024/06/01`, `1 June 2024`, `June 1, 2024`, or `25/12/2024` (only one
    reading is a date). `03/04/2024` could be 3 April or 4 March, so it is left to you.

    ## Why is this bad?
    Ids are file names and link targets; dates are compared and sorted; URLs are followed.

    ## Example
    ```yaml
    publication_date: 1 June 2024
    ```

    Use instead:
    ```yaml
    publication_date: 2024-06-01
    ```
    """
    for problem in ctx.schema_problems:
        if problem.code == codes.INVALID_FORMAT:
            fix = None
            value = ctx.meta.get(problem.key) if problem.key in DATE_FIELDS else None
            if isinstance(value, str) and problem.span == ctx.value_span(str(problem.key)):
                fix = _normalise_date(ctx, problem.span, value)
            yield Finding(problem.span, problem.message, fix)


@cache
def _months() -> dict[str, int]:
    """Each month's name and abbreviation, casefolded, with its number."""
    import calendar

    return {
        name.casefold(): number
        for number in range(1, 13)
        for name in (calendar.month_name[number], calendar.month_abbr[number])
    } | {"sept": 9}


YEAR_FIRST = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
YEAR_LAST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})")
MONTH_DAY = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


def _day(year: str, month: str | int | None, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day)) if month is not None else None
    except ValueError:
        return None


def parse_loose_date(text: str) -> date | None:
    """The one day a date written another way means, or None when it is not one day."""
    text = text.strip()
    if match := YEAR_FIRST.fullmatch(text):
        return _day(match[1], match[3], match[4])
    if match := YEAR_LAST.fullmatch(text):
        readings = {_day(match[4], match[3], match[1]), _day(match[4], match[1], match[3])}
        readings.discard(None)
        return readings.pop() if len(readings) == 1 else None
    if match := DAY_MONTH.fullmatch(text):
        return _day(match[3], _months().get(match[2].casefold()), match[1])
    if match := MONTH_DAY.fullmatch(text):
        return _day(match[3], _months().get(match[1].casefold()), match[2])
    return None


def _normalise_date(ctx: FileContext, span: Span, value: str) -> Fix | None:
    from guidelint.core.fixes import Edit, Fix, requote, written

    day = parse_loose_date(value)
    old = written(ctx.document.text, span)
    if day is None or old is None or span.line != span.end_line:
        return None
    if old != value and old[1:-1] != value:
        return None  # written with escapes or over several lines
    new = day.isoformat()
    return Fix.safe(f"write {value} as {new}", Edit.replace(span, requote(old, new)))


@file_rule(codes.EMPTY_VALUE, "empty-value")
def empty_value(ctx: FileContext) -> Iterator[Finding]:
    """
    A text value or a list is empty.

    ## What it does
    Reports empty or blank text (`title: ""`) and an empty `conditions` list.

    ## Why is this bad?
    An empty value looks filled in to tools but tells a reader nothing.

    ## Example
    ```yaml
    short_title: ""
    ```

    Use instead: fill the value in, or remove an optional key.
    """
    return _problems(ctx, codes.EMPTY_VALUE)


@file_rule(codes.DUPLICATE_LIST_ITEM, "duplicate-list-item", fix="safe")
def duplicate_list_item(ctx: FileContext) -> Iterator[Finding]:
    """
    A list repeats an entry.

    ## What it does
    Reports the repeated item in `conditions` or `tags`, naming the item it repeats.

    Fix (safe): deletes the line of the repeat, when it is a `- item` line of its own without
    a comment or an anchor (`&name`, which an alias may refer to), and it is the same text as
    the item it repeats, or written the same way (`1.10` and `1.1` are the same number to YAML,
    so neither is removed).

    ## Why is this bad?
    Repeats inflate search results and usually mean a copy-and-paste slip.

    ## Example
    ```yaml
    tags:
      - ALS
      - ALS
    ```

    Use instead: keep one `ALS`.
    """
    lines: list[str] = []  # split when a repeat is found: most files have none
    for problem in ctx.schema_problems:
        if problem.code == codes.DUPLICATE_LIST_ITEM:
            fix = None
            if problem.key and _repeats_as_written(ctx, str(problem.key), problem.span):
                lines = lines or ctx.document.text.split("\n")
                fix = _drop_item(lines, problem.span)
            yield Finding(problem.span, problem.message, fix)


def _repeats_as_written(ctx: FileContext, key: str, span: Span) -> bool:
    """Whether the item at `span` repeats an earlier one as written, not only as YAML reads it.

    `1.10` and `1.1` are both the number 1.1 to YAML; removing either loses what was written.
    Text is text however it is quoted, so `ALS` and `"ALS"` are the same item.
    """
    from guidelint.core.fixes import written

    items = ctx.meta.get(key)
    if not isinstance(items, list):
        return False
    spans = [ctx.parsed.spans.get((key, index)) for index in range(len(items))]
    where = [located.value if located else None for located in spans]
    if span not in where:
        return False
    index = where.index(span)
    repeat, text = items[index], written(ctx.document.text, span)
    for earlier, earlier_span in zip(items[:index], where[:index], strict=True):
        if earlier != repeat:
            continue
        if isinstance(repeat, str) and isinstance(earlier, str):
            return True
        if text is not None and earlier_span and written(ctx.document.text, earlier_span) == text:
            return True
    return False


def _drop_item(lines: list[str], span: Span) -> Fix | None:
    from guidelint.core.fixes import Edit, Fix

    if span.line != span.end_line or span.line >= len(lines):
        return None
    line = lines[span.line - 1]
    before, after = line[: span.column - 1], line[span.end_column - 1 :]
    if not re.fullmatch(r"\s*-\s+", before) or after.strip():
        return None  # a flow list, an item sharing its line, or a comment to keep
    item = line[span.column - 1 : span.end_column - 1]
    if ANCHOR.match(item):
        return None  # an alias (*name) elsewhere may refer to it
    return Fix.safe(f"remove the repeated item {item}", Edit.delete(span.line, 1, span.line + 1, 1))


@file_rule(codes.KEY_ORDER, "key-order", Severity.WARNING, fix="safe", default=False)
def key_order(ctx: FileContext) -> Iterator[Finding]:
    """
    The metadata keys are not in the usual order (opt-in: select GL108 to check it).

    ## What it does
    Compares the order of the top-level keys with the order of the seed guideline and the
    schema: id, title, short_title, organization, country, url, specialty, guideline_type,
    evidence_system, conditions, tags, publication_date, previous_version_date, status,
    supersedes, superseded_by, pdf_path, has_pdf, last_reviewed. Unknown keys go last. Off
    by default; turn it on with `--select GL108` or `extend-select = ["GL108"]`.

    Fix (safe): moves each key, with its value and the comment lines just above it, into that
    order. Nothing else changes; front matter that is not plain `key: value` lines at the
    start of each line is left alone.

    ## Why is this bad?
    The same order in every file makes metadata quick to read and changes easy to review.

    ## Example
    ```yaml
    status: current
    id: aan-als-2024
    ```

    Use instead:
    ```yaml
    id: aan-als-2024
    status: current
    ```
    """
    if ctx.parsed.diagnostics or not ctx.meta:
        return
    order = _key_order()
    actual = list(ctx.meta)  # in the order written: YAML mappings keep it
    wanted = sorted(actual, key=lambda key: order.get(key, len(order)))
    if actual == wanted:
        return
    top = {path[0]: located for path, located in ctx.parsed.spans.items() if len(path) == 1}
    first = next(i for i, (a, w) in enumerate(zip(actual, wanted, strict=True)) if a != w)
    span = top[actual[first]].key or ctx.front_matter_span
    yield Finding(
        span,
        f"key '{wanted[first]}' usually comes before '{actual[first]}'; keep the keys in the "
        "usual order (id, title, and so on to last_reviewed)",
        _reorder(ctx, actual, wanted, top),
    )


@cache
def _key_order() -> dict[str, int]:
    from guidelint.checks.validation import known_keys

    return {key: index for index, key in enumerate(known_keys())}


def _reorder(
    ctx: FileContext, actual: list[str], wanted: list[str], top: dict[str | int, Located]
) -> Fix | None:
    from guidelint.core.fixes import Edit, Fix

    spans = [top[key].key for key in actual]
    key_lines = [span.line for span in spans if span is not None and span.column == 1]
    if len(set(key_lines)) != len(actual):
        return None  # a key not at the start of its own line: not plain `key: value` lines
    document = ctx.document
    lines = document.text.split("\n")
    first, close = document.front_matter_first_line, document.body_first_line - 1
    starts = []
    for index, line in enumerate(key_lines):
        # Comment lines right above a key (no blank line between) belong to it.
        floor = key_lines[index - 1] + 1 if index else first
        start = line
        while start - 1 >= floor and lines[start - 2].startswith("#"):
            start -= 1
        starts.append(start)
    blocks = {
        key: lines[start - 1 : end - 1]
        for key, start, end in zip(actual, starts, [*starts[1:], close], strict=True)
    }
    new = lines[first - 1 : starts[0] - 1] + [line for key in wanted for line in blocks[key]]
    text = "".join(line + "\n" for line in new)
    return Fix.safe("put the keys in the usual order", Edit(first, 1, close, 1, text))


RULES: list[Rule] = [
    schema_violation,
    missing_required_key,
    unknown_key,
    wrong_type,
    unknown_vocabulary_value,
    invalid_format,
    empty_value,
    duplicate_list_item,
    key_order,
]
