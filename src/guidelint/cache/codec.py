"""A file's per-file results as JSON values, and back; anything of another shape raises."""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from guidelint.core.corpus_index import LINEAGE_KEYS, Entry
from guidelint.core.diagnostic import Diagnostic, Severity
from guidelint.core.span import Span
from guidelint.engine.store import Links

if TYPE_CHECKING:
    from guidelint.core.fixes import Edit
    from guidelint.readers.suppression_comments import Suppressions


# 2: diagnostics keep their fixes, so a warm cache never hides one from --fix
# 3: a line per file, its fields parsed when used
# 4: sealed with the user's secret key; the key covers guidelint's code
# 5: entries hold lists of linked ids (supersedes, superseded_by, amends, amended_by)
FORMAT = 5


def _span(span: Span) -> list[int]:
    return [span.line, span.column, span.end_line, span.end_column]


def _unspan(raw: list[int]) -> Span:
    line, column, end_line, end_column = raw
    if not (type(line) is type(column) is type(end_line) is type(end_column) is int):
        raise TypeError(raw)
    return Span(line, column, end_line, end_column)


def encode(
    diagnostics: list[Diagnostic], entry: Entry | None, suppressions: Suppressions
) -> dict[str, Any]:
    return {
        # Paths are not stored: they depend on the working folder, and are filled in when read.
        "d": [
            [d.line, d.column, d.end_line, d.end_column, d.code, d.severity.value, d.message]
            for d in diagnostics
        ],
        "e": None if entry is None else ENTRIES.encode(entry),
        "s": [[s.line, list(s.codes), _span(s.span), s.written] for s in suppressions.items],
        "f": encode_fixes(diagnostics),
    }


def encode_fixes(diagnostics: list[Diagnostic]) -> list[list[Any]]:
    """[index of the diagnostic, applicability, description, edits, values, path] per fix."""
    return [
        [
            index,
            d.fix.applicability,
            d.fix.description,
            [[e.line, e.column, e.end_line, e.end_column, e.text] for e in d.fix.edits],
            [list(pair) for pair in d.fix.values],
            d.fix.path,
        ]
        for index, d in enumerate(diagnostics)
        if d.fix is not None
    ]


def decode_fixes(raw: list[list[Any]], diagnostics: list[Diagnostic]) -> None:
    """Put the stored fixes back on their diagnostics; raises on any other shape."""
    from dataclasses import replace

    from guidelint.core.fixes import Fix

    for index, applicability, description, edits, values, path in raw:
        if applicability not in ("safe", "unsafe") or type(index) is not int or index < 0:
            raise ValueError(applicability)
        fix = Fix(
            applicability,
            _text(description),
            tuple(
                _edit(line, column, end_line, end_column, text)
                for line, column, end_line, end_column, text in edits
            ),
            tuple((_text(key), _text(value)) for key, value in values),
            _optional_text(path),
        )
        diagnostics[index] = replace(diagnostics[index], fix=fix)


def _edit(line: Any, column: Any, end_line: Any, end_column: Any, text: Any) -> Edit:
    from guidelint.core.fixes import Edit

    span = _unspan([line, column, end_line, end_column])
    return Edit(span.line, span.column, span.end_line, span.end_column, _text(text))


# Values every entry repeats, kept once: a corpus of 100,000 files would otherwise hold
# 700,000 copies of a few short words.
_SHARED: dict[str, str] = {
    word: word for word in (*LINEAGE_KEYS, "current", "superseded", "withdrawn", "draft")
}


def _shared_text(value: Any) -> str | None:
    text = _optional_text(value)
    return _SHARED.get(text, text) if text is not None else None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _links(raw: Any) -> Links | None:
    """Links as stored: null for a file without an id, else [id, [every id it names]]."""
    if raw is None:
        return None
    guideline_id, names = raw
    return _text(guideline_id), _texts(names)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _optional_date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(_text(value))


def decode(
    payload: dict[str, Any], path: str
) -> tuple[list[Diagnostic], Entry | None, Suppressions]:
    diagnostics = _decode_diagnostics(payload["d"], path)
    if payload["f"]:
        decode_fixes(payload["f"], diagnostics)
    return diagnostics, ENTRIES.decode(payload["e"], path), _decode_suppressions(payload["s"])


def _decode_diagnostics(raw: list[Any], path: str) -> list[Diagnostic]:
    return [
        Diagnostic(
            path,
            int(line),
            int(column),
            int(end_line),
            int(end_column),
            _text(code),
            Severity(severity),
            _text(message),
        )
        for line, column, end_line, end_column, code, severity, message in raw
    ]


def _decode_suppressions(raw: list[Any]) -> Suppressions:
    # Here: the last run's answer, given again, needs no suppression comments.
    from guidelint.readers.suppression_comments import Suppression, Suppressions

    return Suppressions(
        [
            Suppression(int(line), tuple(_text(c) for c in codes), _unspan(span), _text(written))
            for line, codes, span, written in raw
        ]
    )


# Entries --------------------------------------------------------------------------------------
# An entry is stored as the list of its fields but the path, in the order Entry declares them;
# each field is written and read by its declared type. A new field of one of these types needs
# no edit here, and changes the cache key with the code (see key.code_digest).
def _texts(raw: Any) -> tuple[str, ...]:
    "".join(raw)  # raises TypeError unless every item is text; join runs at C speed
    if not isinstance(raw, list):
        raise TypeError(raw)
    return tuple(_SHARED.get(item) or item for item in raw)


def _whole_numbers(raw: Any) -> tuple[int, ...]:
    return tuple(array("q", raw))  # raises TypeError unless all are whole


def _iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _as_list(value: tuple[object, ...]) -> list[object]:
    return list(value)


def _same(value: object) -> object:
    return value


# declared type -> (to JSON, from JSON)
_BY_TYPE: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "str": (_same, _text),
    "str | None": (_same, _shared_text),
    "date | None": (_iso_date, _optional_date),
    "tuple[str, ...]": (_as_list, _texts),
    "tuple[int, ...]": (_as_list, _whole_numbers),
}

AnyEntry = TypeVar("AnyEntry", bound=Entry)


class EntryCodec(Generic[AnyEntry]):
    """An Entry (or a subclass) as a JSON list and back, read off the dataclass's fields."""

    def __init__(self, kind: type[AnyEntry]) -> None:
        self.kind = kind
        stored = [field for field in fields(kind) if field.name != "path"]
        for field in stored:
            if str(field.type) not in _BY_TYPE:
                raise TypeError(f"no cache codec for {kind.__name__}.{field.name}: {field.type}")
        self.names = tuple(field.name for field in stored)
        self.encoders = tuple(_BY_TYPE[str(field.type)][0] for field in stored)
        self.decoders = tuple(_BY_TYPE[str(field.type)][1] for field in stored)

    def encode(self, entry: AnyEntry) -> list[Any]:
        return [
            encode(getattr(entry, name))
            for encode, name in zip(self.encoders, self.names, strict=True)
        ]

    def decode(self, raw: Any, path: str) -> AnyEntry | None:
        """The entry stored as `raw`; raises TypeError or ValueError on any other shape."""
        if raw is None:
            return None
        values = [decode(value) for decode, value in zip(self.decoders, raw, strict=True)]
        entry = self.kind(path, *values)
        if "id" not in entry.span_keys or len(entry.span_numbers) != 4 * len(entry.span_keys):
            raise ValueError(raw)
        return entry


ENTRIES = EntryCodec(Entry)
