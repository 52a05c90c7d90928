"""Run guidelint on generated files and check what every run must keep, whatever the input.

The invariants (issue 7):

* no exception escapes and the exit code is 0 or 1 (2 would be an internal error);
* the JSON output parses, as an array of objects with exactly the documented keys, and the
  other formats (text with colour and excerpts, github, sarif, junit, gitlab) do not crash
  and parse where they are machine-readable;
* every diagnostic names one of the files and lies inside it (see `check_positions`);
* the same files give the same output twice, in any order, with or without the cache;
* no checked file changes; and on a copy, `--fix --unsafe-fixes` settles: run again, it
  changes nothing and reports what a plain check does;
* no run of a few small files takes more than `MAX_SECONDS`.

The quick profile in the test suite and `benchmarks/fuzz.py` (the long run) share this module.
"""

from __future__ import annotations

import json
import os
import random
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from click.testing import CliRunner, Result

from guidelint.app.cli import cli

REPO = Path(__file__).resolve().parent.parent.parent
SEED = (REPO / "seeds" / "aan-als-2024.md").read_bytes()
TODAY = "2026-11-24"
KEYS = ("path", "line", "column", "end_line", "end_column", "code", "severity", "message")
Row = dict[str, Any]
# A run on a few small files taking longer than this is a hang in the making (on a busy
# two-core machine a normal one takes milliseconds).
MAX_SECONDS = 20


class InvariantBroken(AssertionError):
    pass


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    rows: list[Row]


def _exited_cleanly(result: Result, label: str) -> None:
    """No exception escaped the command, and it exited 0 or 1."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        raise InvariantBroken(f"exception escaped {label}:\n{trace}")
    if result.exit_code not in (0, 1):
        raise InvariantBroken(f"{label}: exit code {result.exit_code}\n{result.stderr}")


def lint(paths: Sequence[Path], cache_dir: Path | None = None, *options: str) -> Outcome:
    """guidelint --format json on `paths`, in-process; raises InvariantBroken on a crash."""
    args = ["--format", "json", "--isolated", "--today", TODAY, "--jobs", "1", *options]
    args += ["--cache-dir", str(cache_dir)] if cache_dir else ["--no-cache"]
    start = time.monotonic()
    try:
        result = CliRunner().invoke(cli, [*args, *map(str, paths)], catch_exceptions=True)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a Rust panic is a BaseException: it escapes `except Exception`
        trace = "".join(traceback.format_exception(exc))
        raise InvariantBroken(f"{type(exc).__name__} escaped guidelint:\n{trace}") from exc
    if time.monotonic() - start > MAX_SECONDS:
        raise InvariantBroken(f"a run took {time.monotonic() - start:.0f} s: {paths}")
    _exited_cleanly(result, "guidelint")
    try:
        rows = json.loads(result.stdout)
    except ValueError as exc:
        raise InvariantBroken(f"output is not JSON ({exc}):\n{result.stdout[:2000]}") from exc
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise InvariantBroken(f"output is not an array of objects:\n{result.stdout[:2000]}")
    for row in rows:
        if tuple(row) != KEYS:
            raise InvariantBroken(f"keys {tuple(row)} are not {KEYS}")
    has_error = any(row["severity"] == "error" for row in rows)
    if result.exit_code != (1 if has_error else 0):
        raise InvariantBroken(f"exit code {result.exit_code} with errors={has_error}")
    return Outcome(result.exit_code, result.stdout, rows)


def shown(path: Path) -> str:
    """A path as reports show it: bytes that are not UTF-8 escaped as \\xe9."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


OTHER_FORMATS = ("text", "github", "sarif", "junit", "gitlab")


def lint_other_format(paths: Sequence[Path], output_format: str) -> str:
    """Another output format (text with colour and source excerpts): it must not crash, must
    exit as the JSON run did, and what is machine-readable must parse."""
    args = ["--format", output_format, "--isolated", "--today", TODAY, "--no-cache"]
    args += ["--color", "always"] if output_format == "text" else []
    try:
        result = CliRunner().invoke(cli, [*args, *map(str, paths)], catch_exceptions=True)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:
        trace = "".join(traceback.format_exception(exc))
        message = f"{type(exc).__name__} escaped --format {output_format}:\n{trace}"
        raise InvariantBroken(message) from exc
    _exited_cleanly(result, f"--format {output_format}")
    try:
        if output_format in ("sarif", "gitlab"):
            json.loads(result.stdout)
        elif output_format == "junit":
            ElementTree.fromstring(result.stdout)
    except (ValueError, ElementTree.ParseError) as exc:
        raise InvariantBroken(f"--format {output_format} does not parse: {exc}") from exc
    return result.stdout


def file_lines(data: bytes) -> list[str]:
    """The file's lines as guidelint counts them, columns in code points.

    UTF-8 (a byte order mark is not a column), undecodable bytes one column each, line ends
    `\\n`, `\\r\\n` or `\\r`. The text after the last line end is a line too, empty when the
    file ends with a line end: a diagnostic may point at the end of the file.
    """
    text = data.decode("utf-8-sig", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def check_positions(row: Row, lines: list[str]) -> None:
    """A diagnostic lies inside its file.

    Lines are 1-based, at most the number of lines in `file_lines`. A column is 1-based and at
    most one past the last character of its line: that position is the line end. The end is
    exclusive, not before the start, and at most one past the last character of its line (a
    span covering a line's last character ends there) -- except for a point, a span one
    column wide, placed at a line end (on an empty line, say): it covers the line break, so
    it ends one column further.
    """
    line, column, end_line, end_column = (
        row["line"],
        row["column"],
        row["end_line"],
        row["end_column"],
    )
    numbers = (line, column, end_line, end_column)
    problem = None
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        problem = "positions are not whole numbers"
    elif not 1 <= line <= len(lines) or not 1 <= end_line <= len(lines):
        problem = f"line outside 1..{len(lines)}"
    elif not 1 <= column <= len(lines[line - 1]) + 1:
        problem = f"column outside 1..{len(lines[line - 1]) + 1}"
    elif not 1 <= end_column <= len(lines[end_line - 1]) + 1 + _is_line_end_point(row, lines):
        problem = f"end column outside 1..{len(lines[end_line - 1]) + 1}"
    elif (end_line, end_column) < (line, column):
        problem = "end before start"
    if problem:
        shown = lines[line - 1][:200] if isinstance(line, int) and 1 <= line <= len(lines) else ""
        raise InvariantBroken(f"{problem}: {row} (line text {shown!r})")


def _is_line_end_point(row: Row, lines: list[str]) -> bool:
    line, column = row["line"], row["column"]
    return bool(
        row["end_line"] == line
        and row["end_column"] == column + 1
        and column == len(lines[line - 1]) + 1
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under `folder`: contents, modification time and mode."""
    out = {}
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(dirpath) / name
            try:
                info = path.lstat()
                data = b"" if path.is_symlink() else path.read_bytes()
            except OSError:
                continue
            out[str(path.relative_to(folder))] = (data, info.st_mtime_ns, info.st_mode)
    return out


def check_files(
    folder: Path, files: dict[str, bytes], rng: random.Random, cache_dir: Path | None = None
) -> Outcome:
    """Write `files` into the empty `folder`, lint them several ways, check every invariant.

    Runs: the files in the given order, the same again, a shuffled order, and the folder
    itself; with `cache_dir`, also a cold and a warm run through the cache. All must agree.
    One other output format is tried, and for about a third of the examples `--fix` on a copy.
    """
    for name, data in files.items():
        (folder / name).write_bytes(data)
    before = snapshot(folder)
    paths = [folder / name for name in files]
    first = lint(paths)
    lines = {shown(folder / name): file_lines(data) for name, data in files.items()}
    for row in first.rows:
        if row["path"] not in lines:
            raise InvariantBroken(f"diagnostic for a file not checked: {row}")
        check_positions(row, lines[row["path"]])
    shuffled = paths[:]
    rng.shuffle(shuffled)
    runs = {"again": lint(paths), "shuffled": lint(shuffled), "folder": lint([folder])}
    if cache_dir is not None:
        runs["cache cold"] = lint(paths, cache_dir)
        runs["cache warm"] = lint(shuffled, cache_dir)
    lint_other_format(shuffled, rng.choice(OTHER_FORMATS))
    for how, outcome in runs.items():
        if outcome.stdout != first.stdout:
            raise InvariantBroken(f"output differs ({how}):\n{first.stdout}\n---\n{outcome.stdout}")
    if rng.random() < 0.3:
        check_fix(folder.parent / "fixed", files)
    after = snapshot(folder)
    if after != before:
        changed = sorted(
            set(before) ^ set(after) | {k for k in before if before[k] != after.get(k)}
        )
        raise InvariantBroken(f"files changed by a run: {changed}")
    return first


def check_fix(folder: Path, files: dict[str, bytes]) -> None:
    """`--fix --unsafe-fixes` on a copy: no crash, and the fixes settle.

    A second `--fix` changes no file, and reports what a plain check of the fixed files does.
    """
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    paths = sorted(folder / name for name in files)
    lint(paths, None, "--fix", "--unsafe-fixes")
    fixed = snapshot(folder)
    again = lint(paths, None, "--fix", "--unsafe-fixes")
    if snapshot(folder) != fixed:
        changed = sorted(k for k in fixed if snapshot(folder).get(k) != fixed[k])
        raise InvariantBroken(f"a second --fix changed files again: {changed}")
    plain = lint(paths)
    if again.stdout != plain.stdout:
        raise InvariantBroken(
            f"--fix with nothing to fix reports otherwise:\n{again.stdout}\n---\n{plain.stdout}"
        )
