"""The last whole run's answer, given again when nothing it read has changed."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from guidelint.cache.codec import _text, _unspan, decode_fixes, encode_fixes
from guidelint.cache.sealing import (
    _make_folder,
    _read_own,
    _seal,
    _unseal,
    _write_new,
    own_folder,
    secret_key,
)
from guidelint.core.diagnostic import Diagnostic, Severity
from guidelint.engine.store import Seen, regular_stat

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
        self.folder = folder
        self.key = key
        self.file = folder / f"{key}.last"
        self.invocation = invocation
        self.stored: dict[str, Any] | None = None

    @staticmethod
    def _stats(
        start: str, files: Iterable[tuple[str, str]], seen: Seen | None = None
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
        checked: Iterable[tuple[str, str]],
        lineage: Iterable[tuple[str, str]],
        seen: Seen | None = None,
    ) -> tuple[str, str] | None:
        first = self._stats(self.invocation, checked, seen)
        if first is None:
            return None
        if self.stored is not None and self.stored.get("checked") != first:
            return first, ""  # already a miss: the rest of the corpus need not be looked at
        rest = self._stats(first, lineage, seen)
        return None if rest is None else (first, rest)

    def _record(self) -> dict[str, Any] | None:
        """The last run's record as read (once), or None."""
        if self.stored is None:
            secret = secret_key()
            if secret is None or not own_folder(self.folder):
                return None
            try:
                body = _unseal(secret, "last", self.key, _read_own(self.file, MAX_RECORD_BYTES))
                if body is None:
                    return None  # not sealed with the user's key: it vouches for nothing
                stored = json.loads(body)
            except (OSError, ValueError, RecursionError):  # RecursionError: [[[[...]]]]
                return None
            self.stored = stored if isinstance(stored, dict) else None
        return self.stored

    def checked_changed(self, checked: Iterable[tuple[str, str]]) -> bool:
        """Whether the files checked differ from the last run's, in name, size or mtime: then
        its answer will not be given again, whatever the rest of the corpus holds."""
        stored = self._record()
        return stored is None or stored.get("checked") != self._stats(self.invocation, checked)

    def load(
        self, checked: list[tuple[str, str]], lineage: list[tuple[str, str]]
    ) -> tuple[list[Diagnostic], list[str]] | None:
        """The remembered diagnostics and files checked, when nothing changed; else None."""
        try:
            stored = self._record()
            if stored is None:
                return None
            fingerprint = self.fingerprint(checked, lineage)
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
        checked: list[tuple[str, str]],
        lineage: list[tuple[str, str]],
        diagnostics: list[Diagnostic],
        paths: list[str],
        seen: Seen | None = None,
    ) -> None:
        self.stored = None  # whatever was read, the fingerprint is taken afresh
        fingerprint = self.fingerprint(checked, lineage, seen)
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
        # ASCII: escaped names come back as they were
        body = json.dumps(record).encode("ascii")
        secret = secret_key(create=True)
        if secret is None or not _make_folder(self.folder):
            return
        sealed = _seal(secret, "last", self.key, body)
        with contextlib.suppress(OSError):
            _write_new(self.folder, self.file.name, ".last", lambda out: out.write(sealed))
