"""The results cache: `.guidelint_cache/`, so that a rerun only checks what changed.

One file per combination of guidelint version, schema, settings and limits (the key is a hash
of all of them), holding a line for each file: its size, mtime and content hash with the file's
per-file results: diagnostics for every rule, the corpus index entry and the suppression
comments. A file whose size and mtime are unchanged is taken as unchanged (as make and ruff
do); when they changed, the content hash decides, so a checkout or `touch` costs a read, not a
check. Text and JSON, not pickle: a cache is data from the working folder, and reading it must
never run code. Anything unreadable, of another shape or another key is ignored, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidelint import __version__
from guidelint.corpus import LINEAGE_KEYS, Entry
from guidelint.diagnostic import Diagnostic, Severity, Span
from guidelint.document import open_regular, read_bounded
from guidelint.limits import Limits
from guidelint.suppress import Suppression, Suppressions

if TYPE_CHECKING:
    from guidelint.context import Settings
    from guidelint.fix import Edit

CACHE_DIR_NAME = ".guidelint_cache"
PRUNE_AFTER_SECONDS = 2 * 24 * 3600
# 2: diagnostics keep their fixes, so a warm cache never hides one from --fix
# 3: a line per file, its fields parsed when used
FORMAT = 3
FIELDS = 7  # size, mtime_ns, content hash, links, entry, suppressions, results
# A file's id, and the ids it names in `supersedes` and `superseded_by`.
Links = tuple[str, str | None, str | None]
# A links field as written by row(): null, or [id, supersedes, superseded_by] as JSON.
_JSON_TEXT = r'"[^"\\\x00-\x1f]*(?:\\.[^"\\\x00-\x1f]*)*"'  # one string, escapes and all
LINKS_TEXT = re.compile(rf"null|\[{_JSON_TEXT},(?:{_JSON_TEXT}|null),(?:{_JSON_TEXT}|null)\]")
# The size and mtime a file had when its results were made, when known (Cache.seen_stat).
Seen = Callable[[Path], tuple[int, int] | None]


def schema_text() -> str:
    """The packaged schema's text, read beside this module: importlib.resources, which also
    finds it inside a zip file, costs a run answered from the cache 5 ms of imports."""
    try:
        return (Path(__file__).parent / SCHEMA_FILE).read_text("utf-8")
    except OSError:  # pragma: no cover - an installation from a zip file
        from importlib import resources

        return resources.files("guidelint").joinpath(SCHEMA_FILE).read_text("utf-8")


SCHEMA_FILE = "schema/guideline.schema.json"


def cache_key(settings: Settings, limits: Limits, opt_in: Iterable[str] = ()) -> str:
    """The key of results checked with these settings, limits and opt-in rules."""
    # The schema file's text, not the parsed schema: importing jsonschema here would cost a
    # warm run more than the rest of it. Extra vocabulary values are part of the settings.
    schema = schema_text()
    material = json.dumps(
        [FORMAT, __version__, schema, repr(settings), repr(limits), sorted(opt_in)],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Stat:
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Stat | None:
        """None for what is not a regular file: a FIFO or device must never be opened here."""
        found = regular_stat(path)
        return None if found is None else cls(*found)


def regular_stat(path: Path | str) -> tuple[int, int] | None:
    """A regular file's size and mtime; None for anything else, or a name that cannot be read.

    Tuples, not Stat: the cache and the last-run record ask this of every file of the corpus.
    """
    try:
        info = os.stat(path)  # noqa: PTH116 - no Path.stat frames
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns) if stat.S_ISREG(info.st_mode) else None


class Cache:
    """One file per key: a header line, then a line per checked file.

    A line is `path, size, mtime_ns, content hash, links, entry, suppressions, results`,
    separated by tabs; the last four are JSON texts (which never contain a tab or a line
    break). Lines are split only when their file is asked for, and a file read for the lineage
    pass needs its links alone, unless its lineage is checked: a pre-commit run reads ten
    thousand of them to check one file.
    """

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.file = self.named(folder, key)
        self.header = f"guidelint cache {key}"
        # absolute path -> the rest of its line (see FIELDS)
        self.rows: dict[str, str] = {}
        # Lines changed or added by this run, by key: appended to the file when it holds few
        # lines besides (see save).
        self.changed_rows: dict[str, str] = {}
        self.lines_read = -1  # lines in the file as loaded; -1 when there was none to trust
        # The size and mtime of each file this run found unchanged or stored, by its name:
        # what its results were made from, and what the last-run record is to remember.
        self.seen: dict[str, tuple[int, int]] = {}
        # The working folder does not change during a run; abspath would ask for it each time.
        self._cwd = os.getcwd().rstrip(os.sep) + os.sep  # noqa: PTH109

    def _key(self, path: Path) -> str:
        """The absolute path a file is stored under."""
        text = os.fspath(path)
        if not text.startswith(os.sep) and ".." not in text and not text.startswith("."):
            return self._cwd + text  # already normalised by pathlib: what abspath would give
        if ".." in Path(text).parts:
            # abspath would collapse 'link/..' by name, onto another file than the one read.
            return os.path.realpath(text)
        return os.path.abspath(text)  # noqa: PTH100

    @staticmethod
    def named(folder: Path, key: str) -> Path:
        return folder / f"{key}.cache"

    @classmethod
    def on_record(cls, folder: Path, key: str) -> bool:
        """Whether results with this key are on record (for some files, maybe not these)."""
        return cls.named(folder, key).is_file()

    @classmethod
    def load(cls, folder: Path, key: str) -> Cache:
        cache = cls(folder, key)
        try:
            handle = open_regular(cache.file)  # never waiting on a FIFO put in its place
        except OSError:
            return cache  # absent, or not a file: start afresh
        # Line by line: a corpus of 100,000 files has a cache of 40 MB, which must not be
        # held three times over (bytes, text, lines). surrogateescape: a file name that is
        # not UTF-8 comes back as it was stored.
        with open(handle, encoding="utf-8", errors="surrogateescape", newline="\n") as stream:  # noqa: PTH123
            try:
                if stream.readline().removesuffix("\n") != cache.header:
                    return cache  # another key, format or a damaged file: not ours to trust
                lines = 0
                for line in stream:
                    lines += 1
                    # A later line for the same file replaces an earlier one (see save).
                    path, tab, rest = line.removesuffix("\n").partition("\t")
                    if tab:
                        cache.rows[path] = rest
                cache.lines_read = lines
            except OSError:
                cache.rows = {}
        return cache

    def _fields(self, path: Path) -> list[str]:
        """The stored fields of an unchanged file; raises KeyError otherwise."""
        key = self._key(path)
        fields = self.rows[key].split("\t")
        if len(fields) != FIELDS:
            raise KeyError(path)  # another shape: not ours to trust
        found = regular_stat(path)
        if found is None:
            raise KeyError(path)  # gone, or not a regular file: checked, and reported, as such
        size, mtime_ns = found
        if fields[0] != str(size) or fields[1] != str(mtime_ns):
            try:
                current = digest(path.read_bytes())
            except OSError as exc:
                raise KeyError(path) from exc
            if current != fields[2]:
                raise KeyError(path)
            fields[0], fields[1] = str(size), str(mtime_ns)
            self.rows[key] = self.changed_rows[key] = "\t".join(fields)
        self.seen[os.fspath(path)] = (size, mtime_ns)
        return fields

    def seen_stat(self, path: Path) -> tuple[int, int] | None:
        """The size and mtime a file had when this run found it unchanged, or checked it."""
        return self.seen.get(os.fspath(path))

    def links(self, path: Path) -> Links | None:
        """An unchanged file's id and supersession links, or None when it has no id.

        All a file named by no one needs to tell, unless its lineage is being checked.
        Raises KeyError when the file is not stored or changed.
        """
        try:
            return _links(json.loads(self._fields(path)[3]))
        except (TypeError, ValueError, RecursionError) as exc:
            raise KeyError(path) from exc  # another shape: not ours to trust

    def stored_links(
        self, files: Iterable[tuple[Path, str]]
    ) -> tuple[list[tuple[Path, str, Links | None]], list[tuple[Path, str]]]:
        """`links` of many files: those stored and unchanged, with their links; the others.

        A pre-commit run asks this of every file in the corpus but the one it checks, so the
        common case is made cheap: a stat compared with the line's start, and one JSON parse
        for all the links. A line whose file's mtime moved, or of another shape, goes the
        careful way, through `links`.
        """
        stored: list[tuple[Path, str, Links | None]] = []
        pending: list[int] = []  # the places in `stored` whose links are in `texts`
        texts: list[str] = []
        others: list[tuple[Path, str]] = []
        rows, seen, cwd = self.rows, self.seen, self._cwd
        for file, shown in files:
            name = file.__fspath__()
            # _key's common case inline: this loop's every microsecond is ten milliseconds.
            plain = not name.startswith((os.sep, ".")) and ".." not in name
            key = cwd + name if plain else self._key(file)
            row = rows.get(key)
            if row is None:
                others.append((file, shown))
                continue
            found = regular_stat(name)
            if found is None:
                others.append((file, shown))
                continue
            size, mtime_ns = found
            start = f"{size}\t{mtime_ns}\t"
            if not row.startswith(start):
                try:
                    stored.append((file, shown, self.links(file)))
                except KeyError:
                    others.append((file, shown))
                continue
            links_start = row.find("\t", len(start)) + 1  # after the content hash
            links_end = row.find("\t", links_start)
            text = row[links_start:links_end]
            if not links_start or row.count("\t") != FIELDS - 1 or not LINKS_TEXT.fullmatch(text):
                others.append((file, shown))  # another shape: not ours to trust
                continue
            seen[name] = (size, mtime_ns)
            pending.append(len(stored))
            stored.append((file, shown, None))
            texts.append(text)
        # Each text is one JSON value of the shape links are stored in: joined, they parse to
        # one value each, in order.
        try:
            parsed = json.loads(f"[{','.join(texts)}]")
        except ValueError:  # an escape JSON does not know (\q): the careful way, file by file
            return self._one_by_one(stored, pending, others)
        for place, raw in zip(pending, parsed, strict=True):
            file, shown, _ = stored[place]
            # The shape is LINKS_TEXT's: null, or three strings (or nulls for the last two).
            stored[place] = (file, shown, None if raw is None else (raw[0], raw[1], raw[2]))
        return stored, others

    def _one_by_one(
        self,
        stored: list[tuple[Path, str, Links | None]],
        pending: list[int],
        others: list[tuple[Path, str]],
    ) -> tuple[list[tuple[Path, str, Links | None]], list[tuple[Path, str]]]:
        bad = set()
        for place in pending:
            file, shown, _ = stored[place]
            try:
                stored[place] = (file, shown, self.links(file))
            except KeyError:
                bad.add(place)
                others.append((file, shown))
        return [item for place, item in enumerate(stored) if place not in bad], others

    def get(
        self, path: Path, shown_as: str, diagnostics: bool = True
    ) -> tuple[list[Diagnostic], Entry | None, Suppressions]:
        """The stored results for an unchanged file; raises KeyError otherwise.

        Without `diagnostics`, for a file read only for the lineage pass, its diagnostics are
        left out (and not decoded): its entry and suppression comments are what is needed.
        """
        _, _, _, _, entry, suppressions, results = self._fields(path)
        try:
            found = [] if suppressions == "[]" else json.loads(suppressions)
            if not diagnostics:
                return [], _decode_entry(json.loads(entry), shown_as), _decode_suppressions(found)
            payload = {"e": json.loads(entry), "s": found, **json.loads(results)}
            return decode(payload, shown_as)
        except (KeyError, TypeError, ValueError, IndexError, RecursionError) as exc:
            raise KeyError(path) from exc  # another shape: not ours to trust

    def put(self, path: Path, row: str) -> None:
        """Store a file's line, made by `row()` (in the worker that checked the file)."""
        key = self._key(path)
        if "\t" in key or "\n" in key:
            return  # such a name cannot be a line of its own; the file is checked each time
        self.rows[key] = self.changed_rows[key] = row
        size, mtime_ns, _ = row.split("\t", 2)
        self.seen[os.fspath(path)] = (int(size), int(mtime_ns))

    def save(self) -> None:
        """Write the changed lines; a cache that cannot be written is only a slower next run.

        A few changed lines (a pre-commit run's) are appended, as whole lines in one write,
        and read back over the earlier lines of their files; otherwise, or once the file holds
        a quarter more lines than files, it is written anew, atomically.
        """
        if not self.changed_rows:
            return
        lines = self.lines_read + len(self.changed_rows)
        if self.lines_read >= 0 and lines <= len(self.rows) * 5 // 4 + 16:
            with contextlib.suppress(OSError):
                self._append()
                self._prune()
                return
        import tempfile  # only when something is written: a run answered from the cache is not

        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by guidelint.\n*\n", "utf-8")
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".cache")
            try:
                with open(  # noqa: PTH123 - a descriptor, not a path
                    handle, "w", encoding="utf-8", errors="surrogateescape", newline="\n"
                ) as stream:
                    stream.write(self.header)
                    stream.writelines(f"\n{path}\t{rest}" for path, rest in self.rows.items())
                Path(temporary).replace(self.file)
            except OSError:
                Path(temporary).unlink(missing_ok=True)
            self._prune()

    def _append(self) -> None:
        text = "".join(f"\n{path}\t{rest}" for path, rest in self.changed_rows.items())
        data = text.encode("utf-8", "surrogateescape")
        flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        flags |= getattr(os, "O_BINARY", 0)  # Windows would otherwise write \r\n
        handle = os.open(self.file, flags)
        try:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                raise OSError("the cache is not a regular file")
            written = os.write(handle, data)
            if written != len(data):  # a line cut short reads as damaged: the file is rechecked
                raise OSError("short write")
        finally:
            os.close(handle)

    def _prune(self) -> None:
        """Delete other keys' files (and stray temporary files) unused for two days.

        Each key has its own file, as large as the corpus's results, and keys move on: a new
        guidelint version, new settings, and every day a new date for the date rules.
        """
        cutoff = time.time() - PRUNE_AFTER_SECONDS
        for other in self.folder.iterdir():
            with contextlib.suppress(OSError):
                stale = other.stat().st_mtime < cutoff
                if stale and other.name != ".gitignore" and other != self.file:
                    other.unlink()


# One encoder for every line: json.dumps with options builds a new one on each call.
_to_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def row(
    stat: Stat,
    content_digest: str,
    result: tuple[list[Diagnostic], Entry | None, Suppressions],
) -> str:
    """A checked file's line in the cache, less its path (see Cache and FIELDS)."""
    payload = encode(*result)
    entry = result[1]
    links = None if entry is None else [entry.id, entry.supersedes, entry.superseded_by]
    texts = [_to_json(part) for part in (links, payload.pop("e"), payload.pop("s"), payload)]
    return "\t".join([str(stat.size), str(stat.mtime_ns), content_digest, *texts])


MAX_RECORD_BYTES = 64 * 1024 * 1024  # a last run's answer: diagnostics, not file contents


class LastRun:
    """The last whole run's answer, given again when nothing it read has changed.

    A rerun with nothing changed is the commonest run there is (CI on an unchanged tree, a
    second look after reading the report), and it then needs neither the per-file results nor
    the lineage pass. Its fingerprint is everything the answer depends on: the cache key
    (version, schema, settings, limits, today, opt-in rules), the rules selected, the
    configuration, the working folder, and the name, size and mtime of every file checked, then
    of every file read for the lineage pass. The files checked are compared first, so that a
    run naming one changed file (pre-commit) does not stat the rest of the corpus for nothing.
    """

    def __init__(self, folder: Path, key: str, invocation: str) -> None:
        self.file = folder / f"{key}.last"
        self.invocation = invocation
        self.stored: dict[str, Any] | None = None

    @staticmethod
    def _stats(
        start: str, files: Iterable[tuple[str, Path]], seen: Seen | None = None
    ) -> str | None:
        """A hash of `start` and each file's shown name, size and mtime; None for a non-file.

        `seen` gives the size and mtime a file had when its results were made, where known:
        those are what the record must hold, and asking again would cost a stat a file.
        """
        lines = [start]
        for shown, file in files:
            known = seen(file) if seen is not None else None
            if known is None:
                known = regular_stat(file)
                if known is None:
                    return None
            lines.append(f"{shown}\t{known[0]}\t{known[1]}")
        material = "\n".join(lines).encode("utf-8", "surrogateescape")
        return hashlib.blake2b(material, digest_size=16).hexdigest()

    def fingerprint(
        self,
        checked: Iterable[tuple[str, Path]],
        context: Iterable[tuple[str, Path]],
        seen: Seen | None = None,
    ) -> tuple[str, str] | None:
        first = self._stats(self.invocation, checked, seen)
        if first is None:
            return None
        if self.stored is not None and self.stored.get("checked") != first:
            return first, ""  # already a miss: the rest of the corpus need not be looked at
        rest = self._stats(first, context, seen)
        return None if rest is None else (first, rest)

    def _record(self) -> dict[str, Any] | None:
        """The last run's record as read (once), or None."""
        if self.stored is None:
            try:
                stored = json.loads(read_bounded(self.file, MAX_RECORD_BYTES))
            except (OSError, ValueError, RecursionError):  # RecursionError: [[[[...]]]]
                return None
            self.stored = stored if isinstance(stored, dict) else None
        return self.stored

    def checked_changed(self, checked: Iterable[tuple[str, Path]]) -> bool:
        """Whether the files checked differ from the last run's, in name, size or mtime: then
        its answer will not be given again, whatever the rest of the corpus holds."""
        stored = self._record()
        return stored is None or stored.get("checked") != self._stats(self.invocation, checked)

    def load(
        self, checked: list[tuple[str, Path]], context: list[tuple[str, Path]]
    ) -> tuple[list[Diagnostic], list[str]] | None:
        """The remembered diagnostics and files checked, when nothing changed; else None."""
        try:
            stored = self._record()
            if stored is None:
                return None
            fingerprint = self.fingerprint(checked, context)
            if fingerprint is None or [stored["checked"], stored["context"]] != list(fingerprint):
                return None
            diagnostics = [
                Diagnostic.at(
                    _text(path),
                    _unspan([line, column, end_line, end_column]),
                    _text(code),
                    Severity(severity),
                    _text(message),
                )
                for path, line, column, end_line, end_column, code, severity, message in stored[
                    "diagnostics"
                ]
            ]
            if stored["fixes"]:
                decode_fixes(stored["fixes"], diagnostics)
            paths = [_text(path) for path in stored["paths"]]
        except (OSError, KeyError, TypeError, ValueError, IndexError, RecursionError):
            return None  # absent, damaged or of another shape: not ours to trust
        return diagnostics, paths

    def save(
        self,
        checked: list[tuple[str, Path]],
        context: list[tuple[str, Path]],
        diagnostics: list[Diagnostic],
        paths: list[str],
        seen: Seen | None = None,
    ) -> None:
        self.stored = None  # whatever was read, the fingerprint is taken afresh
        fingerprint = self.fingerprint(checked, context, seen)
        if fingerprint is None:
            return
        record = {
            "checked": fingerprint[0],
            "context": fingerprint[1],
            "paths": paths,
            "diagnostics": [
                [d.path, d.line, d.column, d.end_line, d.end_column, d.code, d.severity, d.message]
                for d in diagnostics
            ],
            "fixes": encode_fixes(diagnostics),
        }
        import tempfile

        with contextlib.suppress(OSError):
            self.file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(record, stream)  # ASCII: escaped names come back as they were
                Path(temporary).replace(self.file)
            except OSError:
                Path(temporary).unlink(missing_ok=True)


# Encoding ----------------------------------------------------------------------------------------
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
        "e": None
        if entry is None
        else [
            entry.id,
            entry.status,
            entry.supersedes,
            entry.superseded_by,
            entry.publication_date and entry.publication_date.isoformat(),
            entry.previous_version_date and entry.previous_version_date.isoformat(),
            list(entry.span_keys),
            list(entry.span_numbers),
        ],
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

    from guidelint.fix import Fix

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
    from guidelint.fix import Edit

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
    """Links as stored: null for a file without an id, else [id, supersedes, superseded_by]."""
    if raw is None:
        return None
    guideline_id, supersedes, superseded_by = raw
    return _text(guideline_id), _optional_text(supersedes), _optional_text(superseded_by)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _optional_date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(_text(value))


def decode(
    payload: dict[str, Any], path: str, with_diagnostics: bool = True
) -> tuple[list[Diagnostic], Entry | None, Suppressions]:
    diagnostics = _decode_diagnostics(payload["d"], path) if with_diagnostics else []
    if payload["f"] and with_diagnostics:
        decode_fixes(payload["f"], diagnostics)
    return diagnostics, _decode_entry(payload["e"], path), _decode_suppressions(payload["s"])


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


def _decode_entry(raw: Any, path: str) -> Entry | None:
    if raw is None:
        return None
    guideline_id, status, supersedes, superseded_by, published, previous, keys, numbers = raw
    "".join(keys)  # raises TypeError unless every key is text; join runs at C speed
    if not isinstance(keys, list) or "id" not in keys or len(numbers) != 4 * len(keys):
        raise ValueError(raw)
    return Entry(
        path=path,
        id=_text(guideline_id),
        status=_shared_text(status),
        supersedes=_optional_text(supersedes),
        superseded_by=_optional_text(superseded_by),
        publication_date=_optional_date(published),
        previous_version_date=_optional_date(previous),
        span_keys=tuple(_SHARED.get(key) or _text(key) for key in keys),
        span_numbers=tuple(array("q", numbers)),  # raises TypeError unless all are whole
    )


def _decode_suppressions(raw: list[Any]) -> Suppressions:
    return Suppressions(
        [
            Suppression(int(line), tuple(_text(c) for c in codes), _unspan(span), _text(written))
            for line, codes, span, written in raw
        ]
    )
