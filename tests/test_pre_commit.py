"""The published hook under real pre-commit, installed from this checkout with try-repo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


def test_hook_refuses_a_broken_guideline_and_passes_a_clean_one(tmp_path: Path) -> None:
    repo = tmp_path / "guidelines"
    (repo / "seeds").mkdir(parents=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "editor@example.org")
    git(repo, "config", "user.name", "Editor")
    seed = (REPO / "seeds" / "aan-als-2024.md").read_text("utf-8")
    target = repo / "seeds" / "aan-als-2024.md"
    target.write_text(seed.replace("status: current", "status: currnt"), "utf-8")
    git(repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PRE_COMMIT_COLOR": "never"}

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*PRE_COMMIT, "try-repo", str(REPO), "guidelint", "--files", "seeds/aan-als-2024.md"],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
            check=False,
        )

    broken = try_repo()
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert (
        "seeds/aan-als-2024.md:23:9: GL104 status 'currnt' is not a known value "
        "(did you mean 'current'?)" in broken.stdout
    )

    target.write_text(seed, "utf-8")
    git(repo, "add", "-A")
    clean = try_repo()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "guidelint" in clean.stdout and "Passed" in clean.stdout
