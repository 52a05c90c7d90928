"""The last run's answer is given again only when nothing it depends on has changed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.generate import generate
from guidelint.cache import store as cache_module
from guidelint.engine import corpus as corpus_stage
from guidelint.engine import files, workers
from guidelint.engine import run as engine
from tests.conftest import PREDECESSOR_TEXT, SEED_TEXT, TODAY, run_cli, write_corpus


# The per-file stage is entered from the workers and, for lineage files changed since their
# links were stored, from the corpus stage: a stand-in for check_file goes in at both.
def patch_check_file(monkeypatch: pytest.MonkeyPatch, replacement: object) -> None:
    for stage in (workers, corpus_stage):
        monkeypatch.setattr(stage, "check_file", replacement)


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    generate(tmp_path / "c", 60, 0.3, 5)
    (tmp_path / "c" / "guidelint.toml").write_text("", "utf-8")
    monkeypatch.chdir(tmp_path / "c")
    return tmp_path / "c"


def lint(*args: str) -> tuple[int, str]:
    result = run_cli("--today", TODAY, "--format", "json", *args)
    return result.exit_code, result.stdout


def cached(*args: str) -> tuple[int, str]:
    return lint("--cache-dir", "../cache", *args)


def fresh(*args: str) -> tuple[int, str]:
    return lint("--no-cache", *args)


def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each file checked and each load of the per-file cache."""
    calls: list[str] = []
    check, load = files.check_file, cache_module.Cache.load.__func__

    def check_file(file: Path, *args: object, **kwargs: object) -> files.FileResult:
        calls.append(f"check {file.name}")
        return check(file, *args, **kwargs)  # type: ignore[arg-type]

    def cache_load(cls: type[cache_module.Cache], *args: object) -> cache_module.Cache:
        calls.append("cache")
        return load(cls, *args)  # type: ignore[arg-type]

    patch_check_file(monkeypatch, check_file)
    monkeypatch.setattr(cache_module.Cache, "load", classmethod(cache_load))
    return calls


def test_a_rerun_with_nothing_changed_reads_nothing_and_says_the_same(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = fresh(".")
    assert expected[0] == 1
    assert cached(".") == expected
    calls = spy(monkeypatch)
    assert cached(".") == expected
    assert calls == []


def _edit(corpus: Path) -> None:
    target = sorted(corpus.glob("*.md"))[3]
    target.write_text(target.read_text("utf-8").replace("## Scope", "## Scoop", 1), "utf-8")


def _add(corpus: Path) -> None:
    shutil.copy(sorted(corpus.glob("*.md"))[0], corpus / "copy-of-the-first.md")


def _delete(corpus: Path) -> None:
    sorted(corpus.glob("*.md"))[5].unlink()


def _rename(corpus: Path) -> None:
    first = sorted(corpus.glob("*.md"))[7]
    first.rename(corpus / "renamed.md")


def _configure(corpus: Path) -> None:
    (corpus / "guidelint.toml").write_text('ignore = ["GL5"]\n', "utf-8")


@pytest.mark.parametrize("change", [_edit, _add, _delete, _rename, _configure])
def test_any_change_to_a_file_or_the_settings_is_seen(
    corpus: Path, change: Callable[[Path], None]
) -> None:
    cached(".")
    change(corpus)
    assert cached(".") == fresh(".")


def test_other_options_and_other_folders_are_other_runs(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached(".")
    assert cached(".", "--select", "GL2") == fresh(".", "--select", "GL2")
    assert cached(".", "--ignore", "GL1") == fresh(".", "--ignore", "GL1")
    assert cached(".", "--today", "2040-01-01") == fresh(".", "--today", "2040-01-01")
    first = sorted(corpus.glob("*.md"))[0].name
    assert cached(first) == fresh(first)
    monkeypatch.chdir(corpus.parent)  # the same files, shown under other names
    assert lint("--cache-dir", "cache", "c") == lint("--no-cache", "c")


@pytest.mark.parametrize(
    "damage",
    [b"", b"not json", b"[]", b'{"checked": 1}', b'{"checked": "x", "context": "y"}'],
)
def test_a_damaged_record_is_ignored(corpus: Path, damage: bytes) -> None:
    expected = cached(".")
    [record] = (corpus.parent / "cache").glob("*.last")
    record.write_bytes(damage)
    assert cached(".") == expected


def test_a_remembered_answer_keeps_its_fixes(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = sorted(corpus.glob("*.md"))[2]
    text = target.read_text("utf-8")
    target.write_text(text.replace("status:", "Status:", 1), "utf-8")
    cached(target.name)
    calls = spy(monkeypatch)
    assert cached(target.name)[0] == 1  # remembered: nothing read
    assert calls == []
    code, _ = cached("--fix", target.name)
    assert target.read_text("utf-8") == text
    assert code == 0


def test_a_file_changed_after_it_was_checked_is_not_remembered_unchanged(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The record holds the size and mtime each file had when it was read: a file edited
    # while the run went on (here, during the corpus pass) is checked again next time.
    target = sorted(corpus.glob("*.md"))[0]
    corpus_pass = engine.check_corpus

    def edit_then_check_corpus(*args: object, **kwargs: object) -> object:
        target.write_text(target.read_text("utf-8").replace("## Scope", "## Scoped", 1), "utf-8")
        return corpus_pass(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "check_corpus", edit_then_check_corpus)
    cached(".")
    monkeypatch.setattr(engine, "check_corpus", corpus_pass)
    assert cached(".") == fresh(".")
    assert "GL501" in cached(".")[1]


def test_the_rest_of_the_corpus_edited_during_a_named_run_is_not_remembered_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The files read for their links alone are remembered with the stats they were read
    # with (they were stored under the wrong name, and taken afresh at the end of the run).
    other_text = (
        SEED_TEXT.replace("id: aan-als-2024", "id: aan-als-2025")
        .replace("supersedes: aan-als-2009", "supersedes: null")
        .replace("previous_version_date: 2009-10-13", "previous_version_date: null")
    )
    folder = write_corpus(
        tmp_path / "lineage",
        {
            "aan-als-2024.md": SEED_TEXT,
            "aan-als-2009.md": PREDECESSOR_TEXT,
            "aan-als-2025.md": other_text,
        },
    )
    other = folder / "aan-als-2025.md"
    monkeypatch.chdir(folder)
    assert cached(".")[0] in (0, 1)
    corpus_pass = engine.check_corpus

    def edit_then_check_corpus(*args: object, **kwargs: object) -> object:
        # Another file now claims to supersede the named file. (Claiming its predecessor too,
        # as this test once did, is a split now, which the lineage rules accept.)
        other.write_text(other_text.replace("supersedes: null", "supersedes: aan-als-2024"))
        return corpus_pass(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "check_corpus", edit_then_check_corpus)
    cached("aan-als-2024.md")
    monkeypatch.setattr(engine, "check_corpus", corpus_pass)
    truth = fresh("aan-als-2024.md")
    assert truth[0] == 1
    assert cached("aan-als-2024.md") == truth


def test_a_file_edited_while_it_is_checked_is_not_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_corpus(tmp_path / "one", {"aan-als-2024.md": SEED_TEXT})
    target = folder / "aan-als-2024.md"
    monkeypatch.chdir(folder)
    check = files.check_file
    edits: list[int] = []

    def check_then_edit(*args: object, **kwargs: object) -> files.FileResult:
        result = check(*args, **kwargs)  # type: ignore[arg-type]
        if not edits:
            edits.append(1)
            target.write_text(SEED_TEXT.replace("## Scope", "## Scoped", 1), "utf-8")
        return result

    patch_check_file(monkeypatch, check_then_edit)
    cached("-j", "1", ".")
    patch_check_file(monkeypatch, check)
    truth = fresh(".")
    assert "GL501" in truth[1]
    assert cached(".") == truth
