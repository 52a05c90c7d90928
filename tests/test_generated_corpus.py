"""Thousands of seed-shaped files, a defect in a tenth: every defect found, nothing else."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from benchmarks.generate import generate
from tests.conftest import TODAY, run_cli


def test_every_injected_defect_is_found_and_untouched_files_are_clean(tmp_path: Path) -> None:
    injected = generate(tmp_path, 2500, defect_rate=0.1, seed=11)
    assert 200 < len(injected) < 300
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
