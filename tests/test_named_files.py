"""Files named alone (as pre-commit names them) get what a run over the whole corpus says.

A run that names files reads the rest of the corpus for the lineage pass: from the cache, only
each file's links, and in full only the versions linked to a named file. Whatever it reads, it
must report about a named file exactly what a run over the whole corpus reports.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from benchmarks.generate import generate
from tests.conftest import TODAY, run_cli

Row = tuple[str, int, int, str, str]


def _value(text: str, key: str) -> str:
    match = re.search(rf"^{key}: (.*)$", text, re.MULTILINE)
    assert match, key
    return match.group(1)


def _set(path: Path, key: str, value: str) -> None:
    text = path.read_text("utf-8")
    path.write_text(re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M), "utf-8")


def _single(value: str) -> bool:
    return value != "null" and not value.startswith("[")


def break_lineages(corpus: Path) -> list[Path]:
    """One of each kind of lineage problem, in different lineages; the files changed."""
    chains: dict[str, Path] = {}  # newest version of each lineage of three or more
    for path in sorted(corpus.glob("*.md")):
        text = path.read_text("utf-8")
        # Chains of single ids: a merge's list of predecessors is not one file's name.
        if _value(text, "status") == "current" and _single(_value(text, "supersedes")):
            older = corpus / f"{_value(text, 'supersedes')}.md"
            if _single(_value(older.read_text("utf-8"), "supersedes")):
                chains[path.name] = path
    newest = list(chains.values())[:6]
    assert len(newest) == 6, "the generated corpus has too few long lineages"
    touched = []

    def older_of(path: Path) -> Path:
        return corpus / f"{_value(path.read_text('utf-8'), 'supersedes')}.md"

    # GL402 and GL403: the middle version names a successor that does not exist.
    middle = older_of(newest[0])
    _set(middle, "superseded_by", "aan-nowhere-2020")
    touched.append(middle)
    # GL403 from the newer side: the newest no longer names what it supersedes.
    _set(newest[1], "supersedes", "null")
    _set(newest[1], "previous_version_date", "null")
    touched.append(newest[1])
    # GL405 (and GL301): an old version is marked current again.
    _set(older_of(newest[2]), "status", "current")
    touched.append(older_of(newest[2]))
    # GL404: the oldest of three supersedes the newest.
    oldest = older_of(older_of(newest[3]))
    _set(oldest, "supersedes", _value(newest[3].read_text("utf-8"), "id"))
    touched.append(oldest)
    # GL406: the newest's previous_version_date is not its predecessor's publication_date.
    _set(newest[4], "previous_version_date", "1990-01-01")
    touched.append(newest[4])
    # GL401: a copy of a version under another file name.
    copy = corpus / "copy-of-a-version.md"
    shutil.copy(older_of(newest[5]), copy)
    touched.append(copy)
    return touched


def rows(*args: str | Path) -> set[Row]:
    result = run_cli("--today", TODAY, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    return {
        (
            str(r["path"]),
            int(str(r["line"])),
            int(str(r["column"])),
            str(r["code"]),
            str(r["message"]),
        )
        for r in result.json()
    }


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    corpus = tmp_path_factory.mktemp("named") / "corpus"
    generate(corpus, 400, defect_rate=0.05, seed=23)
    (corpus / "guidelint.toml").write_text("# the corpus root\n", "utf-8")
    return corpus, break_lineages(corpus)


@pytest.mark.parametrize("cache", ["--no-cache", "cold", "warm"])
def test_a_named_file_gets_what_the_whole_corpus_run_says_of_it(
    broken: tuple[Path, list[Path]], cache: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, touched = broken
    monkeypatch.chdir(corpus)
    whole = rows("--no-cache", ".")
    codes = {row[3] for row in whole}
    assert {"GL401", "GL402", "GL403", "GL404", "GL405", "GL406"} <= codes
    cache_args = ["--no-cache"] if cache == "--no-cache" else ["--cache-dir", str(tmp_path)]
    if cache == "warm":
        rows(*cache_args, ".")
    neighbours = sorted(corpus.glob("*.md"))[::37]  # and some files nothing happened to
    for path in [*touched, *neighbours]:
        named = rows(*cache_args, path.name)
        about_it = {row for row in whole if row[0] == path.name}
        assert {row for row in named if row[0] == path.name} == about_it, path.name
        assert named <= whole, path.name  # problems shown in other files are true ones too
    changed = touched[0]  # edited since the cache was filled: its new links are used
    _set(changed, "superseded_by", "null")
    try:
        expected = {row for row in rows("--no-cache", ".") if row[0] == changed.name}
        named = rows(*cache_args, changed.name)
        assert {row for row in named if row[0] == changed.name} == expected
    finally:
        _set(changed, "superseded_by", "aan-nowhere-2020")
