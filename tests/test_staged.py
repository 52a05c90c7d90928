"""`--staged` with real git, outside pre-commit: the commit as the index has it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import PREDECESSOR_TEXT, SEED_TEXT, TODAY, run_process


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def corpus(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "guidelines").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "guidelint.toml").write_text('corpus-root = "guidelines"\n', "utf-8")
    (repo / "guidelines" / "aan-als-2024.md").write_text(SEED_TEXT, "utf-8")
    (repo / "guidelines" / "aan-als-2009.md").write_text(PREDECESSOR_TEXT, "utf-8")
    git(repo, "add", "-A")
    git(repo, "-c", "user.email=e@example.org", "-c", "user.name=E", "commit", "-qm", "corpus")
    return repo


def test_the_staged_text_is_checked_not_the_edit_in_the_folder(tmp_path: Path) -> None:
    repo = corpus(tmp_path)
    seed = repo / "guidelines" / "aan-als-2024.md"
    seed.write_text(SEED_TEXT.replace("status: current", "status: currnt"), "utf-8")
    git(repo, "add", "guidelines/aan-als-2024.md")
    seed.write_text(SEED_TEXT, "utf-8")  # mended in the folder, not staged

    staged = run_process("--today", TODAY, "--staged", cwd=repo)
    assert staged.exit_code == 1, staged.stdout + staged.stderr
    assert "guidelines/aan-als-2024.md:23:9: GL104 status 'currnt'" in staged.stdout
    assert run_process("--today", TODAY, "guidelines", cwd=repo).exit_code == 0


def test_nothing_staged_is_a_clean_quiet_run(tmp_path: Path) -> None:
    repo = corpus(tmp_path)
    staged = run_process("--today", TODAY, "--staged", cwd=repo)
    assert staged.exit_code == 0, staged.stdout + staged.stderr
    assert "warning" not in staged.stderr


def test_a_staged_deletion_reports_the_version_linking_to_it(tmp_path: Path) -> None:
    repo = corpus(tmp_path)
    git(repo, "rm", "-q", "guidelines/aan-als-2024.md")
    staged = run_process("--today", TODAY, "--staged", cwd=repo)
    assert staged.exit_code == 1
    assert "guidelines/aan-als-2009.md:25:16: GL402 " in staged.stdout
    assert "in 1 file." in staged.stdout


def test_staged_outside_a_git_work_tree_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "aan-als-2024.md").write_text(SEED_TEXT, "utf-8")
    result = run_process("--staged", "aan-als-2024.md", cwd=tmp_path)
    assert result.exit_code == 2
    assert "--staged needs a git work tree" in result.stderr
    assert "Traceback" not in result.stderr


def test_staged_with_fix_is_a_usage_error(tmp_path: Path) -> None:
    repo = corpus(tmp_path)
    result = run_process("--staged", "--fix", cwd=repo)
    assert result.exit_code == 2
    assert "--staged checks the commit as staged and cannot be combined with --fix" in (
        result.stderr
    )
