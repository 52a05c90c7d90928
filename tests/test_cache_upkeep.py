"""The cache folder stays bounded, and a file read for the lineage pass adds no diagnostics."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guidelint.cache import sealing
from tests.conftest import FIXTURES, PREDECESSOR_TEXT, SEED_TEXT, TODAY, run_cli, write_corpus


def test_other_keys_unused_for_two_days_are_deleted(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "aan-als-2024.md").write_text(SEED_TEXT, "utf-8")
    cache = tmp_path / "cache"

    def run_on(today: str) -> set[str]:
        """Run with the date given (another date is another key); the files made."""
        before = set(cache.iterdir()) if cache.exists() else set()
        run_cli("--today", today, "--cache-dir", cache, tmp_path / "c")
        return {path.name for path in set(cache.iterdir()) - before} - {".gitignore"}

    stale = run_on("2026-01-01")
    assert {Path(name).suffix for name in stale} == {".cache", ".last"}
    recent = run_on("2026-01-02")
    # A temporary file left by a run that was killed: it opens with guidelint's signature.
    secret = sealing.secret_key()
    assert secret is not None
    stray = cache / ".tmp-killed.cache"
    stray.write_bytes(sealing._signature(secret, "cache", "2" * 32) + b"half a line")
    # Files named as guidelint names its files, but not made by it: never deleted.
    foreign = {"0" * 32 + ".cache", ".tmp-other.last"}
    for name in foreign:
        (cache / name).write_text("{}", "utf-8")
    three_days_ago = time.time() - 3 * 24 * 3600
    for name in (*stale, stray.name, *foreign):
        os.utime(cache / name, (three_days_ago, three_days_ago))
    written = run_on(TODAY)
    left = {path.name for path in cache.iterdir() if path.name != ".gitignore"}
    assert not stale & left
    assert stray.name not in left
    assert recent <= left  # another setting in use: kept
    assert foreign <= left
    assert left == recent | foreign | written
    assert {Path(name).suffix for name in written} == {".cache", ".last"}


def test_a_file_read_for_the_lineage_pass_adds_none_of_its_own_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Warm or cold, a neighbour's own problems stay out of a run that names one file."""
    broken = PREDECESSOR_TEXT.replace("country: United States", "country: NO")
    corpus = write_corpus(tmp_path / "c", {"aan-als-2024.md": SEED_TEXT, "aan-als-2009.md": broken})
    cache = tmp_path / "cache"
    whole = run_cli("--today", TODAY, "--format", "json", "--cache-dir", cache, corpus)
    assert {row["code"] for row in whole.json()} == {"GL103"}  # the cache now holds it
    monkeypatch.chdir(corpus)
    for _ in range(2):  # cold for the named file, then warm
        named = run_cli(
            "--today", TODAY, "--format", "json", "--cache-dir", cache, "aan-als-2024.md"
        )
        assert named.exit_code == 0, named.stdout
        assert named.json() == []


def test_an_opt_in_rule_selected_later_is_checked_despite_a_warm_cache(tmp_path: Path) -> None:
    """Opt-in rules run only when selected; their results are kept under their own key."""
    keys_out_of_order = FIXTURES / "schema" / "gl108-fail.md"
    cache = tmp_path / "cache"

    def codes(*select: str) -> set[str]:
        args = ("--today", TODAY, "--format", "json", "--cache-dir", cache, *select)
        return {str(row["code"]) for row in run_cli(*args, keys_out_of_order).json()}

    assert "GL108" not in codes()
    assert "GL108" in codes("--select", "ALL")  # the cache filled above lacks it
    assert "GL108" in codes("--select", "ALL")  # warm
    assert "GL108" not in codes()  # warm, default selection


def test_a_fifo_in_place_of_the_cache_file_is_not_waited_on(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "aan-als-2024.md").write_text(SEED_TEXT, "utf-8")
    cache = tmp_path / "cache"
    args = ("--today", TODAY, "--format", "json", "--cache-dir", cache, tmp_path / "c")
    run_cli(*args)
    [stored] = cache.glob("*.cache")
    stored.unlink()
    os.mkfifo(stored)
    done = subprocess.run(
        [sys.executable, "-m", "guidelint", *map(str, args)], capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
