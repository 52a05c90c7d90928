"""The results cache, so that a rerun only checks what changed; and the last run's answer.

Where it lives: by default in the user's cache folder (platformdirs: `~/.cache/guidelint` on
Linux), in a folder of its own for each project, never in the checked repository: everything
in a checkout (a pull request's included) is untrusted input, and a cache there could vouch for
a broken file. `--cache-dir` (or `GUIDELINT_CACHE_DIR`, or the `cache-dir` setting, which must
stay inside the repository) puts it elsewhere.

How it is trusted: every file here is sealed with a secret key kept in the user's cache folder
(`secret`, 32 random bytes only its owner may read). A file opens with a signature line (its
kind and cache key, with their tag) and goes on in blocks, each a header (its length and tag)
then its bytes; each tag is an HMAC-SHA256 of the signature line and the bytes, so a block
appended by a later run is as sealed as the first. A file, or a block, whose tag does not
verify is not ours: what follows it is ignored and the files are checked afresh. HMAC-SHA256
rather than keyed BLAKE2b: OpenSSL's runs on the processors' SHA instructions, and seals a
large cache in about half BLAKE2b's time. Links are never followed: the folder must be a real
folder of this user's, files are opened with O_NOFOLLOW and made afresh (O_EXCL) then renamed
into place, and the clean-up deletes only files whose signature is ours.

What is stored: one file per combination of guidelint's code, schema, settings and limits (the
key is a hash of all of them), holding a line for each file: its size, mtime and content hash
with the file's per-file results: diagnostics for every rule, the corpus index entry and the
suppression comments. A file whose size and mtime are unchanged is taken as unchanged (as make
and ruff do); when they changed, the content hash decides, so a checkout or `touch` costs a
read, not a check. Text and JSON, not pickle: reading a cache must never run code. Anything
unreadable, of another shape or another key is ignored, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from guidelint.cache.codec import ENTRIES, _decode_suppressions, _links, decode, encode
from guidelint.cache.sealing import (
    _GITIGNORE,
    _NOFOLLOW,
    BLOCK_HEADER_BYTES,
    TAG_CHARACTERS,
    _block_header,
    _make_folder,
    _open_own,
    _read_block_header,
    _signature,
    _write_new,
    own_folder,
    prune,
    secret_key,
)
from guidelint.core.corpus_index import Entry
from guidelint.core.diagnostic import Diagnostic
from guidelint.engine.store import Links, Stat, regular_stat

if TYPE_CHECKING:
    from guidelint.readers.suppression_comments import Suppressions

FIELDS = 7  # size, mtime_ns, content hash, links, entry, suppressions, results
# A links field as written by row(): null, or [id, [every id it names]] as JSON.
_JSON_TEXT = r'"[^"\\\x00-\x1f]*(?:\\.[^"\\\x00-\x1f]*)*"'  # one string, escapes and all
LINKS_TEXT = re.compile(rf"null|\[{_JSON_TEXT},\[(?:{_JSON_TEXT}(?:,{_JSON_TEXT})*)?\]\]")


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Cache:
    """One file per key: a signature line, then blocks of lines, a line per checked file.

    A line is `path, size, mtime_ns, content hash, links, entry, suppressions, results`,
    separated by tabs; the last four are JSON texts (which never contain a tab or a line
    break). Lines are split only when their file is asked for, and a file read for the lineage
    pass needs its links alone, unless its lineage is checked: a pre-commit run reads ten
    thousand of them to check one file. A file written anew is one block; a run that changed
    a few lines appends them as a block of their own (see save).
    """

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key
        self.file = self.named(folder, key)
        # absolute path -> the rest of its line (see FIELDS)
        self.rows: dict[str, str] = {}
        # Lines changed or added by this run, by key: appended to the file when it holds few
        # lines besides (see save).
        self.changed_rows: dict[str, str] = {}
        # Lines in the file as loaded (its signature and block headers too); -1 when there was
        # none to trust, or something after what was trusted: then it is written anew.
        self.lines_read = -1
        # The size and mtime of each file this run found unchanged or stored, by its name:
        # what its results were made from, and what the last-run record is to remember.
        self.seen: dict[str, tuple[int, int]] = {}
        # The working folder does not change during a run; abspath would ask for it each time.
        self._cwd = os.getcwd().rstrip(os.sep) + os.sep  # noqa: PTH109

    def _key(self, path: str) -> str:
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
        """Whether results with this key may be on record (for some files, maybe not these):
        a regular file by the name, not yet read. Only decides when workers start."""
        try:
            return stat.S_ISREG(os.lstat(cls.named(folder, key)).st_mode)
        except OSError:
            return False

    @classmethod
    def load(cls, folder: Path, key: str) -> Cache:
        """The lines on record for this key that are sealed with the user's key; none else."""
        cache = cls(folder, key)
        secret = secret_key()
        if secret is None or not own_folder(folder):
            return cache
        try:
            handle = _open_own(cache.file)
        except OSError:
            return cache  # absent, a link, or not a file: start afresh
        with open(handle, "rb") as stream:  # noqa: PTH123 - a descriptor, not a path
            try:
                cache._read(stream, secret)
            except OSError:
                cache.rows, cache.lines_read = {}, -1
        return cache

    def _read(self, stream: IO[bytes], secret: bytes) -> None:
        """The rows of each block whose tag verifies, up to the first that does not."""
        signature = _signature(secret, "cache", self.key)
        if not hmac.compare_digest(stream.readline(len(signature)), signature):
            return  # another key, format or user, or a damaged file: not ours to trust
        lines = 1
        while header := stream.readline(BLOCK_HEADER_BYTES):
            found = _read_block_header(header)
            block = None if found is None else _read_rows(stream, signature, secret, *found)
            if block is None:
                return  # cut short or not ours: what came before stands; written anew next
            rows, count = block
            self.rows.update(rows)  # a later line for the same file replaces an earlier one
            lines += 1 + count
        self.lines_read = lines

    def _fields(self, path: str) -> list[str]:
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
                current = digest(Path(path).read_bytes())
            except OSError as exc:
                raise KeyError(path) from exc
            if current != fields[2]:
                raise KeyError(path)
            fields[0], fields[1] = str(size), str(mtime_ns)
            self.rows[key] = self.changed_rows[key] = "\t".join(fields)
        self.seen[os.fspath(path)] = (size, mtime_ns)
        return fields

    def seen_stat(self, path: str) -> tuple[int, int] | None:
        """The size and mtime a file had when this run found it unchanged, or checked it."""
        return self.seen.get(os.fspath(path))

    def links(self, path: str) -> Links | None:
        """An unchanged file's id and supersession links, or None when it has no id.

        All a file named by no one needs to tell, unless its lineage is being checked.
        Raises KeyError when the file is not stored or changed.
        """
        try:
            return _links(json.loads(self._fields(path)[3]))
        except (TypeError, ValueError, RecursionError) as exc:
            raise KeyError(path) from exc  # another shape: not ours to trust

    def stored_links(
        self, files: Iterable[tuple[str, str]]
    ) -> tuple[list[tuple[str, str, Links | None]], list[tuple[str, str]]]:
        """`links` of many files: those stored and unchanged, with their links; the others.

        A pre-commit run asks this of every file in the corpus but the one it checks, so the
        common case is made cheap: a stat compared with the line's start, and one JSON parse
        for all the links. A line whose file's mtime moved, or of another shape, goes the
        careful way, through `links`.
        """
        stored: list[tuple[str, str, Links | None]] = []
        pending: list[int] = []  # the places in `stored` whose links are in `texts`
        texts: list[str] = []
        others: list[tuple[str, str]] = []
        rows, seen, cwd = self.rows, self.seen, self._cwd
        for file, shown in files:
            name = os.fspath(file)
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
            # The shape is LINKS_TEXT's: null, or a string and a list of strings.
            stored[place] = (file, shown, None if raw is None else (raw[0], tuple(raw[1])))
        return stored, others

    def _one_by_one(
        self,
        stored: list[tuple[str, str, Links | None]],
        pending: list[int],
        others: list[tuple[str, str]],
    ) -> tuple[list[tuple[str, str, Links | None]], list[tuple[str, str]]]:
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
        self, path: str, shown_as: str, diagnostics: bool = True
    ) -> tuple[list[Diagnostic], Entry | None, Suppressions]:
        """The stored results for an unchanged file; raises KeyError otherwise.

        Without `diagnostics`, for a file read only for the lineage pass, its diagnostics are
        left out (and not decoded): its entry and suppression comments are what is needed.
        """
        _, _, _, _, entry, suppressions, results = self._fields(path)
        try:
            found = [] if suppressions == "[]" else json.loads(suppressions)
            if not diagnostics:
                return [], ENTRIES.decode(json.loads(entry), shown_as), _decode_suppressions(found)
            payload = {"e": json.loads(entry), "s": found, **json.loads(results)}
            return decode(payload, shown_as)
        except (KeyError, TypeError, ValueError, IndexError, RecursionError) as exc:
            raise KeyError(path) from exc  # another shape: not ours to trust

    def put(self, path: str, row: str) -> None:
        """Store a file's line, made by `row()` (in the worker that checked the file)."""
        key = self._key(path)
        if "\t" in key or "\n" in key:
            return  # such a name cannot be a line of its own; the file is checked each time
        self.rows[key] = self.changed_rows[key] = row
        size, mtime_ns, _ = row.split("\t", 2)
        self.seen[os.fspath(path)] = (int(size), int(mtime_ns))

    def save(self) -> None:
        """Write the changed lines; a cache that cannot be written is only a slower next run.

        A few changed lines (a pre-commit run's) are appended, as a block in one write, and
        read back over the earlier lines of their files; otherwise, or once the file holds a
        quarter more lines than files, it is written anew, atomically.
        """
        if not self.changed_rows:
            return
        secret = secret_key(create=True)
        if secret is None or not _make_folder(self.folder):
            return
        lines = self.lines_read + len(self.changed_rows) + 1
        if self.lines_read >= 0 and lines <= len(self.rows) * 5 // 4 + 16:
            with contextlib.suppress(OSError):
                self._append(secret)
                prune(self.folder, [self.file.name], secret)
                return
        with contextlib.suppress(OSError):
            self._ignore_in_git()
            _write_new(self.folder, self.file.name, ".cache", lambda out: self._write(out, secret))
            prune(self.folder, [self.file.name], secret)

    def _ignore_in_git(self) -> None:
        """A `.gitignore` saying `*`, for a cache folder kept in a work tree; made only where
        nothing is by that name (O_EXCL), so a link put there is never written through."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_BINARY", 0)
        try:
            handle = os.open(self.folder / ".gitignore", flags, 0o644)
        except FileExistsError:
            return
        try:
            os.write(handle, _GITIGNORE)
        finally:
            os.close(handle)

    def _write(self, stream: IO[bytes], secret: bytes) -> None:
        """Every line, as one block: written as it is sealed, then its header filled in."""
        signature = _signature(secret, "cache", self.key)
        stream.write(signature)
        stream.write(b" " * BLOCK_HEADER_BYTES)
        mac = hmac.new(secret, signature, digestmod="sha256")
        length = 0
        lines: list[str] = []
        for number, (path, rest) in enumerate(self.rows.items(), 1):
            lines.append(f"{path}\t{rest}\n")
            if number % 4096 == 0 or number == len(self.rows):
                data = "".join(lines).encode("utf-8", "surrogateescape")
                mac.update(data)
                stream.write(data)
                length += len(data)
                lines.clear()
        stream.seek(len(signature))
        stream.write(f"{length:020d} {mac.hexdigest()[:TAG_CHARACTERS]}\n".encode())

    def _append(self, secret: bytes) -> None:
        signature = _signature(secret, "cache", self.key)
        text = "".join(f"{path}\t{rest}\n" for path, rest in self.changed_rows.items())
        data = text.encode("utf-8", "surrogateescape")
        block = _block_header(signature, secret, data) + data
        handle = _open_own(self.file, os.O_WRONLY | os.O_APPEND | _NOFOLLOW | os.O_NONBLOCK)
        try:
            # One write, so that blocks appended at once by two runs never interleave; a block
            # cut short reads as damaged, and the file is written anew.
            if os.write(handle, block) != len(block):
                raise OSError("short write")
        finally:
            os.close(handle)


def _read_rows(
    stream: IO[bytes], signature: bytes, secret: bytes, length: int, tag: str
) -> tuple[dict[str, str], int] | None:
    """A block's lines by path, and how many; None unless it is whole and its tag verifies.

    Read and sealed a chunk at a time: a corpus of 100,000 files has a cache of 40 MB, which
    must not be held three times over (bytes, text, lines). surrogateescape: a file name that
    is not UTF-8 comes back as it was stored.
    """
    mac = hmac.new(secret, signature, digestmod="sha256")
    rows: dict[str, str] = {}
    count = 0
    left = b""
    remaining = length
    while remaining:
        chunk = stream.read(min(remaining, 1 << 16))
        if not chunk:
            return None
        remaining -= len(chunk)
        mac.update(chunk)
        data = left + chunk
        end = data.rfind(b"\n") + 1
        left = data[end:]
        lines = data[:end].decode("utf-8", "surrogateescape").split("\n")
        lines.pop()  # what follows the last line break: nothing
        count += len(lines)
        for line in lines:
            path, tab, rest = line.partition("\t")
            if tab:
                rows[path] = rest
    if left or not hmac.compare_digest(mac.hexdigest()[:TAG_CHARACTERS], tag):
        return None
    return rows, count


# One encoder for every line: json.dumps with options builds a new one on each call.
_to_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def row(
    stat: Stat,
    content: bytes,
    result: tuple[list[Diagnostic], Entry | None, Suppressions],
) -> str:
    """A checked file's line in the cache, less its path (see Cache and FIELDS), from its stat
    before it was read and the bytes read: the engine's RowMaker, called in the workers."""
    payload = encode(*result)
    entry = result[1]
    links = None if entry is None else [entry.id, list(entry.names())]
    texts = [_to_json(part) for part in (links, payload.pop("e"), payload.pop("s"), payload)]
    return "\t".join([str(stat.size), str(stat.mtime_ns), digest(content), *texts])
