"""The engine keeps results in whatever store it is given (engine/store.py says what it asks),
and knows nothing of the cache that is the program's store; no module imports itself."""

from __future__ import annotations

import base64
import pickle
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import grimp
import pytest

from guidelint.core.diagnostic import Diagnostic
from guidelint.core.graphs import strongly_connected
from guidelint.core.limits import Limits
from guidelint.core.settings import Config, Settings
from guidelint.engine import corpus as corpus_stage
from guidelint.engine import files, workers
from guidelint.engine.run import RunOptions, run
from guidelint.engine.store import Links, Record, Results, RowMaker, Seen, Stat
from guidelint.rules.registry import select_codes
from tests.conftest import PREDECESSOR_TEXT, SEED_TEXT, write_corpus

if TYPE_CHECKING:
    from guidelint.engine.store import StoredResults


def memory_row(stat: Stat, content: bytes, result: StoredResults) -> str:
    """A record that only this test reads: text, as the engine asks, of a pickle."""
    return base64.b64encode(pickle.dumps((stat, result))).decode("ascii")


class MemoryResults:
    def __init__(self, rows: dict[str, str]) -> None:
        self.rows = rows
        self.asked: list[str] = []

    def get(self, path: str, shown_as: str, diagnostics: bool = True) -> StoredResults:
        self.asked.append(f"get {Path(path).name} {diagnostics}")
        stat, (found, entry, suppressions) = pickle.loads(base64.b64decode(self.rows[path]))
        if Stat.of(path) != stat:
            raise KeyError(path)
        return (found if diagnostics else []), entry, suppressions

    def stored_links(
        self, files: Iterable[tuple[str, str]]
    ) -> tuple[list[tuple[str, str, Links | None]], list[tuple[str, str]]]:
        stored: list[tuple[str, str, Links | None]] = []
        others = []
        for file, shown in files:
            try:
                _, entry, _ = self.get(file, shown, diagnostics=False)
            except KeyError:
                others.append((file, shown))
            else:
                links = None if entry is None else (entry.id, tuple(entry.names()))
                stored.append((file, shown, links))
        return stored, others

    def put(self, path: str, row: str) -> None:
        self.rows[path] = row

    def save(self) -> None:
        pass

    def seen_stat(self, path: str) -> tuple[int, int] | None:
        return None


class NoRecord:
    def checked_changed(self, checked: Iterable[tuple[str, str]]) -> bool:
        return True

    def load(
        self, checked: list[tuple[str, str]], lineage: list[tuple[str, str]]
    ) -> tuple[list[Diagnostic], list[str]] | None:
        return None

    def save(
        self,
        checked: list[tuple[str, str]],
        lineage: list[tuple[str, str]],
        diagnostics: list[Diagnostic],
        paths: list[str],
        seen: Seen | None = None,
    ) -> None:
        pass


class MemoryStore:
    def __init__(self) -> None:
        self.rows: dict[Path, str] = {}
        self.loaded: list[MemoryResults] = []

    def key(self, settings: Settings, limits: Limits, opt_in: Iterable[str]) -> str:
        return "memory"

    def on_record(self, key: str) -> bool:
        return bool(self.rows)

    def results(self, key: str) -> Results:
        self.loaded.append(MemoryResults(self.rows))
        return self.loaded[-1]

    def last_run(self, key: str, invocation: str) -> Record:
        return NoRecord()

    def row_maker(self) -> RowMaker:
        return memory_row


def test_a_run_keeps_results_in_the_store_it_is_given_and_answers_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(
        tmp_path / "c",
        {
            "aan-als-2024.md": SEED_TEXT,
            "aan-als-2009.md": PREDECESSOR_TEXT,
            "broken.md": SEED_TEXT.replace("id: aan-als-2024", "id: Not An Id"),
        },
    )
    monkeypatch.chdir(corpus)
    store = MemoryStore()
    settings, enabled, config = (
        Settings(today=date(2026, 11, 24)),
        select_codes(None, None),
        Config(root=corpus),
    )

    def lint(*paths: Path) -> list[Diagnostic]:
        return run(list(paths), settings, enabled, config, RunOptions(store=store)).diagnostics

    cold = lint(Path())
    assert cold, "the broken file has problems"
    assert sorted(Path(path).name for path in store.rows) == [
        "aan-als-2009.md",
        "aan-als-2024.md",
        "broken.md",
    ]

    checked: list[str] = []
    check = files.check_file

    def counted(file: Path, *args: object, **kwargs: object) -> files.FileResult:
        checked.append(file.name)
        return check(file, *args, **kwargs)  # type: ignore[arg-type]

    for stage in (workers, corpus_stage):
        monkeypatch.setattr(stage, "check_file", counted)
    assert lint(Path()) == cold
    assert checked == []
    # One file named: the rest of the corpus is read for its links, from the store; the
    # named file's lineage in full, its diagnostics left out.
    named = lint(Path("aan-als-2024.md"))
    assert checked == []
    assert named == [d for d in cold if d.path == "aan-als-2024.md"]
    asked = store.loaded[-1].asked
    assert "get aan-als-2024.md True" in asked
    assert "get aan-als-2009.md False" in asked


def test_the_engine_imports_nothing_of_the_cache() -> None:
    graph = grimp.build_graph("guidelint")  # imports under TYPE_CHECKING count
    chains = graph.find_shortest_chains(
        importer="guidelint.engine", imported="guidelint.cache", as_packages=True
    )
    assert chains == set()


def cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """The import graph's strongly connected components of more than one module: its cycles,
    found by the same algorithm the lineage rules use."""
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    return [set(members) for members in strongly_connected(imports) if len(members) > 1]


def test_no_module_of_guidelint_imports_itself_through_others() -> None:
    graph = grimp.build_graph("guidelint")
    assert len(graph.modules) > 60
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "a.b", "a.c", "a.d"):
        graph.add_module(module)
    graph.add_import(importer="a.b", imported="a.c")
    graph.add_import(importer="a.c", imported="a.b")
    graph.add_import(importer="a.c", imported="a.d")
    assert cycles(graph) == [{"a.b", "a.c"}]
