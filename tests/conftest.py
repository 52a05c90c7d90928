from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from guidelint.app.cli import cli

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
TODAY = "2026-11-24"
SEED_TEXT = (REPO / "seeds" / "aan-als-2024.md").read_text("utf-8")
# The seed's predecessor, linked both ways with the seed.
PREDECESSOR_TEXT = (
    SEED_TEXT.replace("id: aan-als-2024", "id: aan-als-2009")
    .replace("publication_date: 2024-06-01", "publication_date: 2009-10-13")
    .replace("previous_version_date: 2009-10-13", "previous_version_date: null")
    .replace("status: current", "status: superseded")
    .replace("supersedes: aan-als-2009", "supersedes: null")
    .replace("superseded_by: null", "superseded_by: aan-als-2024")
    .replace("last_reviewed: 2025-01-01", "last_reviewed: 2012-01-01")
)


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = json.loads(self.stdout)
        return rows


def write_corpus(folder: Path, files: dict[str, str]) -> Path:
    """A corpus folder with a configuration of its own (so it is the corpus root): `files`,
    by name, with their texts."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "guidelint.toml").write_text("", "utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    return folder


def run_cli(*args: str | Path) -> CliResult:
    """Run the command in-process through click."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


def run_process(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> CliResult:
    """Run the installed program as a real subprocess."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "guidelint", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def found(path: Path) -> set[tuple[str, str, int, int]]:
    """(file name relative to `path`, code, line, column) of every diagnostic for `path`."""
    result = run_cli("--today", TODAY, "--format", "json", path)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    base = path if path.is_dir() else path.parent
    out = set()
    for row in result.json():
        # abspath, not resolve(): symlinked files keep the name they were found by.
        absolute = Path(os.path.abspath(str(row["path"])))  # noqa: PTH100
        name = absolute.relative_to(os.path.abspath(base)).as_posix()  # noqa: PTH100
        out.add((name, str(row["code"]), int(str(row["line"])), int(str(row["column"]))))
    return out


@pytest.fixture(autouse=True, scope="session")
def _no_real_user_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A user cache folder for the session (platformdirs reads XDG_CACHE_HOME), in place before
    any fixture copies the environment for the processes it starts (test_pre_commit's is
    module-wide): the machine's real one is never written."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("session-user-cache")))
        patch.delenv("GUIDELINT_CACHE_DIR", raising=False)
        yield


@pytest.fixture(autouse=True)
def _user_cache_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """And one of each test's own, inherited by the processes it starts: no test sees the
    cache or the secret key another test made."""
    folder = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True)
def _run_in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    # The suite runs on GitHub Actions too, where this would switch the default format.
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
