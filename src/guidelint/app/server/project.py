"""The language server's view of a workspace: its settings, its corpus and its open files.

Nothing here speaks LSP: the protocol module turns what this computes into messages. The
corpus on disk is read once, when the server starts or the settings change, into an index of
each file's last result (its lineage entry and suppression comments); buffers and file events
update it one file at a time, so a keystroke never reads the corpus again. An open buffer
overrides the file on disk of the same name, until it is closed.

Settings come from the same file the command line reads for the workspace's folder (see
config.find_project); a file is checked when a walk of the corpus would list it, as with
`--force-exclude`: a README or a file outside `corpus-root` opened in the editor is left alone.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from guidelint.app.config import ConfigError, find_project, load_config
from guidelint.core.corpus_index import Entry
from guidelint.core.diagnostic import Diagnostic
from guidelint.core.settings import Config, Settings, matches
from guidelint.engine.files import FileResult, check_file
from guidelint.engine.paths import display_path
from guidelint.engine.run import RunResult, check_open_files
from guidelint.engine.scope import in_corpus
from guidelint.readers.discovery import Walk, discover, is_guideline_name, is_inside
from guidelint.readers.document import read_bounded
from guidelint.rules.registry import UnknownSelector, select_codes


@dataclass
class Buffer:
    """An open document: its text as the editor has it, and its last check."""

    path: Path  # absolute
    shown: str  # the name diagnostics give it
    text: str
    version: int | None = None
    result: FileResult | None = None


class Lineages:
    """The supersession links of the corpus on disk, less the open files, ready for the
    lineages of the open files to be found in a few steps: built when the corpus or the set of
    open files changes, not at every key (joining ten thousand links would cost more than the
    check itself)."""

    def __init__(self, corpus: dict[str, FileResult], left_out: set[str]) -> None:
        self.by_id: dict[str, list[Entry]] = defaultdict(list)
        self.links: dict[str, set[str]] = defaultdict(set)
        for shown, result in corpus.items():
            entry = result.entry
            if entry is None or shown in left_out:
                continue
            self.by_id[entry.id].append(entry)
            _link(self.links, entry)
        self.ids = frozenset(self.by_id)

    def around(self, entries: list[Entry]) -> tuple[list[Entry], frozenset[str]]:
        """The entries of every lineage these (open) entries are in, theirs included, and
        every id of the corpus with theirs."""
        links: dict[str, set[str]] = defaultdict(set)
        for entry in entries:
            _link(links, entry)
        seen = {entry.id for entry in entries}
        waiting = list(seen)
        while waiting:
            node = waiting.pop()
            for other in self.links.get(node, set()) | links.get(node, set()):
                if other not in seen:
                    seen.add(other)
                    waiting.append(other)
        found = [entry for node in seen for entry in self.by_id.get(node, [])]
        return found + entries, self.ids | {entry.id for entry in entries}


def _link(links: dict[str, set[str]], entry: Entry) -> None:
    for other in entry.names():
        links[entry.id].add(other)
        links[other].add(entry.id)


@dataclass
class Workspace:
    """One workspace folder (`root`), or none: then each open file is judged alone."""

    root: Path | None
    config: Config = field(default_factory=Config)
    enabled: frozenset[str] = frozenset()
    settings_problem: str | None = None  # why the settings file could not be used
    corpus: dict[str, FileResult] = field(default_factory=dict)  # on disk, by the name shown
    files: dict[str, Path] = field(default_factory=dict)  # name shown -> the file
    buffers: dict[str, Buffer] = field(default_factory=dict)  # open files, by the name shown
    _lineages: Lineages | None = None  # of the corpus less the open files; None: to build

    # Settings ------------------------------------------------------------------------------
    def load_settings(self) -> None:
        """Read the settings as `guidelint` run in the workspace's folder reads them; a file
        that cannot be used leaves the defaults, and says why in `settings_problem`."""
        self.settings_problem = None
        if self.root is None:
            self.config = Config()
        else:
            try:
                project = find_project([self.root])
                self.config = load_config(project.settings, project)
            except ConfigError as exc:
                self.settings_problem = str(exc)
                found = find_project([self.root], settings=False)
                self.config = Config(root=self.root, top=found.top, in_repository=True)
        self.enabled = enabled_codes(self.config)

    def settings(self) -> Settings:
        config = self.config
        return Settings(
            today=date.today(),  # asked each time: a server may run past midnight
            stale_after_years=config.stale_after_years,
            review_intervals=config.review_interval_years,
            required_sections=config.required_sections,
            extra_vocabulary=config.extra_vocabulary,
        )

    def settings_files(self) -> set[Path]:
        """The files whose change may change the settings."""
        if self.root is None:
            return set()
        names = ("guidelint.toml", ".guidelint.toml", "pyproject.toml")
        top = self.config.top or self.root
        return {Path(top, name) for name in names} | {Path(self.root, name) for name in names}

    # The corpus on disk ----------------------------------------------------------------------
    def corpus_root(self) -> Path | None:
        if self.root is None:
            return None
        return self.config.corpus_root or (
            self.config.source.parent if self.config.source else self.root
        )

    def index_corpus(self) -> None:
        """Read every file of the corpus on disk for its lineage entry and suppressions."""
        self.set_corpus({}, {})
        root = self.corpus_root()
        if root is None:
            return
        config = self.config
        walk = Walk(str(config.top), config.in_repository) if config.top else Walk()
        settings, limits = self.settings(), config.limits
        for name in discover(in_corpus([root], config, True), self._excluded, walk):
            if name in walk.refused:
                continue  # a link out of the repository: never opened
            shown = display_path(name)
            self.files[shown] = file = Path(name)
            self.corpus[shown] = check_file(file, settings, frozenset(), limits, shown=shown)

    def set_corpus(self, corpus: dict[str, FileResult], files: dict[str, Path]) -> None:
        self.corpus, self.files, self._lineages = corpus, files, None

    def _excluded(self, path: Path | str) -> bool:
        patterns = self.config.extend_exclude
        return bool(patterns) and matches(Path(path), self.config.root, patterns)

    def is_checked(self, path: Path) -> bool:
        """Whether a walk of the corpus would list this file (so the editor shows its
        problems): a guideline name below the corpus root, not excluded, not through a link
        out of the repository."""
        root = self.corpus_root()
        if root is None:
            return path.name.endswith(".md")
        real = os.path.realpath(path)
        top = str(self.config.top or self.root)
        return (
            is_inside(real, top)
            and is_inside(real, os.path.realpath(root))
            and is_guideline_name(Path(real), Path(os.path.realpath(root)))
            and not self._excluded(Path(real))
        )

    def file_changed_on_disk(self, path: Path, deleted: bool) -> bool:
        """A file event from the editor: the index follows the file. Whether it mattered."""
        shown = self.shown(path)
        self._lineages = None
        if deleted or not path.is_file() or not self.is_checked(path):
            self.files.pop(shown, None)
            return self.corpus.pop(shown, None) is not None
        self.files[shown] = path
        settings, limits = self.settings(), self.config.limits
        self.corpus[shown] = check_file(path, settings, frozenset(), limits, shown=shown)
        return True

    # Open files ------------------------------------------------------------------------------
    def shown(self, path: Path) -> str:
        """The name the command line, run in the workspace's folder, gives the file."""
        if self.root is not None and is_inside(str(path), str(self.root)):
            return display_path(Path(os.path.relpath(path, self.root)))
        return display_path(path)

    def open(self, path: Path, text: str, version: int | None = None) -> Buffer:
        buffer = Buffer(path, self.shown(path), text, version)
        self.buffers[buffer.shown] = buffer
        self._lineages = None  # the file on disk no longer counts
        return buffer

    def close(self, path: Path) -> None:
        self.buffers.pop(self.shown(path), None)
        self._lineages = None

    def check(self) -> dict[str, list[Diagnostic]]:
        """The problems of every open file, by the name shown: each buffer as the editor has
        it, judged with the corpus on disk and the other buffers."""
        settings, limits = self.settings(), self.config.limits
        results: dict[str, FileResult] = {}
        for shown, buffer in self.buffers.items():
            if not self.is_checked(buffer.path):
                continue
            if buffer.result is None:
                data = buffer.text.encode("utf-8", "surrogatepass")
                buffer.result = check_file(buffer.path, settings, self.enabled, limits, data, shown)
            results[shown] = buffer.result
        by_file: dict[str, list[Diagnostic]] = {shown: [] for shown in self.buffers}
        for diagnostic in self._judge(results, results):
            by_file.setdefault(diagnostic.path, []).append(diagnostic)
        return by_file

    def _judge(
        self, results: dict[str, FileResult], lineage_of: dict[str, FileResult]
    ) -> list[Diagnostic]:
        """`results`' problems, with the lineages of the entries in `lineage_of` (the open
        files as they are checked: those in `results`, and the other buffers)."""
        if self._lineages is None:
            self._lineages = Lineages(self.corpus, set(self.buffers))
        entries = [r.entry for r in lineage_of.values() if r.entry is not None]
        lineage, known = self._lineages.around(entries)
        files = {shown: os.fspath(b.path) for shown, b in self.buffers.items()}
        return check_open_files(results, lineage, known, files, self.enabled, self.config)

    def run_result(self, contents: dict[str, bytes]) -> RunResult:
        """A run's result for the buffers named in `contents`, with that content instead of
        their text, beside the other buffers as they are: what the fix engine judges its
        rounds by."""
        settings, limits = self.settings(), self.config.limits
        results: dict[str, FileResult] = {}
        for shown, data in contents.items():
            buffer = self.buffers.get(shown)
            if buffer is None or not self.is_checked(buffer.path):
                continue
            results[shown] = check_file(buffer.path, settings, self.enabled, limits, data, shown)
        others = {
            shown: buffer.result
            for shown, buffer in self.buffers.items()
            if buffer.result is not None and shown not in results
        }
        found = self._judge(results, {**others, **results})
        files = {shown: os.fspath(self.buffers[shown].path) for shown in results}
        return RunResult(found, sorted(results), [], files)

    def changed(self, shown: str) -> None:
        """A buffer's text changed: it is checked again at the next `check`."""
        buffer = self.buffers.get(shown)
        if buffer is not None:
            buffer.result = None

    def forget_results(self) -> None:
        """The settings changed: every buffer is checked again."""
        for buffer in self.buffers.values():
            buffer.result = None

    def known_ids(self) -> list[str]:
        """Every id of the corpus, the open buffers' as they are now."""
        ids = {
            result.entry.id
            for shown, result in self.corpus.items()
            if result.entry is not None and shown not in self.buffers
        }
        ids |= {
            buffer.result.entry.id
            for buffer in self.buffers.values()
            if buffer.result is not None and buffer.result.entry is not None
        }
        return sorted(ids)


def enabled_codes(config: Config) -> frozenset[str]:
    """The rules the settings select, as the command line chooses them without options."""
    try:
        chosen = select_codes(list(config.select) if config.select is not None else None, None)
        if config.extend_select:
            chosen |= select_codes(list(config.extend_select), None)
        return chosen - select_codes(list(config.ignore), None) if config.ignore else chosen
    except UnknownSelector:  # load_config has refused such settings already
        return select_codes(None, None)


def read_other(workspace: Workspace, shown: str) -> bytes | None:
    """The text of a file of the corpus a fix changes: its buffer when open, else the file on
    disk, read bounded and never waited on; None when it cannot be read."""
    buffer = workspace.buffers.get(shown)
    if buffer is not None:
        return buffer.text.encode("utf-8", "surrogatepass")
    file = workspace.files.get(shown)
    if file is None:
        return None
    try:
        return read_bounded(file, workspace.config.limits.max_file_bytes)
    except OSError:
        return None
