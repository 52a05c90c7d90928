"""Each editing command through the real command line on a generated corpus that has merges,
splits, focused updates and drafted successors: the corpus is clean before and after each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.generate import generate
from tests.conftest import run_process

TODAY = "2026-12-03"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated") / "corpus"
    generate(folder, 300, seed=7)
    (folder / "guidelint.toml").write_text("", "utf-8")
    return folder


def guidelint(folder: Path, *args: str) -> None:
    result = run_process(*args, "--corpus", folder, "--today", TODAY, cwd=folder)
    assert result.exit_code == 0, result.stdout + result.stderr


def assert_clean(folder: Path) -> None:
    result = run_process("--today", TODAY, "--format", "json", folder, cwd=folder)
    errors = [d for d in json.loads(result.stdout) if d["severity"] == "error"]
    assert errors == []


def lineages(folder: Path) -> list[dict[str, object]]:
    result = run_process("graph", "--format", "json", folder, cwd=folder)
    assert result.exit_code == 0, result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)["lineages"]
    return found


def test_every_command_on_a_generated_corpus(corpus: Path) -> None:
    assert_clean(corpus)
    every = lineages(corpus)
    edges = [e for lineage in every for e in lineage["edges"]]  # type: ignore[attr-defined]
    kinds = {(e["kind"], e["state"]) for e in edges}
    assert {("supersedes", "ok"), ("amends", "ok"), ("supersedes", "draft")} <= kinds
    status = {v["id"]: v["status"] for lineage in every for v in lineage["versions"]}  # type: ignore[attr-defined]
    linked = {e["older"] for e in edges} | {e["newer"] for e in edges}
    alone = sorted(i for i, s in status.items() if s == "current" and i not in linked)
    drafts = sorted(e["newer"] for e in edges if e["state"] == "draft")
    amended = sorted(e["older"] for e in edges if e["kind"] == "amends")

    guidelint(corpus, "publish", drafts[0])  # a drafted successor the generator made
    assert_clean(corpus)
    guidelint(corpus, "supersede", alone[0], "gen-merged-2026", alone[1])  # a merge
    guidelint(corpus, "publish", "gen-merged-2026")
    assert_clean(corpus)
    for successor in ("gen-split-a-2026", "gen-split-b-2026"):  # a split
        guidelint(corpus, "supersede", alone[2], successor)
    for successor in ("gen-split-a-2026", "gen-split-b-2026"):
        guidelint(corpus, "publish", successor)
    assert_clean(corpus)
    guidelint(corpus, "amend", amended[0], "gen-update-2026")  # a second focused update
    guidelint(corpus, "publish", "gen-update-2026")
    assert_clean(corpus)
    guidelint(corpus, "withdraw", amended[0], "--reason", "outdated")
    guidelint(corpus, "reaffirm", alone[3])
    assert_clean(corpus)
    after = {v["id"]: v["status"] for lineage in lineages(corpus) for v in lineage["versions"]}  # type: ignore[attr-defined]
    assert after[alone[0]] == after[alone[1]] == after[alone[2]] == "superseded"
    assert after["gen-split-a-2026"] == after["gen-split-b-2026"] == "current"
    assert after[amended[0]] == after["gen-update-2026"] == "withdrawn"
