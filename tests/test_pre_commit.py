"""The published hook under real pre-commit, in a temporary guideline repository.

The hook repository is a snapshot of this checkout (tracked and new files, as they are on
disk), committed in a temporary folder, so the test exercises the code under test rather than
the last commit. pre-commit builds the hook's environment once for the module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PREDECESSOR_TEXT, REPO

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
SEED = (REPO / "seeds" / "aan-als-2024.md").read_text("utf-8")
OLD = PREDECESSOR_TEXT


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


@dataclass(frozen=True)
class HookRepo:
    path: Path
    rev: str
    env: dict[str, str]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HookRepo]:
    base = tmp_path_factory.mktemp("hook")
    snapshot = base / "guidelint"
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.stdout.split("\0")):
        source = REPO / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name, follow_symlinks=False)
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "-c", "user.email=t@example.org", "-c", "user.name=T", "commit", "-qm", "hook")
    rev = git(snapshot, "rev-parse", "HEAD").stdout.strip()
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(base / "cache"),
        "PRE_COMMIT_COLOR": "never",
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
    }
    env.pop("GITHUB_ACTIONS", None)
    yield HookRepo(snapshot, rev, env)


def guideline_repo(tmp_path: Path, hook: HookRepo) -> Path:
    repo = tmp_path / "guidelines"
    (repo / "seeds").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook.path}\n    rev: {hook.rev}\n    hooks:\n      - id: guidelint\n",
        "utf-8",
    )
    (repo / "seeds" / "aan-als-2024.md").write_text(SEED, "utf-8")
    (repo / "seeds" / "aan-als-2009.md").write_text(OLD, "utf-8")
    return repo


def run(repo: Path, hook: HookRepo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=repo, capture_output=True, text=True, env=hook.env, timeout=900, check=False
    )


def test_a_commit_with_a_broken_guideline_is_refused_and_a_clean_one_goes_through(
    tmp_path: Path, hook_repo: HookRepo
) -> None:
    repo = guideline_repo(tmp_path, hook_repo)
    installed = run(repo, hook_repo, *PRE_COMMIT, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    target = repo / "seeds" / "aan-als-2024.md"
    target.write_text(SEED.replace("status: current", "status: currnt"), "utf-8")
    git(repo, "add", "-A")

    refused = run(repo, hook_repo, "git", "commit", "-m", "Add ALS guidelines")
    assert refused.returncode != 0, refused.stdout + refused.stderr
    shown = refused.stdout + refused.stderr
    assert (
        "seeds/aan-als-2024.md:23:9: GL104 status 'currnt' is not a known value "
        "(did you mean 'current'?)" in shown
    )
    assert git(repo, "rev-list", "--all").stdout == ""  # nothing was committed

    target.write_text(SEED, "utf-8")
    git(repo, "add", "-A")
    accepted = run(repo, hook_repo, "git", "commit", "-m", "Add ALS guidelines")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "guidelint" in accepted.stdout + accepted.stderr
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"


def test_editing_the_predecessor_alone_still_checks_the_link(
    tmp_path: Path, hook_repo: HookRepo
) -> None:
    repo = guideline_repo(tmp_path, hook_repo)
    git(repo, "add", "-A")
    git(repo, "-c", "core.hooksPath=/dev/null", "commit", "-qm", "Corpus")
    old = repo / "seeds" / "aan-als-2009.md"
    old.write_text(OLD.replace("superseded_by: aan-als-2024", "superseded_by: null"), "utf-8")
    git(repo, "add", "seeds/aan-als-2009.md")  # pre-commit will name this file only

    result = run(repo, hook_repo, *PRE_COMMIT, "try-repo", str(hook_repo.path), "guidelint")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "seeds/aan-als-2009.md:25:16: GL403 seeds/aan-als-2024.md says it supersedes this "
        "guideline; set superseded_by: aan-als-2024" in result.stdout
    )
    assert "seeds/aan-als-2024.md:" not in result.stdout.replace("seeds/aan-als-2024.md says", "")


def documented_repo(tmp_path: Path, hook: HookRepo) -> Path:
    """A guideline repository as the README sets one up: a README, docs, a changelog, and the
    corpus in guidelines/ (corpus-root), with a two-version lineage."""
    repo = tmp_path / "corpus"
    (repo / "guidelines").mkdir(parents=True)
    (repo / "docs").mkdir()
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook.path}\n    rev: {hook.rev}\n    hooks:\n      - id: guidelint\n",
        "utf-8",
    )
    (repo / "guidelint.toml").write_text('corpus-root = "guidelines"\n', "utf-8")
    (repo / "README.md").write_text("# Our guidelines\n\nHow we keep them.\n", "utf-8")
    (repo / "CHANGELOG.md").write_text("# Changes\n", "utf-8")
    (repo / "docs" / "editing.md").write_text("# Editing\n\nStage, then commit.\n", "utf-8")
    (repo / "guidelines" / "aan-als-2024.md").write_text(SEED, "utf-8")
    (repo / "guidelines" / "aan-als-2009.md").write_text(OLD, "utf-8")
    assert run(repo, hook, *PRE_COMMIT, "install").returncode == 0
    return repo


def commit(repo: Path, hook: HookRepo, message: str) -> subprocess.CompletedProcess[str]:
    return run(repo, hook, "git", "commit", "-m", message)


def test_a_successor_that_is_not_staged_does_not_count(tmp_path: Path, hook_repo: HookRepo) -> None:
    repo = documented_repo(tmp_path, hook_repo)
    git(repo, "add", ".pre-commit-config.yaml", "guidelint.toml", "guidelines/aan-als-2009.md")

    refused = commit(repo, hook_repo, "The 2009 version, superseded")
    # A fresh clone would not have aan-als-2024.md: the link names no version of the commit.
    assert refused.returncode != 0, refused.stdout + refused.stderr
    assert "guidelines/aan-als-2009.md:25:16: GL402 " in refused.stdout + refused.stderr
    assert git(repo, "rev-list", "--all").stdout == ""

    git(repo, "add", "guidelines/aan-als-2024.md")
    accepted = commit(repo, hook_repo, "Both versions")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_deleting_a_version_others_link_to_is_refused(tmp_path: Path, hook_repo: HookRepo) -> None:
    repo = documented_repo(tmp_path, hook_repo)
    git(repo, "add", "-A")
    assert commit(repo, hook_repo, "Corpus").returncode == 0
    git(repo, "rm", "-q", "guidelines/aan-als-2024.md")

    refused = commit(repo, hook_repo, "Remove the 2024 version")
    assert refused.returncode != 0, refused.stdout + refused.stderr
    assert "guidelines/aan-als-2009.md:25:16: GL402 " in refused.stdout + refused.stderr
    assert "Skipped" not in refused.stdout + refused.stderr
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"


def test_readme_changelog_and_docs_are_not_guidelines(tmp_path: Path, hook_repo: HookRepo) -> None:
    repo = documented_repo(tmp_path, hook_repo)
    git(repo, "add", "-A")
    assert commit(repo, hook_repo, "Corpus").returncode == 0
    (repo / "README.md").write_text("# Our guidelines\n\nHow we keep them, now clearer.\n", "utf-8")
    (repo / "CHANGELOG.md").write_text("# Changes\n\n- Clearer README.\n", "utf-8")
    (repo / "docs" / "editing.md").write_text("# Editing\n\nStage, check, commit.\n", "utf-8")
    git(repo, "add", "-A")

    accepted = commit(repo, hook_repo, "Documentation")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "GL004" not in accepted.stdout
    # At the top of the repository, the corpus alone is checked.
    whole = subprocess.run(
        [sys.executable, "-m", "guidelint", "."],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert whole.returncode == 0, whole.stdout + whole.stderr
    assert "(2 files checked)" in whole.stdout
