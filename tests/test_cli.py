"""The command as users run it: through click and as a real subprocess."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, TODAY, run_cli, run_process

JSON_KEYS = {"path", "line", "column", "end_line", "end_column", "code", "severity", "message"}


def test_seeds_are_clean_as_a_subprocess() -> None:
    result = run_process("seeds/", cwd=REPO)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == "All checks passed (1 file checked).\n"


def test_errors_exit_1_with_path_line_column_code_message() -> None:
    result = run_process("--today", TODAY, FIXTURES / "schema" / "gl103-fail.md", cwd=REPO)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "tests/fixtures/schema/gl103-fail.md:6:10: GL103 [*] country must be text, but YAML "
        'reads NO as the yes/no value false; put it in quotes: country: "NO"'
    )
    assert lines[-2:] == ["Found 1 error, 0 warnings in 1 file.", "[*] 1 fixable with `--fix`."]


def test_warnings_alone_exit_0() -> None:
    result = run_cli("--today", TODAY, FIXTURES / "dates" / "gl206-fail.md")
    assert result.exit_code == 0
    assert ": GL206 warning: " in result.stdout
    assert result.stdout.splitlines()[-1] == "Found 0 errors, 1 warning in 1 file."


def test_json_format_is_the_public_contract() -> None:
    result = run_process(
        "--format", "json", "--today", TODAY, FIXTURES / "lineage" / "gl406-fail", cwd=REPO
    )
    assert result.exit_code == 1
    rows = result.json()
    assert rows == [
        {
            "path": "tests/fixtures/lineage/gl406-fail/gl-new-2024.md",
            "line": 22,
            "column": 24,
            "end_line": 22,
            "end_column": 34,
            "code": "GL406",
            "severity": "error",
            "message": "previous_version_date 2009-10-31 differs from the publication_date "
            "2009-10-13 of gl-old-2009; set it to 2009-10-13",
        }
    ]
    assert all(set(row) == JSON_KEYS for row in rows)


def test_json_format_prints_an_empty_array_when_clean() -> None:
    result = run_cli("--format", "json", "seeds")
    assert (result.exit_code, result.json()) == (0, [])


def test_default_path_is_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(FIXTURES / "schema" / "gl104-fail.md", tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run_cli("--today", TODAY)
    assert result.exit_code == 1
    assert result.stdout.startswith("gl104-fail.md:10:18: GL104 ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["does-not-exist"], "does not exist"),
        (["--select", "GL8", "seeds"], "GL8 matches no rule code"),
        (["--today", "2024-02-30", "seeds"], "is not a date written YYYY-MM-DD"),
        (["--format", "xml", "seeds"], "'xml' is not one of"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = run_process(*args, cwd=REPO)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_select_and_ignore_by_code_and_prefix() -> None:
    target = FIXTURES / "lineage" / "gl405-fail"
    codes = lambda *a: {r["code"] for r in run_cli("--format", "json", *a, target).json()}  # noqa: E731
    assert codes() == {"GL301", "GL405"}
    assert codes("--select", "GL4") == {"GL405"}
    assert codes("--select", "GL3,GL4", "--ignore", "GL405") == {"GL301"}
    assert codes("--ignore", "GL301", "--ignore", "gl405") == set()


def test_today_is_injectable() -> None:
    target = FIXTURES / "dates" / "gl204-fail.md"
    assert run_cli("--today", "2026-11-24", target).exit_code == 1
    assert run_cli("--today", "2026-11-25", target).exit_code == 0


def test_version_and_module_entry_point() -> None:
    result = run_process("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("guidelint, version ")


def test_checked_files_are_never_written(tmp_path: Path) -> None:
    for fixture in sorted((FIXTURES / "reading").glob("*.md")):
        shutil.copy(fixture, tmp_path)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert run_process("--today", TODAY, tmp_path).exit_code == 1
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert before == after


def test_a_file_checked_alone_is_linked_against_its_neighbours(tmp_path: Path) -> None:
    """pre-commit passes only staged files: an old version edited alone is still in lineage."""
    for file in (FIXTURES / "lineage" / "clean").glob("*.md"):
        shutil.copy(file, tmp_path)
    old = tmp_path / "gl-old-2009.md"
    assert run_cli("--today", TODAY, old).stdout == "All checks passed (1 file checked).\n"

    # Breaking the link from the old side alone is caught, and reported in the file asked about.
    text = old.read_text("utf-8").replace("superseded_by: gl-new-2024", "superseded_by: null")
    old.write_text(text, "utf-8")
    rows = run_cli("--format", "json", "--today", TODAY, old).json()
    assert {(Path(str(r["path"])).name, r["code"]) for r in rows} == {
        ("gl-old-2009.md", "GL302"),
        ("gl-old-2009.md", "GL403"),
    }


def test_a_command_called_in_process_freezes_nothing(tmp_path: Path) -> None:
    # The program sets what it imported aside from the garbage collector (gc.freeze); the
    # same command called from another program (or these tests) must not, or objects it
    # made would never be collected.
    import gc

    frozen = gc.get_freeze_count()
    assert run_cli("--no-cache", "--today", TODAY, REPO / "seeds").exit_code == 0
    assert gc.get_freeze_count() == frozen
