"""Which files to check: every *.md under the given paths, each once, inside the repository.

Everything found here is named by the checked repository, so nothing in it is trusted: a
symbolic link is followed only when its real path stays inside the repository's top folder
(`Walk.top`), and a file reached through one is named by its real path, so that settings
matched against file names (per-file-ignores, extend-exclude) see the file, not a link chosen
to dodge them. A folder is skipped by its name (hidden, node_modules, ...) or because it really
is a Python virtual environment; each skip is noted on the `Walk` (unreadable folders and
links out of the repository are always said, the others with --verbose). The walk is a loop,
not a recursion: a corpus may nest folders as deep as the system allows.

Files are named as text, each exactly as `Path(folder) / name` would write it: a run answered
from the cache lists every file of the corpus and only stats it (os.stat takes text), and a
pathlib object for each would cost more than the rest of such a run. Paths are made for the
files checked, reported or written, by whoever opens them.
"""

from __future__ import annotations

import os
import stat
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
# Project documents that sit beside a corpus but are not guidelines.
SKIPPED_FILES = frozenset(
    {
        "README.md",
        "CHANGELOG.md",
        "CONTRIBUTING.md",
        "CODE_OF_CONDUCT.md",
        "LICENSE.md",
        "SECURITY.md",
    }
)
VENV_MARKER = "pyvenv.cfg"
# A pyvenv.cfg is a few lines; a larger file is not one, and is not read further.
MAX_VENV_MARKER_BYTES = 64 * 1024

Exclude = Callable[[str], bool]  # whether a file or folder, named as listed, is left out
Identity = tuple[int, int] | str
_by_name = attrgetter("name")


@dataclass(frozen=True, slots=True)
class Skip:
    """A folder (or link, or file) left out of the walk, and why."""

    path: Path
    reason: str
    always: bool  # said on every run; the others only with --verbose


@dataclass(slots=True)
class Walk:
    """What listing the files met on the way, for the engine and the command line to say.

    `top` is the real path links may not lead out of: the repository's top folder (found from
    the paths when not given). `refused` holds the files listed but never to be opened, by
    the name listed, with the reason: they are reported, not read.
    """

    top: str | None = None
    in_repository: bool = True
    skipped: list[Skip] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)

    def skip(self, path: Path | str, reason: str, *, always: bool = False) -> None:
        self.skipped.append(Skip(Path(path), reason, always))

    @property
    def outside(self) -> str:
        return "outside the repository" if self.in_repository else "outside the checked folders"


def _nothing(_: str) -> bool:
    return False


# The repository's top -------------------------------------------------------------------------
def repository_top(start: str) -> str | None:
    """The top of the git work tree holding the real folder `start`, found without running git.

    That is the nearest folder, from `start` up, holding a `.git` folder, or a `.git` file that
    starts with `gitdir:` (a worktree's or a submodule's); None outside any.
    """
    folder = start
    while True:
        if _is_git_marker(os.path.join(folder, ".git")):  # noqa: PTH118
            return folder
        parent = os.path.dirname(folder)  # noqa: PTH120
        if parent == folder:
            return None
        folder = parent


def _is_git_marker(path: str) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISDIR(info.st_mode):
        return True
    if not stat.S_ISREG(info.st_mode):
        return False
    try:
        # Not waiting on a FIFO put in its place since the lstat.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        return os.read(handle, 7) == b"gitdir:"
    except OSError:
        return False
    finally:
        os.close(handle)


def _joined(path: Path) -> str:
    """The path made absolute without collapsing '..': after a link, 'link/..' is not the
    folder the name suggests, and realpath must see it to resolve it."""
    text = path.__fspath__()
    if text == ".":  # the only '.' a Path keeps
        return os.getcwd()  # noqa: PTH109
    return text if os.path.isabs(text) else os.path.join(os.getcwd(), text)  # noqa: PTH109, PTH117, PTH118


def start_folder(path: Path) -> str:
    """The real folder a checked path names (a folder, not a link), or its name is in."""
    parent, name = os.path.split(_joined(path))
    if name in ("", ".", ".."):
        return os.path.realpath(parent if not name else os.path.join(parent, name))  # noqa: PTH118
    real_parent = os.path.realpath(parent)
    here = os.path.join(real_parent, name)  # noqa: PTH118
    try:
        if stat.S_ISDIR(os.lstat(here).st_mode):
            return here
    except OSError:
        pass
    return real_parent


def common_start(paths: list[Path]) -> str:
    """The real folder holding every checked path (the working folder when none is given)."""
    return os.path.commonpath([start_folder(path) for path in paths] or [os.getcwd()])  # noqa: PTH109


def is_inside(real: str, top: str) -> bool:
    """Whether the real path `real` is the folder `top` or below it."""
    return real == top or real.startswith(top if top.endswith(os.sep) else top + os.sep)


# Listing ----------------------------------------------------------------------------------------
def discover(
    paths: list[Path], exclude: Exclude = _nothing, walk: Walk | None = None
) -> Iterator[str]:
    """Yield files' names in a stable order: given files as given, folders walked sorted.

    A file named on the command line is checked whatever its name; inside folders only
    `*.md` files are, minus hidden folders, virtual environments, node_modules and the usual
    project documents (README.md, CHANGELOG.md, ...). `exclude` (the configured patterns)
    applies to named files too, so that pre-commit, which names files, honours it. A path
    reached through a symbolic link is yielded as its real path; one whose link leads out of
    `walk.top` is never followed (a file is yielded and put in `walk.refused`).
    """
    walk = walk if walk is not None else Walk()
    top = walk.top
    if top is None:
        start = common_start(paths)
        found = repository_top(start)
        top = found or start
        walk.top, walk.in_repository = top, found is not None
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[Identity] = set()
    for given in paths:
        name = os.fspath(given)
        joined = _joined(given)
        real = os.path.realpath(joined)
        is_dir = _is_dir(joined)
        if not is_inside(real, top):
            if is_dir:
                walk.skip(given, _link_out(walk, "folder"), always=True)
            elif not exclude(name) and name not in seen_files:
                seen_files.add(name)
                walk.refused[name] = _link_out(walk, "file")
                yield name
            continue
        # Named by its real path when a link or '..' is on the way, as a walk of the
        # repository names it, so that the file is one file to the corpus pass; as given
        # otherwise.
        path = real if real != joined else name
        if exclude(path) or exclude(name):
            walk.skip(given, "excluded by the configuration (extend-exclude)")
        elif is_dir:
            yield from _walk(path, top, walk, seen_dirs, seen_files, exclude)
        else:
            identity = _identity(path)
            if identity not in seen_files:
                seen_files.add(identity)
                yield path


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)  # noqa: PTH116
    except OSError:
        return False  # read as a file: the reader says why it cannot be


def _link_out(walk: Walk, kind: str = "") -> str:
    to = f"to a {kind} " if kind else "leading "
    return f"it is a symbolic link {to}{walk.outside}, which guidelint does not follow"


def _identity(path: str) -> Identity:
    """What makes two names the same file: device and inode; the name when it cannot be read."""
    try:
        info = os.stat(path)  # noqa: PTH116
    except OSError:
        return path
    return (info.st_dev, info.st_ino)


def child_prefix(folder: str) -> str:
    """What goes before a name listed in `folder` to write it as `Path(folder) / name` does.

    `folder` is written as pathlib writes it (as given on the command line, then parsed) or as
    realpath does; a name from a folder listing holds no separator. Both normalise alike but
    for the current folder, which pathlib leaves out of the name.
    """
    return "" if folder == "." else os.path.join(folder, "")  # noqa: PTH118


# One folder being listed: its entries still to look at, what goes before their names, its
# device.
_Listing = tuple[Iterator[os.DirEntry[str]], str, int]


def _walk(
    start: str,
    top: str,
    walk: Walk,
    seen_dirs: set[tuple[int, int]],
    seen_files: set[Identity],
    exclude: Exclude,
) -> Iterator[str]:
    """Depth first, each folder's entries in name order: the order a recursion would give."""
    stack: list[_Listing] = []
    first = _enter(start, walk, seen_dirs)
    if first is not None:
        stack.append(first)
    while stack:
        children, prefix, device = stack[-1]
        for child in children:
            path = prefix + child.name
            if exclude(path):
                walk.skip(path, "excluded by the configuration (extend-exclude)")
                continue
            identity: Identity | None = None  # None: the listing's device and inode
            if _is_link(child):
                found = _through_link(child, path, top, walk, seen_files, exclude)
                if found is None:
                    continue
                if found.refused:
                    yield found.path
                    continue
                path, is_dir, identity = found.path, found.is_dir, found.identity
            else:
                is_dir = _is_folder(child)
            if is_dir:
                listing = _folder(path, child.name, walk, seen_dirs)
                if listing is not None:
                    stack.append(listing)
                    break  # into the folder; this one's iterator resumes after it
            elif _is_guideline(child.name):
                # The inode comes with the folder listing; only a link needs a stat.
                identity = (device, child.inode()) if identity is None else identity
                if identity not in seen_files:
                    seen_files.add(identity)
                    yield path
        else:
            stack.pop()


class _Child(NamedTuple):
    """A folder entry as the walk takes it, a link followed."""

    path: str
    is_dir: bool
    identity: Identity | None = None  # None: the listing's device and inode
    refused: bool = False  # a guideline linked from outside the top: reported, never read


def _is_guideline(name: str) -> bool:
    return name.endswith(".md") and name not in SKIPPED_FILES


def _is_link(child: os.DirEntry[str]) -> bool:
    try:
        return child.is_symlink()
    except OSError:
        return True


def _is_folder(child: os.DirEntry[str]) -> bool:
    try:
        return child.is_dir()
    except OSError:
        return False


def _through_link(
    child: os.DirEntry[str],
    path: str,
    top: str,
    walk: Walk,
    seen_files: set[Identity],
    exclude: Exclude,
) -> _Child | None:
    """What a link leads to; None when it is left out (said in `walk` where it must be)."""
    real = os.path.realpath(child.path)
    if not is_inside(real, top):
        if not _is_guideline(child.name):
            walk.skip(path, _link_out(walk), always=True)
            return None
        if child.path in seen_files:
            return None
        seen_files.add(child.path)
        walk.refused[path] = _link_out(walk, "file")
        return _Child(path, False, refused=True)
    try:
        info = os.stat(real)  # noqa: PTH116
    except OSError:
        # A link loop or a dangling link: as a *.md it is reported as unreadable under its
        # own name, with the reason, rather than silently left out.
        return _Child(path, False, child.path)
    target = real
    if exclude(target):
        walk.skip(target, "excluded by the configuration (extend-exclude)")
        return None
    return _Child(target, stat.S_ISDIR(info.st_mode), (info.st_dev, info.st_ino))


def _folder(path: str, name: str, walk: Walk, seen_dirs: set[tuple[int, int]]) -> _Listing | None:
    """A folder's listing to walk into; None for a folder not searched (said in `walk`)."""
    reason = _skipped_by_name(name)
    if reason is not None:
        walk.skip(path, reason)
        return None
    return _enter(path, walk, seen_dirs)


def _skipped_by_name(name: str) -> str | None:
    if name.startswith("."):
        return "a hidden folder (its name starts with '.')"
    if name in SKIPPED_DIRS:
        return f"folders named {name} are not searched"
    return None


def _enter(folder: str, walk: Walk, seen_dirs: set[tuple[int, int]]) -> _Listing | None:
    """The folder's entries in name order, or None (and a note) when it is not to be walked."""
    try:
        info = os.stat(folder)  # noqa: PTH116
    except OSError as exc:
        walk.skip(folder, f"it cannot be read ({_reason(exc)})", always=True)
        return None
    identity = (info.st_dev, info.st_ino)
    if identity in seen_dirs:
        walk.skip(folder, "already searched under another name (a symbolic link leads to it)")
        return None
    seen_dirs.add(identity)
    try:
        with os.scandir(folder) as listing:
            children = sorted(listing, key=_by_name)
    except OSError as exc:
        walk.skip(folder, f"it cannot be read ({_reason(exc)})", always=True)
        return None
    at = bisect_left(children, VENV_MARKER, key=_by_name)
    if at < len(children) and children[at].name == VENV_MARKER and is_virtual_environment(folder):
        walk.skip(folder, "a Python virtual environment (pyvenv.cfg)")
        return None
    return iter(children), child_prefix(folder), info.st_dev


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def is_virtual_environment(folder: str) -> bool:
    """Whether the folder is a Python virtual environment, as `python -m venv` makes one.

    A `pyvenv.cfg` alone is not enough: anyone can add an empty one to hide a folder. It must
    be a small regular file with a `home = ...` line, and the folder must hold the interpreter
    (`bin/python`, `Scripts/python.exe`) or `lib/python3.*/site-packages`, as every venv does.
    """
    try:
        handle = os.open(
            os.path.join(folder, VENV_MARKER),  # noqa: PTH118
            os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0),
        )
    except OSError:
        return False
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_VENV_MARKER_BYTES:
            return False
        text = os.read(handle, MAX_VENV_MARKER_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    finally:
        os.close(handle)
    keys = {line.partition("=")[0].strip().lower() for line in text.splitlines() if "=" in line}
    if "home" not in keys:
        return False
    interpreters = ("bin/python", "Scripts/python.exe")
    if any(os.path.lexists(os.path.join(folder, name)) for name in interpreters):  # noqa: PTH118
        return True
    try:
        with os.scandir(os.path.join(folder, "lib")) as versions:  # noqa: PTH118
            return any(
                entry.name.startswith("python3") and (Path(entry.path) / "site-packages").is_dir()
                for entry in versions
            )
    except OSError:
        return False


def is_guideline_name(path: Path, root: Path) -> bool:
    """Whether a walk of `root` would list `path`: a `*.md` that is no project document, in no
    hidden or tool folder below `root`. For file lists that come from elsewhere (git's index)."""
    if not path.name.endswith(".md") or path.name in SKIPPED_FILES:
        return False
    absolute = Path(os.path.abspath(path))  # noqa: PTH100
    try:
        folders = absolute.parent.relative_to(root).parts
    except ValueError:
        return False
    return not any(part.startswith(".") or part in SKIPPED_DIRS for part in folders)
