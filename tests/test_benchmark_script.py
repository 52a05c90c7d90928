"""benchmarks/run.py runs end to end (on a tiny corpus): the table is there, never a time."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_the_benchmark_prints_every_case_and_ratio(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--n",
            "30",
            "--runs",
            "1",
            "--peers-up-to",
            "0",  # check-jsonschema is not a test dependency
            "--dir",
            str(tmp_path),
            "--markdown",
            str(tmp_path / "RESULTS.md"),
            "--python",
            sys.executable,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    table = (tmp_path / "RESULTS.md").read_text("utf-8")
    assert table == done.stdout
    for case in (
        "guidelint cold (no cache)",
        "guidelint first run (no cache yet; it fills one)",
        "guidelint warm (cache, nothing changed)",
        "pre-commit: one changed file in the corpus",
        "the same file alone in an empty folder",
        "guidelint --version",
        "warm / cold",
        "one changed file in the corpus / the file alone",
        "cold, peak memory (MB)",
    ):
        assert f"| {case} |" in table, case
    assert not (REPO / "benchmarks" / "corpus-30").exists()  # corpora stay out of the repository
    assert f"Python {platform.python_version()}." in table  # the Python timed, named


def test_the_python_timed_must_exist(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--python", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "no such program" in done.stderr
