"""Trust: the user's secret key, files sealed with it, written afresh and never through a link."""

from __future__ import annotations

import contextlib
import hmac
import os
import re
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from guidelint.cache.folder import _owned, user_cache_root

PRUNE_AFTER_SECONDS = 2 * 24 * 3600


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
