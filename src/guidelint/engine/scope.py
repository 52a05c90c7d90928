"""Which files a run checks, and which other files of the corpus it reads for the lineage pass."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from guidelint.core.settings import Config, matches
from guidelint.readers.discovery import (
    SKIPPED_FILES,
    Exclude,
    Walk,
    common_start,
    discover,
    is_guideline_name,
    repository_top,
)

if TYPE_CHECKING:
    from guidelint.readers.staged import Staged


def _excluder(config: Config) -> Exclude:
    patterns = config.extend_exclude
    root = config.root

    def exclude(name: str) -> bool:
        return bool(patterns) and matches(Path(name), root, patterns)

    return exclude


def in_corpus(paths: list[Path], config: Config, force_exclude: bool = False) -> list[Path]:
    """The paths to check, narrowed to the configured corpus.

    A folder that holds the corpus root is narrowed to it (`guidelint .` at the top checks the
    corpus alone). With `force_exclude` (ruff's option of that name, which its pre-commit hook
    passes; `--staged` implies it), a file or folder outside `corpus-root`, or a file named like
    a project document (README.md, CHANGELOG.md, ...), is left out even when named: pre-commit
    names every staged Markdown file, and a README is no guideline.
    """
    root = config.corpus_root
    kept: list[Path] = []
    for path in paths:
        is_folder = path.is_dir()
        if force_exclude and not is_folder and path.name in SKIPPED_FILES:
            continue
        if root is None:
            kept.append(path)
            continue
        absolute = Path(os.path.abspath(path))  # noqa: PTH100
        if absolute == root or root in absolute.parents:
            kept.append(path)
        elif is_folder and absolute in root.parents:
            kept.append(_relative_to_cwd(root))
        elif not force_exclude:
            kept.append(path)
    return kept


def corpus_root(paths: list[Path], config: Config) -> Path | None:
    """Where the corpus the checked files belong to lives.

    The configured `corpus-root`; else the folder of the configuration file; else the top of
    the git work tree. None when the checked paths are not all inside it: then the folders of
    the named files are the corpus.
    """
    root = config.corpus_root or (config.source.parent if config.source else None)
    if root is None and config.top is not None:
        root = config.top if config.in_repository else None
    elif root is None:
        found = repository_top(common_start(paths))
        root = Path(found) if found else None
    if root is None:
        return None
    absolute = [Path(os.path.abspath(path)) for path in paths]  # noqa: PTH100
    if all(path == root or root in path.parents for path in absolute):
        return root
    return None


def _relative_to_cwd(folder: Path) -> Path:
    """`folder` relative to the working folder when inside it, as display_path shows files."""
    cwd = os.getcwd().rstrip(os.sep)  # noqa: PTH109
    text = str(folder)
    if text == cwd:
        return Path()
    return Path(text[len(cwd) + 1 :]) if text.startswith(cwd + os.sep) else folder


def rest_of_corpus(
    paths: list[Path],
    config: Config,
    exclude: Exclude,
    staged: Staged | None = None,
    walk: Walk | None = None,
) -> Iterator[str]:
    """The rest of the corpus, read for the lineage pass only: the files' names.

    Lineage is a property of the corpus: a file checked alone (as pre-commit names files) must
    still be linked against the other versions. The other files are read for their index entry
    and suppression comments only; their own problems are not reported, and corpus findings
    are kept only when they involve a checked file.
    """
    root = corpus_root(paths, config)
    if staged is not None:
        # What the commit will contain: the index's files, not stray ones in the folder.
        yield from _staged_corpus(staged, root or staged.top, exclude)
        return
    if root is not None:
        if any(os.path.abspath(path) == str(root) for path in paths):  # noqa: PTH100
            return  # the whole corpus is being checked already: nothing to add
        folders = [_relative_to_cwd(root)]
    else:
        folders = sorted({file.parent for file in paths if not file.is_dir()})
    yield from discover(folders, exclude, walk)


def _staged_corpus(staged: Staged, root: Path, exclude: Exclude) -> Iterator[str]:
    """The guideline files of the index under `root`, as discovery would find them there."""
    top = str(root).rstrip(os.sep) + os.sep
    for file in staged.tracked:
        name = str(file)
        if not name.startswith(top) or not name.endswith(".md"):
            continue
        relative = _relative_to_cwd(file)
        if is_guideline_name(relative, root) and not exclude(name := os.fspath(relative)):
            yield name
