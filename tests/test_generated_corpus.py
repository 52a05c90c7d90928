"""Thousands of seed-shaped files, a defect in a tenth: every defect found, nothing else."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from benchmarks.generate import generate
from tests.conftest import TODAY, run_cli


def test_every_injected_defect_is_found_and_untouched_files_are_clean(tmp_path: Path) -> None:
    injected = generate(tmp_path, 2500, defect_rate=0.1, seed=11)
    assert 200 < len(injected) < 300
    texts = [path.read_text("utf-8") for path in tmp_path.glob("*.md")]
    # The shapes of history of issue 15 are exercised: merges, splits, amendments, drafts.
    assert any(t.count("\nsupersedes: [") for t in texts)
    assert any(t.count("\nsuperseded_by: [") for t in texts)
    assert any("\namends: [" in t for t in texts)
    assert any("\nstatus: draft\n" in t for t in texts)
    assert {"GL005", "GL006"} & set(injected.values())  # isolating defects were exercised
    result = run_cli("--format", "json", "--today", TODAY, tmp_path)
    errors: dict[str, set[str]] = defaultdict(set)
    for row in result.json():
        if row["severity"] == "error":
            errors[Path(str(row["path"])).name].add(str(row["code"]))
    missed = {name: code for name, code in injected.items() if code not in errors.get(name, ())}
    assert missed == {}
    untouched_with_errors = {name: codes for name, codes in errors.items() if name not in injected}
    assert untouched_with_errors == {}
    extra = {
        n: c - {injected[n]} for n, c in errors.items() if n in injected and c != {injected[n]}
    }
    assert extra == {}
