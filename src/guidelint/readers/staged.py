"""`--staged`: what the next commit will contain, as git's index has it.

The pre-commit hook must judge the commit, not the folder: a successor that is still
untracked will not be in a fresh clone, and a version deleted with `git rm` is gone from it
although no file of the commit names it. So for a staged run the corpus read for the lineage
pass is the index's list of files; a file whose work-tree text differs from its staged text is
checked as staged; and the ids of the files the commit deletes count as changed, so the
versions that still link to them are checked too.

git is asked, with options that keep it from running anything the repository's own
configuration names (no fsmonitor hook) and from writing to the index.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

GIT_TIMEOUT_SECONDS = 60
# Global options: read the repository, never write to it nor start its configured helpers.
_GIT = ("git", "--no-optional-locks", "-c", "core.fsmonitor=false")


class StagedError(Exception):
    """git could not tell what is staged: not a work tree, no git, or git failed."""


@dataclass(frozen=True, slots=True)
class Staged:
    top: Path  # the work tree's top
    tracked: tuple[Path, ...]  # every file in the index, by absolute name
    added_or_changed: tuple[Path, ...]  # staged additions, modifications, renames and copies
    deleted_ids: frozenset[str]  # the ids (file stems) of the guideline files the commit deletes
    # The staged text of files whose work-tree text differs, by absolute name.
    staged_text: dict[Path, bytes] = field(default_factory=dict)


def read_staged(start: Path) -> Staged:
    top = _top(start)
    tracked = _names(top, "ls-files", "-z", "--cached")
    changed = _names(
        top, "diff", "--cached", "--name-only", "-z", "--no-renames", "--diff-filter=ACMR"
    )
    deleted = _names(
        top, "diff", "--cached", "--name-only", "-z", "--no-renames", "--diff-filter=D"
    )
    unstaged = [
        name
        for name in _names(top, "diff", "--name-only", "-z", "--no-renames", "--diff-filter=MD")
        if name.endswith(".md")
    ]
    staged_text = {top / name: _show(top, name) for name in unstaged}
    return Staged(
        top=top,
        tracked=tuple(top / name for name in tracked),
        added_or_changed=tuple(top / name for name in changed),
        deleted_ids=frozenset(_stem(name) for name in deleted if name.endswith(".md")),
        staged_text=staged_text,
    )


def _stem(name: str) -> str:
    """The id of a deleted guideline: its file name without `.md` (GL307 holds them equal)."""
    return name.rsplit("/", 1)[-1][: -len(".md")]


def _top(start: Path) -> Path:
    result = _git(start, "rev-parse", "--show-toplevel")
    return Path(os.fsdecode(result.rstrip(b"\n")))


def _names(top: Path, *args: str) -> list[str]:
    return [os.fsdecode(name) for name in _git(top, *args).split(b"\0") if name]


def _show(top: Path, name: str) -> bytes:
    return _git(top, "show", f":{name}")


def _git(cwd: Path, *args: str) -> bytes:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            [*_GIT, *args],
            cwd=cwd,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError as exc:
        raise StagedError("--staged needs git, which is not installed or not on PATH") from exc
    except subprocess.TimeoutExpired as exc:
        raise StagedError(f"git did not answer within {GIT_TIMEOUT_SECONDS} s") from exc
    except OSError as exc:
        raise StagedError(f"git could not be started ({exc.strerror or exc})") from exc
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = said[-1] if said else f"exit code {done.returncode}"
        raise StagedError(f"--staged needs a git work tree: git says {reason!r}")
    return done.stdout
