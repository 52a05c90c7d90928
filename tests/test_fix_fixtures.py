"""Before and after, as files: tests/fixtures/fix/<case>/before becomes <case>/after with --fix.

Each case is a folder of guideline files as they were (`before/`) and as `--fix` must leave
them (`after/`), byte for byte; `args.txt` holds extra options, one a line. The `after/`
files are a fixed point: fixing them again changes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, TODAY, run_cli

CASES = sorted(path.name for path in (FIXTURES / "fix").iterdir() if path.is_dir())


def options(case: Path) -> list[str]:
    args = case / "args.txt"
    return args.read_text("utf-8").split() if args.exists() else []


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.md"))}


@pytest.mark.parametrize("name", CASES)
def test_fix_turns_before_into_after(tmp_path: Path, name: str) -> None:
    case = FIXTURES / "fix" / name
    work = tmp_path / "guidelines"
    shutil.copytree(case / "before", work)
    args = ["--today", TODAY, "--isolated", "--no-cache", *options(case)]
    run_cli(*args, "--fix", work)
    assert files(work) == files(case / "after")
    diff = run_cli(*args, "--diff", work)
    assert (diff.exit_code, diff.stdout) == (0, "")


def test_every_case_changes_something_or_says_why_not() -> None:
    for name in CASES:
        case = FIXTURES / "fix" / name
        unchanged = files(case / "before") == files(case / "after")
        assert unchanged == name.endswith("-safe-only"), name
