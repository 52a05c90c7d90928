"""Where the cache lives: the user's cache folder, a folder of its own for each project."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

CACHE_DIR_ENV = "GUIDELINT_CACHE_DIR"


def _owned(info: os.stat_result) -> bool:
    geteuid = getattr(os, "geteuid", None)  # Windows has no owners to compare
    return geteuid is None or info.st_uid == geteuid()


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
