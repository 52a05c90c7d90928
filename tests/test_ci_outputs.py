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


def _repository_with_a_broken_guideline(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)  # a git work tree's top, as git itself finds it
    folder = repo / "guidelines"
    folder.mkdir()
    text = (REPO / "seeds" / "aan-als-2024.md").read_text("utf-8")
    (folder / "aan-als-2024.md").write_text(text.replace("current", "currnt"), "utf-8")
    return folder


def test_machine_formats_name_files_from_the_repository_root_when_run_in_a_subfolder(
    tmp_path: Path,
) -> None:
    folder = _repository_with_a_broken_guideline(tmp_path)
    repo = folder.parent

    github = run_process("--today", TODAY, "aan-als-2024.md", "--format", "github", cwd=folder)
    assert github.exit_code == 1
    assert github.stdout.startswith("::error file=guidelines/aan-als-2024.md,line=23,col=9,")

    gitlab = run_process("--today", TODAY, "aan-als-2024.md", "--format", "gitlab", cwd=folder)
    assert {issue["location"]["path"] for issue in json.loads(gitlab.stdout)} == {
        "guidelines/aan-als-2024.md"
    }

    sarif = json.loads(run_process("--today", TODAY, ".", "--format", "sarif", cwd=folder).stdout)
    run = sarif["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    locations = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in run["results"]
        for location in result["locations"]
    }
    assert locations == {"guidelines/aan-als-2024.md"}

    junit = run_process("--today", TODAY, "aan-als-2024.md", "--format", "junit", cwd=folder)
    assert 'file="guidelines/aan-als-2024.md"' in junit.stdout

    # People read paths from where they are.
    text = run_process("--today", TODAY, "aan-als-2024.md", cwd=folder)
    assert text.stdout.startswith("aan-als-2024.md:23:9: GL104")


def test_machine_formats_from_the_root_and_from_outside_agree(tmp_path: Path) -> None:
    folder = _repository_with_a_broken_guideline(tmp_path)
    inside = run_process("--today", TODAY, "guidelines", "--format", "github", cwd=folder.parent)
    assert inside.stdout.startswith("::error file=guidelines/aan-als-2024.md,")
    outside = run_process("--today", TODAY, folder, "--format", "github", cwd=tmp_path)
    # Run above the repository, outside any git work tree: the current folder is the root.
    assert outside.stdout.startswith("::error file=repo/guidelines/aan-als-2024.md,")
