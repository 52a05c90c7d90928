"""The settings a run applies: what the rules are given (`Settings`) and what the settings file
said, checked (`Config`). app/config.py finds, reads and checks the file; everything below the
application only reads these values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path

from guidelint.core.diagnostic import Severity
from guidelint.core.limits import Limits

# The defaults of the settings a file may change: one place for the settings file's and the rules'.
STALE_AFTER_YEARS = 3  # many bodies review on a 3- to 5-year cycle; Shekelle et al. advise 3
REQUIRED_SECTIONS = ("Scope", "Key Recommendations")

# Values added to the vocabularies by configuration: ((vocabulary, (value, ...)), ...).
Vocabulary = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Settings:
    today: date
    stale_after_years: int = STALE_AFTER_YEARS
    # Years between reviews by organization ("default": any other), from the configuration's
    # review-interval-years; stale_after_years where it names none.
    review_intervals: tuple[tuple[str, int], ...] = ()
    required_sections: tuple[str, ...] = REQUIRED_SECTIONS
    extra_vocabulary: Vocabulary = ()

    def review_interval(self, organization: object) -> int:
        """Years after which a current guideline of `organization` is due for review."""
        found = dict(self.review_intervals)
        given = found.get(organization) if isinstance(organization, str) else None
        return given or found.get("default") or self.stale_after_years


@dataclass(frozen=True, slots=True)
class Config:
    """Settings from a configuration file, already checked. Paths are absolute."""

    source: Path | None = None  # the file the settings came from
    root: Path = field(default_factory=Path.cwd)  # folder globs and corpus-root are relative to
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extend_exclude: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    required_sections: tuple[str, ...] = REQUIRED_SECTIONS
    extra_vocabulary: tuple[tuple[str, tuple[str, ...]], ...] = ()
    stale_after_years: int = STALE_AFTER_YEARS
    # [review-interval-years]: organization -> years; "default" for every other one.
    review_interval_years: tuple[tuple[str, int], ...] = ()
    corpus_root: Path | None = None
    cache_dir: Path | None = None  # inside the repository; --cache-dir may name any folder
    limits: Limits = field(default_factory=Limits)
    # The real folder no link, corpus-root or settings file may lead out of: the repository's
    # top, or outside one the settings file's folder (else the checked paths' folder). None:
    # found from the checked paths when the files are listed.
    top: Path | None = None
    in_repository: bool = False


def matches(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    """Whether a file or folder matches one of the glob patterns, as ruff's exclude does.

    A pattern without a slash matches any file or folder name on the way (`drafts`,
    `*-draft.md`); a pattern with one matches the path relative to the configuration's folder
    (`seeds/old/*`), and so does everything below what it matches. As in ruff, `*` may cross
    a slash.
    """
    try:
        relative = path.absolute().relative_to(root).as_posix()
    except ValueError:
        return False
    parts = relative.split("/")
    for pattern in patterns:
        wanted = pattern.strip("/")
        if "/" in wanted:
            if fnmatchcase(relative, wanted) or fnmatchcase(relative, wanted + "/*"):
                return True
        elif any(fnmatchcase(part, wanted) for part in parts):
            return True
    return False
