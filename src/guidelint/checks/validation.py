"""JSON Schema validation of the front matter, and the one place its errors are converted.

`schema/guideline.schema.json` (Draft 2020-12) is the single source of truth for the shape of
the metadata. Two validators read it, and agree by construction:

* jsonschema-rs decides whether a document is valid. It is about a thousand times faster than
  jsonschema in Python, and almost every document in a corpus is valid.
* jsonschema explains an invalid document: its errors carry the schema context (which branch of
  an anyOf failed, what a oneOf allows) that the messages below are made from. Its `pattern`
  keyword and its format checks are delegated to jsonschema-rs, so that both use ECMA-262
  regular expressions, as JSON Schema specifies (Python's `re` reads `\\s` and `$` otherwise).

Each error becomes a `SchemaProblem` with a rule code, the span of the offending key or value,
and a message in plain words.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from guidelint.core import codes
from guidelint.core.settings import Vocabulary
from guidelint.core.span import Span
from guidelint.core.suggest import closest, did_you_mean
from guidelint.readers.yamlpos import JsonPath, ParsedYaml

if TYPE_CHECKING:  # jsonschema is imported only when a document is invalid
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


def schema_text() -> str:
    """The packaged schema's text, read beside this package's modules; importlib.resources,
    which also finds it inside a zip file, is imported only when that fails, since its imports
    would weigh on every run."""
    try:
        return (Path(__file__).parent.parent / SCHEMA_FILE).read_text("utf-8")
    except OSError:  # pragma: no cover - an installation from a zip file
        from importlib import resources

        return resources.files("guidelint").joinpath(SCHEMA_FILE).read_text("utf-8")


SCHEMA_FILE = "schema/guideline.schema.json"


FRONT_MATTER_SPAN = Span(1, 1, 1, 4)
TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "boolean": "true or false",
    "null": "null",
    "object": "a mapping",
    "integer": "a whole number",
    "number": "a number",
}


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    code: str
    key: str | None  # top-level key the problem is about, if any
    span: Span
    message: str


@cache
def load_schema(extra: Vocabulary = ()) -> dict[str, Any]:
    """The schema, with the configured extra values added to its vocabularies."""
    schema: dict[str, Any] = json.loads(schema_text())
    for name, values in extra:
        branches: list[dict[str, Any]] = schema["$defs"][name]["oneOf"]
        known = {branch["const"] for branch in branches}
        for value in dict.fromkeys(values):  # once each: a value in two branches fails oneOf
            if value not in known:
                branches.append(
                    {"const": value, "description": "Added by the guidelint configuration."}
                )
    return schema


@cache
def fast_validator(extra: Vocabulary = ()) -> jsonschema_rs.Validator:
    """The validator that decides: is this document valid?"""
    return jsonschema_rs.Draft202012Validator(load_schema(extra), validate_formats=True)


@cache
def _ecma_matcher(pattern: str) -> Callable[[str], bool]:
    return jsonschema_rs.Draft202012Validator({"pattern": pattern}).is_valid


@cache
def _format_matcher(name: str) -> Callable[[object], bool]:
    return jsonschema_rs.Draft202012Validator({"format": name}, validate_formats=True).is_valid


def _formats_in(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["format"]} if isinstance(schema.get("format"), str) else set()
        return found.union(*(_formats_in(value) for value in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_formats_in(item) for item in schema))
    return set()


@cache
def validator(extra: Vocabulary = ()) -> Draft202012Validator:
    """The validator that explains: jsonschema, with patterns and formats read as jsonschema-rs
    reads them."""
    from jsonschema import Draft202012Validator, FormatChecker, validators
    from jsonschema.exceptions import ValidationError

    schema = load_schema(extra)
    Draft202012Validator.check_schema(schema)

    def ecma_pattern(
        _validator: object, pattern: str, instance: object, _schema: object
    ) -> Iterator[ValidationError]:
        if isinstance(instance, str) and not _ecma_matcher(pattern)(instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    checker = FormatChecker(formats=())
    for name in _formats_in(schema):
        checker.checks(name)(_format_matcher(name))

    def unique_items(
        validator: Any, unique: bool, instance: object, _schema: object
    ) -> Iterator[ValidationError]:
        # jsonschema compares every pair of items, which a list of thousands of tags makes slow.
        if unique and validator.is_type(instance, "array") and not _all_distinct(instance):
            yield ValidationError(f"{instance!r} has non-unique elements")

    explaining = validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"pattern": ecma_pattern, "uniqueItems": unique_items}
    )
    return explaining(schema, format_checker=checker)  # type: ignore[no-any-return]


def _all_distinct(items: Any) -> bool:
    """uniqueItems in linear time: JSON equality, where 1 == 1.0 but true != 1."""
    keys = [_equality_key(item) for item in items]
    return len(set(keys)) == len(keys)


def _equality_key(value: object) -> object:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", value)  # 1 == 1.0 and hash(1) == hash(1.0)
    if isinstance(value, list):
        return ("array", tuple(_equality_key(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((k, _equality_key(v)) for k, v in value.items()))
    return ("other", repr(value))


def property_schema(schema: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The schema of a top-level metadata key; None for a key the schema does not know."""
    found = schema.get("properties", {}).get(key)
    return found if isinstance(found, dict) else None


def vocabulary(schema: dict[str, Any], key: str) -> list[tuple[str, str]]:
    """The values a key's vocabulary lists, with their descriptions; none for free text."""
    prop = property_schema(schema, key)
    if prop is None:
        return []
    refs = [prop.get("$ref")] + [branch.get("$ref") for branch in prop.get("anyOf", [])]
    for ref in refs:
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            branches = schema.get("$defs", {}).get(ref.rsplit("/", 1)[1], {}).get("oneOf", [])
            values = [(b["const"], b.get("description", "")) for b in branches if "const" in b]
            if values:
                return values
    return []


def known_keys() -> list[str]:
    return list(load_schema()["properties"])


def check_schema(
    meta: dict[str, Any], parsed: ParsedYaml, extra: Vocabulary = ()
) -> list[SchemaProblem]:
    if parsed.data is None:
        return []
    try:
        if fast_validator(extra).is_valid(meta):
            return []
    except (ValueError, TypeError, OverflowError):
        pass  # a value jsonschema-rs cannot take in (a huge integer, say): explain it below
    problems: list[SchemaProblem] = []
    seen_paths: set[JsonPath] = set()
    errors = sorted(validator(extra).iter_errors(meta), key=_error_order)
    for error in errors:
        path = tuple(error.absolute_path)
        if any(path[: len(r)] == r for r in parsed.reported):
            continue  # already reported while reading the YAML (an unsupported tag, say)
        if path and path in seen_paths:
            continue  # one problem per value: the first (type errors sort first) says enough
        converted = list(_convert(error, parsed))
        if converted and path:
            seen_paths.add(path)
        problems.extend(converted)
    if not errors:
        problems = list(_unexplained(meta, parsed, extra))
    return _fold_misspelled_required(list(dict.fromkeys(problems)))


def _unexplained(
    meta: dict[str, Any], parsed: ParsedYaml, extra: Vocabulary
) -> Iterator[SchemaProblem]:
    """jsonschema-rs's own errors, should jsonschema ever find none where it found some.

    The two share their patterns and formats, so this is a safety net: the deciding validator's
    verdict is never dropped for want of an explanation.
    """
    try:
        errors = list(fast_validator(extra).iter_errors(meta))
    except (ValueError, TypeError, OverflowError):
        return
    for error in errors:
        path: JsonPath = tuple(error.instance_path)
        if any(path[: len(r)] == r for r in parsed.reported):
            continue
        key = str(path[0]) if path else None
        yield SchemaProblem(
            codes.SCHEMA_VIOLATION,
            key,
            _value_span(parsed, path),
            f"{_name(path)}: {error.message}",
        )


def _fold_misspelled_required(problems: list[SchemaProblem]) -> list[SchemaProblem]:
    """`Status:` is reported once, as an unknown key that means `status`, not also as missing."""
    meant = {
        closest(p.key, known_keys())
        for p in problems
        if p.code == codes.UNKNOWN_KEY and p.key is not None
    }
    return [p for p in problems if not (p.code == codes.MISSING_REQUIRED_KEY and p.key in meant)]


def _error_order(error: ValidationError) -> tuple[int, list[str]]:
    first = 0 if error.validator == "type" else 1
    return first, [str(part) for part in error.absolute_path]


def _value_span(parsed: ParsedYaml, path: JsonPath) -> Span:
    located = parsed.spans.get(path)
    return located.value if located else FRONT_MATTER_SPAN


def _key_span(parsed: ParsedYaml, path: JsonPath) -> Span:
    located = parsed.spans.get(path)
    return located.key if located and located.key else _value_span(parsed, path)


def _name(path: JsonPath) -> str:
    """How a value is named in messages: `title`, `conditions item 2`."""
    if not path:
        return "front matter"
    head = str(path[0])
    rest = "".join(
        f" item {part + 1}" if isinstance(part, int) else f".{part}" for part in path[1:]
    )
    return head + rest


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


def _resolve_local(schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a `#/$defs/...` reference; the schema has no other kind."""
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
        return schema
    resolved: dict[str, Any] = load_schema()["$defs"][ref.removeprefix("#/$defs/")]
    return resolved


def _describe_branches(schema: dict[str, Any]) -> str:
    """What a property accepts, from its schema, in plain words."""
    resolved = _resolve_local(schema)
    description = resolved.get("description")
    kinds = [b for b in schema.get("anyOf", []) if b != {"type": "null"}]
    nullable = len(kinds) < len(schema.get("anyOf", []))
    if kinds:
        words = " or ".join(_describe_branches(kind) for kind in kinds)
    elif "$defs/isoDate" in schema.get("$ref", ""):
        words = "a date written YYYY-MM-DD"
    elif "$defs/slug" in schema.get("$ref", ""):
        words = "a lowercase id such as aan-als-2024"
    elif "$defs/idList" in schema.get("$ref", ""):
        words = "a list of ids"
    else:
        kind = resolved.get("type")
        words = TYPE_WORDS.get(kind, str(kind)) if isinstance(kind, str) else str(description)
    return words + (", or null" if nullable else "")


def _property_schema(path: JsonPath) -> dict[str, Any]:
    properties: dict[str, Any] = load_schema()["properties"]
    if path and isinstance(path[0], str) and path[0] in properties:
        schema: dict[str, Any] = properties[path[0]]
        if len(path) == 2 and "items" in schema:
            items: dict[str, Any] = schema["items"]
            return items
        return schema
    return {}


def _convert(error: ValidationError, parsed: ParsedYaml) -> Iterator[SchemaProblem]:
    path: JsonPath = tuple(error.absolute_path)
    key = str(path[0]) if path else None
    name = _name(path)
    validator_name = error.validator
    instance: Any = error.instance
    rule_value: Any = error.validator_value
    span = _value_span(parsed, path)

    if validator_name == "required":
        # jsonschema makes one error per missing key; duplicates are folded in check_schema.
        for missing in [k for k in rule_value if k not in instance]:
            yield SchemaProblem(
                codes.MISSING_REQUIRED_KEY,
                missing,
                FRONT_MATTER_SPAN,
                f"required key '{missing}' is missing; add it",
            )
    elif validator_name == "additionalProperties":
        allowed = known_keys()
        for extra in sorted(set(instance) - set(allowed)):
            hint = did_you_mean(extra, allowed)
            yield SchemaProblem(
                codes.UNKNOWN_KEY,
                extra,
                _key_span(parsed, (*path, extra)),
                f"unknown key '{extra}'{hint}; guideline metadata has no such key",
            )
    elif validator_name == "type" or (
        validator_name in ("anyOf", "oneOf") and _is_type_mismatch(error)
    ):
        yield SchemaProblem(codes.WRONG_TYPE, key, span, _type_message(error, parsed, path, name))
    elif validator_name == "oneOf" and all("const" in b for b in rule_value):
        allowed = [b["const"] for b in rule_value]
        hint = did_you_mean(str(instance), allowed)
        yield SchemaProblem(
            codes.UNKNOWN_VOCABULARY_VALUE,
            key,
            span,
            f"{name} {_show(error.instance)} is not a known value{hint}; use one of: "
            + ", ".join(allowed),
        )
    elif validator_name in ("minLength", "minItems") or (
        validator_name == "pattern" and error.validator_value == "\\S"
    ):
        yield SchemaProblem(
            codes.EMPTY_VALUE, key, span, f"{name} is empty; fill it in or remove the key"
        )
    elif validator_name == "uniqueItems":
        yield _duplicate_item(error, parsed, path, key, name)
    elif validator_name in ("pattern", "format"):
        yield SchemaProblem(
            codes.INVALID_FORMAT, key, span, _format_message(path, name, error.instance)
        )
    elif validator_name in ("anyOf", "oneOf") and error.context:
        # A nullable value that is not null: report what the non-null branch says; with
        # several branches (an id or a list of ids), the one of the value's own type.
        subs = [s for s in error.context if s.validator != "type" or s.validator_value != "null"]
        subs.sort(key=lambda sub: sub.validator == "type")
        if subs:
            yield from _convert(subs[0], parsed)
            return
    else:
        yield SchemaProblem(codes.SCHEMA_VIOLATION, key, span, f"{name}: {error.message}")


def _duplicate_item(
    error: ValidationError, parsed: ParsedYaml, path: JsonPath, key: str | None, name: str
) -> SchemaProblem:
    first_index: dict[str, int] = {}
    items: Any = error.instance
    for index, item in enumerate(items):
        marker = json.dumps(item, sort_keys=True)
        if marker in first_index:
            return SchemaProblem(
                codes.DUPLICATE_LIST_ITEM,
                key,
                _value_span(parsed, (*path, index)),
                f"{name} item {index + 1} {_show(item)} repeats item {first_index[marker] + 1}; "
                "remove the repeat",
            )
        first_index[marker] = index
    return SchemaProblem(
        codes.DUPLICATE_LIST_ITEM, key, _value_span(parsed, path), f"{name} has repeated items"
    )


def _is_type_mismatch(error: ValidationError) -> bool:
    """A nullable anyOf whose every branch failed on type alone."""
    return bool(error.context) and all(sub.validator == "type" for sub in error.context)


def _type_message(error: ValidationError, parsed: ParsedYaml, path: JsonPath, name: str) -> str:
    expected = _describe_branches(_property_schema(path)) if path else "a mapping"
    raw = parsed.plain_scalars.get(path)
    if raw is not None and expected.startswith("text"):
        # YAML 1.1 read an unquoted word or number as something else: quoting keeps the text.
        instance = error.instance
        if isinstance(instance, bool):
            read_as = f"the yes/no value {_show(instance)}"
        elif instance is None:
            read_as = "empty (null)"
        else:
            read_as = "a number"
        lead = f"{path[-1]}: " if isinstance(path[-1], str) else "- "
        return (
            f"{name} must be text, but YAML reads {raw} as {read_as}; "
            f'put it in quotes: {lead}"{raw}"'
        )
    return f"{name} must be {expected}, not {_show(error.instance)}"


def _format_message(path: JsonPath, name: str, value: Any) -> str:
    ref = str(_property_schema(path).get("$ref", "")) + str(_property_schema(path).get("anyOf", ""))
    if "isoDate" in ref:
        return f"{name} {_show(value)} is not a date written YYYY-MM-DD, such as 2024-06-01"
    if "slug" in ref and "uri" in ref:
        return (
            f"{name} {_show(value)} is neither an id (lowercase letters, digits and single "
            "hyphens, such as aan-als-2024) nor a web address written https://..."
        )
    if "slug" in ref:
        return (
            f"{name} {_show(value)} is not a valid id: use lowercase letters, digits and single "
            "hyphens, such as aan-als-2024"
        )
    if path and path[0] == "url":
        return f"{name} {_show(value)} is not a web address; write it as https://..."
    return f"{name} {_show(value)} does not have the required form"
