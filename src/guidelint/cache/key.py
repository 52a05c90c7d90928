"""The cache key: guidelint's code and schema, the settings, limits and opt-in rules."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from guidelint import __version__
from guidelint.cache.codec import FORMAT
from guidelint.core.limits import Limits

if TYPE_CHECKING:
    from guidelint.core.settings import Settings


INSTALLED = (".dist-info", ".egg-info")  # an installed package's record, its version in its name


@cache
def code_digest() -> str:
    """A hash of what makes the results: guidelint's own modules and schema (their content:
    a rule changed without a new version number, as between two commits pre-commit installs,
    must not be answered from results the old rule made), the Python version, and the names of
    the packages installed beside it (their versions are in the names: `PyYAML-6.0.1.dist-info`).

    Worked out once per process.
    """
    package = Path(__file__).parent.parent
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


def cache_key(settings: Settings, limits: Limits, opt_in: Iterable[str] = ()) -> str:
    """The key of results checked with this code, these settings, limits and opt-in rules."""
    # Extra vocabulary values are part of the settings; the schema is part of the code.
    material = json.dumps(
        [FORMAT, __version__, code_digest(), repr(settings), repr(limits), sorted(opt_in)],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]
