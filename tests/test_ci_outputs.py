"""What CI consumers get: --statistics only where it has a form; a word when nothing is found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO, TODAY, run_cli, run_process


@pytest.mark.parametrize("output_format", ["github", "sarif", "junit", "gitlab"])
def test_statistics_with_a_format_that_lists_problems_is_a_usage_error(
    output_format: str, tmp_path: Path
) -> None:
    report = tmp_path / "report.out"
    result = run_process("--statistics", "--format", output_format, "-o", report, "seeds", cwd=REPO)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"--statistics cannot be combined with --format {output_format}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not report.exists()  # no text table in a SARIF, JUnit or GitLab file


def test_statistics_as_json_and_as_text_still_work() -> None:
    as_json = run_cli("--today", TODAY, "--statistics", "--format", "json", "seeds")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout) == []
    as_text = run_cli("--today", TODAY, "--statistics", "seeds")
    assert as_text.exit_code == 0


def test_statistics_on_github_actions_is_the_text_table(tmp_path: Path) -> None:
    broken = tmp_path / "aan-als-2024.md"
    broken.write_text(
        (REPO / "seeds" / "aan-als-2024.md").read_text("utf-8").replace("current", "currnt"),
        "utf-8",
    )
    result = run_process(
        "--today", TODAY, "--statistics", broken, cwd=REPO, env={"GITHUB_ACTIONS": "true"}
    )
    assert result.exit_code == 1
    assert "GL104" in result.stdout and "::error" not in result.stdout


def test_a_folder_without_guidelines_says_so_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a guideline", "utf-8")
    result = run_process(tmp_path, cwd=REPO)
    assert result.exit_code == 0
    assert f"guidelint: warning: no guideline files found in {tmp_path}" in result.stderr
    found = run_process("seeds", cwd=REPO)
    assert "warning" not in found.stderr
