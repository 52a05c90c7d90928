"""Which files to check: every *.md under the given paths, without looping through symlinks."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

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


def _is_skipped_dir(directory: Path) -> bool:
    name = directory.name
    return (
        name.startswith(".")
        or name in SKIPPED_DIRS
        or (directory / "pyvenv.cfg").is_file()  # a virtual environment of any name
    )


Exclude = Callable[[Path], bool]
Identity = tuple[int, int] | str


def _nothing(_: Path) -> bool:
    return False


def discover(paths: list[Path], exclude: Exclude = _nothing) -> Iterator[Path]:
    """Yield files in a stable order: given files as given, folders walked sorted.

    A file named on the command line is checked whatever its name; inside folders only
    `*.md` files are, minus hidden folders, virtual environments, node_modules and the usual
    project documents (README.md, CHANGELOG.md, ...). `exclude` (the configured patterns)
    applies to named files too, so that pre-commit, which names files, honours it.
    """
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[Identity] = set()
    for path in paths:
        if exclude(path):
            continue
        if path.is_dir():
            yield from _walk(path, seen_dirs, seen_files, exclude)
        else:
            identity = _identity(path.__fspath__())
            if identity not in seen_files:
                seen_files.add(identity)
                yield path


def _identity(path: str) -> Identity:
    """What makes two names the same file: device and inode; the name when it cannot be read."""
    try:
        info = os.stat(path)  # noqa: PTH116
    except OSError:
        return path
    return (info.st_dev, info.st_ino)


def _child_maker(top: Path) -> Callable[[str], Path]:
    """How to name a file listed in `top`: `top / name`, made without parsing the name again.

    pathlib's own folder listing (iterdir, glob) joins a listed name with its private
    _make_child_relpath; the public `top / name` re-parses it, and cost 2.5 us a file, a
    seventh of a run answered from the cache. The public way is kept where that is missing.
    """
    made = getattr(top, "_make_child_relpath", None)
    return made if callable(made) else top.joinpath


def _walk(
    top: Path, seen_dirs: set[tuple[int, int]], seen_files: set[Identity], exclude: Exclude
) -> Iterator[Path]:
    try:
        info = top.stat()
    except OSError:
        return
    identity = (info.st_dev, info.st_ino)
    if identity in seen_dirs:
        return  # a symlink loop, or a folder reached twice
    seen_dirs.add(identity)
    try:
        children = sorted(os.scandir(top), key=lambda entry: entry.name)
    except OSError:
        return
    child_of = _child_maker(top)
    for child in children:
        child_path = child_of(child.name)
        if exclude(child_path):
            continue
        try:
            is_dir = child.is_dir()
        except OSError:
            # A symbolic link loop (self.md -> self.md): as a *.md it is reported as
            # unreadable, with the reason, rather than silently left out.
            is_dir = False
        if is_dir:
            if not _is_skipped_dir(child_path):
                yield from _walk(child_path, seen_dirs, seen_files, exclude)
        elif child.name.endswith(".md") and child.name not in SKIPPED_FILES:
            try:
                is_link = child.is_symlink()
            except OSError:
                is_link = True
            # The inode comes with the folder listing; only a link needs a stat of its target.
            file_identity = _identity(child.path) if is_link else (info.st_dev, child.inode())
            if file_identity not in seen_files:
                seen_files.add(file_identity)
                yield child_path


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
