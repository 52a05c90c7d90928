"""How a checked file's path is shown in diagnostics."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: Path | str) -> str:
    """The path as shown in diagnostics: relative to the working folder when inside it.

    `path` is a Path, or a name written as pathlib writes one (as the walk lists files).
    """
    # abspath, not resolve(): a symlinked file is shown under the name it was found by. Strings,
    # not pathlib: this runs for every file of the corpus, and pathlib's parsing would weigh
    # most in a warm run. A relative path pathlib has normalised (no '..') is already what is
    # shown.
    text = os.fspath(path)
    if not text.startswith(os.sep) and ".." not in text:
        return _printable(text if os.sep == "/" else text.replace(os.sep, "/"))
    cwd = os.getcwd()  # noqa: PTH109
    # '..' is not collapsed: after a symbolic link to a folder, 'link/..' is not the folder
    # the name suggests, and the name shown must reach the file that was checked.
    absolute = (
        os.path.join(cwd, text)  # noqa: PTH118
        if ".." in text.split(os.sep)  # noqa: PTH206 - a name, not a Path
        else os.path.abspath(text)  # noqa: PTH100
    )
    if absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        absolute = absolute[len(cwd.rstrip(os.sep)) + 1 :]
    return _printable(absolute.replace(os.sep, "/"))


def _printable(text: str) -> str:
    """A file name that is not UTF-8 (caf\\xe9.md) with its odd bytes written as \\xe9.

    Python keeps such bytes as lone surrogates, which no report can encode as UTF-8.
    """
    if text.isascii():
        return text
    return os.fsencode(text).decode("utf-8", "backslashreplace")
