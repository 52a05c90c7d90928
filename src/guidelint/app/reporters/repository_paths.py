"""Paths in reports for machines: relative to the repository root, wherever guidelint ran.

GitHub attaches an annotation, GitLab a Code Quality issue and code scanning a SARIF result to
a path from the top of the repository. Run from a subfolder (`cd guidelines && guidelint
x.md`), the paths people read are relative to that folder, and would name no file up there.
The root is the git work tree's top, else the folder of the settings file, else the current
folder.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guidelint.engine.run import RunResult

# The formats whose readers resolve paths from the repository root.
ROOTED_FORMATS = frozenset({"github", "gitlab", "sarif", "junit"})


def repository_root(settings_file: Path | None) -> Path:
    """The top of the git work tree holding the current folder, else the settings' folder."""
    from guidelint.readers.discovery import repository_top

    cwd = os.getcwd()  # noqa: PTH109 - the real folder, symbolic links resolved
    found = repository_top(cwd)
    if found is not None:
        return Path(found)
    return settings_file.parent if settings_file is not None else Path(cwd)


def from_root(result: RunResult, root: Path) -> RunResult:
    """The run with every path it shows written from `root`, where it lies inside it."""
    prefix = _prefix(root)
    if prefix == "":
        return result
    moved = {path: _moved(path, prefix, root) for path in {*result.paths, *result.files}}
    moved.update({d.path: _moved(d.path, prefix, root) for d in result.diagnostics})
    return replace(
        result,
        diagnostics=[replace(d, path=moved[d.path]) for d in result.diagnostics],
        paths=[moved[path] for path in result.paths],
        files={moved[shown]: file for shown, file in result.files.items()},
    )


def _prefix(root: Path) -> str | None:
    """What to put before a path shown relative to the current folder; None: it is outside."""
    cwd = os.getcwd()  # noqa: PTH109
    top = str(root).rstrip(os.sep)
    if cwd == top:
        return ""
    if not cwd.startswith(top + os.sep):
        return None
    below = cwd[len(top) + 1 :].replace(os.sep, "/")
    return os.fsencode(below).decode("utf-8", "backslashreplace") + "/"


def _moved(shown: str, prefix: str | None, root: Path) -> str:
    if shown.startswith("/") or (len(shown) > 2 and shown[1] == ":"):  # shown absolute
        top = str(root).replace(os.sep, "/").rstrip("/") + "/"
        return shown[len(top) :] if shown.startswith(top) else shown
    if prefix is None:
        return shown
    return prefix + shown
