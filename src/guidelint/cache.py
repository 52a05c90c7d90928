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
rather than keyed BLAKE2b: OpenSSL's, on the processors' SHA instructions, seals the 4 MB cache
of 10,000 files in 2 ms, BLAKE2b in 4. Links are never followed: the folder must be a real
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
import sys
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from guidelint import __version__
from guidelint.corpus import LINEAGE_KEYS, Entry
from guidelint.diagnostic import Diagnostic, Severity, Span
from guidelint.limits import Limits

if TYPE_CHECKING:
    from guidelint.context import Settings
    from guidelint.fix import Edit
    from guidelint.suppress import Suppressions

CACHE_DIR_ENV = "GUIDELINT_CACHE_DIR"
PRUNE_AFTER_SECONDS = 2 * 24 * 3600
# 2: diagnostics keep their fixes, so a warm cache never hides one from --fix
# 3: a line per file, its fields parsed when used
# 4: sealed with the user's secret key; the key covers guidelint's code
# 5: entries hold lists of linked ids (supersedes, superseded_by, amends, amended_by)
FORMAT = 5
FIELDS = 7  # size, mtime_ns, content hash, links, entry, suppressions, results
# A file's id, and every id it names in a supersession or amendment link.
Links = tuple[str, tuple[str, ...]]
# A links field as written by row(): null, or [id, [every id it names]] as JSON.
_JSON_TEXT = r'"[^"\\\x00-\x1f]*(?:\\.[^"\\\x00-\x1f]*)*"'  # one string, escapes and all
LINKS_TEXT = re.compile(rf"null|\[{_JSON_TEXT},\[(?:{_JSON_TEXT}(?:,{_JSON_TEXT})*)?\]\]")
# The size and mtime a file had when its results were made, when known (Cache.seen_stat).
Seen = Callable[[Path], tuple[int, int] | None]


# Where the cache lives --------------------------------------------------------------------------
def user_cache_root() -> Path:
    """guidelint's folder in the user's cache folder: the secret key, and each project's cache."""
    folder = _xdg_cache_home()
    if folder is None:
        import platformdirs  # its imports (tempfile, shutil) cost a run more than its answer

        folder = platformdirs.user_cache_dir("guidelint", appauthor=False)
    else:
        folder = os.path.join(folder, "guidelint")  # noqa: PTH118
    return Path(os.path.abspath(folder))  # noqa: PTH100


def _xdg_cache_home() -> str | None:
    """The user cache folder as the XDG Base Directory specification sets it, on the systems
    where platformdirs follows it (Linux and the BSDs, not Android): `$XDG_CACHE_HOME` when it
    is an absolute path (a relative one is to be ignored), else `~/.cache`. None elsewhere, or
    when the home folder is unknown, for platformdirs to answer."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    if os.environ.get("ANDROID_DATA") == "/data" and os.environ.get("ANDROID_ROOT") == "/system":
        return None
    configured = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(configured):  # noqa: PTH117
        return configured
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):  # noqa: PTH117
        return None
    return os.path.join(home, ".cache")  # noqa: PTH118


def default_cache_folder(project: Path) -> Path:
    """The project's own cache folder, named by a hash of the project's real path: two
    checkouts never share one, and the same folder reached by two names is one project."""
    real = os.path.realpath(project).encode("utf-8", "surrogateescape")
    return user_cache_root() / "projects" / hashlib.blake2b(real, digest_size=16).hexdigest()


def cache_folder_problem(folder: Path, top: Path) -> str | None:
    """Why the cache cannot be kept in `folder`, or None.

    A folder inside the repository `top` (which a checkout brings) must not be reached through
    a symbolic link: a committed link would have guidelint write, and clean up, elsewhere. An
    existing cache folder must be a real folder of this user's.
    """
    absolute = Path(os.path.abspath(folder))  # noqa: PTH100 - the links themselves matter
    bases = {Path(os.path.abspath(top)), Path(os.path.realpath(top))}  # noqa: PTH100
    for base in bases:
        if absolute != base and base not in absolute.parents:
            continue
        step = base
        for part in absolute.relative_to(base).parts:
            step = step / part
            try:
                info = os.lstat(step)
            except OSError:
                break  # absent: made as a real folder when the cache is written
            if stat.S_ISLNK(info.st_mode):
                return (
                    f"the cache folder {folder} is reached through the symbolic link {step}, "
                    "which guidelint does not follow"
                )
    try:
        info = os.lstat(absolute)
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return f"the cache folder {folder} is a symbolic link, which guidelint does not follow"
    if not stat.S_ISDIR(info.st_mode):
        return f"the cache folder {folder} is not a folder"
    if not _owned(info):
        return f"the cache folder {folder} belongs to another user"
    return None


# Trust: the secret key, and files sealed with it ------------------------------------------------
SECRET_FILE = "secret"  # in user_cache_root(), never in a project's folder
SECRET_BYTES = 32
TAG_CHARACTERS = 32  # 128 bits of HMAC-SHA256, in hex
# A block's header: its length in 20 digits, a space, its tag, a line break. Fixed in width, so
# that a file written anew can say its one block's length once the block is written.
BLOCK_HEADER_BYTES = 20 + 1 + TAG_CHARACTERS + 1
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = (
    os.O_RDONLY
    | _NOFOLLOW
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO put in a file's place is refused, never waited on
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
# What guidelint writes in a cache folder, and may delete there: a key's files, and the
# temporary files they are written to (tempfile's names).
_OURS = re.compile(r"(?:(?P<key>[0-9a-f]{32})|\.tmp-[a-z0-9_]+)\.(?P<kind>cache|last)")
_GITIGNORE = b"# Created by guidelint.\n*\n"


def _owned(info: os.stat_result) -> bool:
    geteuid = getattr(os, "geteuid", None)  # Windows has no owners to compare
    return geteuid is None or info.st_uid == geteuid()


def _private(info: os.stat_result) -> bool:
    """A regular file of this user's that no one else may read or write."""
    no_others = os.name != "posix" or not info.st_mode & 0o077
    return stat.S_ISREG(info.st_mode) and _owned(info) and no_others


def own_folder(folder: Path) -> bool:
    """Whether `folder` is a real folder (not a link to one) of this user's."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _owned(info)


def _make_folder(folder: Path, parents: bool = True) -> bool:
    """Make `folder` if absent; whether it is now one to keep the cache in."""
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=parents, exist_ok=True)
    return own_folder(folder)


def _open_own(file: Path, flags: int = _READ_FLAGS) -> int:
    """A descriptor on a regular file of this user's, never through a link; raises otherwise."""
    handle = os.open(file, flags)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or not _owned(info):
            raise OSError(f"{file} is not a cache file")
    except BaseException:
        os.close(handle)
        raise
    return handle


def secret_key(create: bool = False) -> bytes | None:
    """The user's secret key, made when absent if `create`; None when there is none to trust.

    Read on each use (a run asks up to four times, 20 microseconds each): a memo would outlive
    a key that is deleted or replaced.
    """
    root = user_cache_root()
    if create:
        # The user cache folder (~/.cache) may be made, as XDG says, but not a home folder
        # that is not there (HOME=/nonexistent): then there is no cache.
        with contextlib.suppress(OSError):
            root.parent.mkdir(mode=0o700, exist_ok=True)
    if not (_make_folder(root, parents=False) if create else own_folder(root)):
        return None
    file = root / SECRET_FILE
    for attempt in range(2):
        try:
            return _read_secret(file)
        except FileNotFoundError:
            if not create or attempt:
                return None
        except OSError:
            return None
        try:
            _make_secret(root, file)
        except OSError:
            return None
    return None  # pragma: no cover - the loop returns


def _read_secret(file: Path) -> bytes | None:
    handle = os.open(file, _READ_FLAGS)
    try:
        if not _private(os.fstat(handle)):
            return None  # readable by others, or not ours: nothing sealed with it is trusted
        secret = os.read(handle, SECRET_BYTES + 1)
    finally:
        os.close(handle)
    return secret if len(secret) == SECRET_BYTES else None


def _make_secret(root: Path, file: Path) -> None:
    """Write a new key whole, then link it into place: a run at the same time (pre-commit runs
    hooks in parallel) never reads half a key, and never replaces one another run made."""
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=root, prefix=".secret-")  # 0600, O_EXCL
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(os.urandom(SECRET_BYTES))
        try:
            os.link(temporary, file)
        except FileExistsError:
            pass  # another run made one first: that one is the key
        except OSError:
            os.replace(temporary, file)  # noqa: PTH105 - a file system without hard links
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)  # noqa: PTH108


def _tag(secret: bytes, *parts: bytes) -> str:
    mac = hmac.new(secret, digestmod="sha256")
    for part in parts:
        mac.update(part)
    return mac.hexdigest()[:TAG_CHARACTERS]


def _signature(secret: bytes, kind: str, key: str) -> bytes:
    """A sealed file's first line: what it is, for which key, and the proof that it is ours."""
    text = f"guidelint {kind} {key}"
    return f"{text} {_tag(secret, text.encode())}\n".encode()


def _block_header(signature: bytes, secret: bytes, data: bytes) -> bytes:
    return f"{len(data):020d} {_tag(secret, signature, data)}\n".encode()


def _read_block_header(line: bytes) -> tuple[int, str] | None:
    """A block's length and tag, or None for a line that is not a block header."""
    if len(line) != BLOCK_HEADER_BYTES or line[20:21] != b" " or not line.endswith(b"\n"):
        return None
    length, tag = line[:20], line[21:-1]
    if not length.isdigit() or not tag.isalnum():
        return None
    return int(length), tag.decode("ascii")


def _seal(secret: bytes, kind: str, key: str, data: bytes) -> bytes:
    """A whole file of one block: the signature line, the block's header, the block."""
    signature = _signature(secret, kind, key)
    return signature + _block_header(signature, secret, data) + data


def _unseal(secret: bytes, kind: str, key: str, sealed: bytes) -> bytes | None:
    """The block of a file made by _seal, when its tags verify; else None."""
    signature = _signature(secret, kind, key)
    header = sealed[len(signature) : len(signature) + BLOCK_HEADER_BYTES]
    found = _read_block_header(header)
    if not sealed.startswith(signature) or found is None:
        return None
    length, tag = found
    data = sealed[len(signature) + BLOCK_HEADER_BYTES :]
    if len(data) != length or not hmac.compare_digest(_tag(secret, signature, data), tag):
        return None
    return data


def _write_new(folder: Path, name: str, suffix: str, write: Callable[[IO[bytes]], object]) -> None:
    """Write a file through a new temporary file in the same folder, renamed over `name`: never
    a half-written file, and never through a link (the rename replaces a link, not its target)."""
    import tempfile  # only when something is written: a run answered from the cache is not

    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(temporary, folder / name)  # noqa: PTH105
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)  # noqa: PTH108
        raise


def _made_here(file: Path, secret: bytes, key: str | None, kind: str) -> bool:
    """Whether `file` opens with a signature of ours (for `key`, or any key if None)."""
    handle = _open_own(file)
    try:
        first = os.read(handle, 128).partition(b"\n")[0]
    finally:
        os.close(handle)
    parts = first.decode("ascii", "replace").split(" ")
    if len(parts) != 4 or parts[:2] != ["guidelint", kind] or key not in (None, parts[2]):
        return False
    return hmac.compare_digest(_signature(secret, kind, parts[2]), first + b"\n")


def prune(folder: Path, keep: Iterable[str], secret: bytes) -> None:
    """Delete the cache files guidelint made here, of other keys, unused for two days.

    Each key has its own file, as large as the corpus's results, and keys move on: a new
    guidelint, new settings, and every day a new date for the date rules. Only files named as
    guidelint names them and signed with this user's key are deleted, never through a link:
    a cache folder may hold other things, or have been put there by someone else.
    """
    cutoff = time.time() - PRUNE_AFTER_SECONDS
    kept = set(keep)
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            ours = _OURS.fullmatch(entry.name)
            if ours is None or entry.name in kept:
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode) or not _owned(info) or info.st_mtime >= cutoff:
                    continue
                if _made_here(Path(entry.path), secret, ours["key"], ours["kind"]):
                    os.unlink(entry.path)  # noqa: PTH108


# The code that makes the results ----------------------------------------------------------------
INSTALLED = (".dist-info", ".egg-info")  # an installed package's record, its version in its name


@cache
def code_digest() -> str:
    """A hash of what makes the results: guidelint's own modules and schema (their content:
    a rule changed without a new version number, as between two commits pre-commit installs,
    must not be answered from results the old rule made), the Python version, and the names of
    the packages installed beside it (their versions are in the names: `PyYAML-6.0.1.dist-info`).

    About 1 ms a run; once per process.
    """
    package = Path(__file__).parent
    hasher = hashlib.blake2b(sys.version.encode(), digest_size=16)
    files: list[str] = []
    folders = [os.fspath(package)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        folders.append(entry.path)
                elif entry.name.endswith((".py", ".json")):
                    files.append(entry.path)
    start = len(os.fspath(package))
    for name in sorted(files):
        with open(name, "rb") as stream:  # noqa: PTH123
            data = stream.read()
        hasher.update(f"\0{name[start:]}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
        hasher.update(data)
    for folder in sys.path:
        # Only the packages' folders: sys.path may also hold the working folder, and listing
        # a corpus of 100,000 files would cost more than the run.
        if os.path.basename(folder) in ("site-packages", "dist-packages"):  # noqa: PTH119
            with contextlib.suppress(OSError):
                names = os.listdir(folder)  # noqa: PTH208 - names, not Path objects
                installed = sorted(name for name in names if name.endswith(INSTALLED))
                hasher.update(
                    "\0".join(["", folder, *installed]).encode("utf-8", "surrogateescape")
                )
    return hasher.hexdigest()


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
    """The key of results checked with this code, these settings, limits and opt-in rules."""
    # Extra vocabulary values are part of the settings; the schema is part of the code.
    material = json.dumps(
        [FORMAT, __version__, code_digest(), repr(settings), repr(limits), sorted(opt_in)],
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
            # The shape is LINKS_TEXT's: null, or a string and a list of strings.
            stored[place] = (file, shown, None if raw is None else (raw[0], tuple(raw[1])))
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
    content_digest: str,
    result: tuple[list[Diagnostic], Entry | None, Suppressions],
) -> str:
    """A checked file's line in the cache, less its path (see Cache and FIELDS)."""
    payload = encode(*result)
    entry = result[1]
    links = None if entry is None else [entry.id, list(entry.names())]
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
        self.folder = folder
        self.key = key
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
        # ASCII: escaped names come back as they were
        body = json.dumps(record).encode("ascii")
        secret = secret_key(create=True)
        if secret is None or not _make_folder(self.folder):
            return
        sealed = _seal(secret, "last", self.key, body)
        with contextlib.suppress(OSError):
            _write_new(self.folder, self.file.name, ".last", lambda out: out.write(sealed))


def _read_own(file: Path, max_bytes: int) -> bytes:
    """A cache file's bytes, never through a link nor from another user's file, nor more than
    `max_bytes`; raises OSError otherwise."""
    handle = _open_own(file)
    try:
        size = os.fstat(handle).st_size
        if size > max_bytes:
            raise OSError(f"{file} is larger than a cache file can be")
        chunks = []
        while data := os.read(handle, min(max_bytes + 1, 1 << 24)):
            chunks.append(data)
            max_bytes -= len(data)
            if max_bytes < 0:
                raise OSError(f"{file} grew larger than a cache file can be")
    finally:
        os.close(handle)
    return b"".join(chunks)


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
            list(entry.supersedes),
            list(entry.superseded_by),
            list(entry.amends),
            list(entry.amended_by),
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
    """Links as stored: null for a file without an id, else [id, [every id it names]]."""
    if raw is None:
        return None
    guideline_id, names = raw
    return _text(guideline_id), _texts(names)


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError(value)
    return tuple(_text(item) for item in value)


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
    (
        guideline_id,
        status,
        supersedes,
        superseded_by,
        amends,
        amended_by,
        published,
        previous,
        keys,
        numbers,
    ) = raw
    "".join(keys)  # raises TypeError unless every key is text; join runs at C speed
    if not isinstance(keys, list) or "id" not in keys or len(numbers) != 4 * len(keys):
        raise ValueError(raw)
    return Entry(
        path=path,
        id=_text(guideline_id),
        status=_shared_text(status),
        supersedes=_texts(supersedes),
        superseded_by=_texts(superseded_by),
        amends=_texts(amends),
        amended_by=_texts(amended_by),
        publication_date=_optional_date(published),
        previous_version_date=_optional_date(previous),
        span_keys=tuple(_SHARED.get(key) or _text(key) for key in keys),
        span_numbers=tuple(array("q", numbers)),  # raises TypeError unless all are whole
    )


def _decode_suppressions(raw: list[Any]) -> Suppressions:
    # Here: the last run's answer, given again, needs no suppression comments.
    from guidelint.suppress import Suppression, Suppressions

    return Suppressions(
        [
            Suppression(int(line), tuple(_text(c) for c in codes), _unspan(span), _text(written))
            for line, codes, span, written in raw
        ]
    )
