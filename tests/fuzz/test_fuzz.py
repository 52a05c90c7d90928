"""The quick fuzz profile (issue 7); `benchmarks/fuzz.py` is the long run of the same checks.

Invariants (tests/fuzz/harness.py): no exception escapes, exit code 0 or 1, the JSON output
parses, every diagnostic lies inside its file, the same output twice, in any file order, as a
folder and through the cache, and no file changes.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from tests.conftest import TODAY, run_process
from tests.fuzz.harness import (
    SEED,
    InvariantBroken,
    check_files,
    check_positions,
    file_lines,
    lint,
    snapshot,
)
from tests.fuzz.strategies import corpus

QUICK = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@QUICK
@given(corpus)
def test_generated_and_mutated_files_keep_every_invariant(files: dict[str, bytes]) -> None:
    rng = random.Random(repr(sorted(files.items())))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        # Every fifth example also goes through a cold and a warm cache.
        cache = Path(tmp) / "cache" if rng.random() < 0.2 else None
        check_files(folder, files, rng, cache)


def test_the_seed_truncated_at_every_offset(tmp_path: Path) -> None:
    """All 2,363 prefixes of the seed at once: in-process, and in a real process with worker
    processes (the parallel path), which must agree with each other and with themselves."""
    folder = tmp_path / "cut"
    folder.mkdir()
    texts = {}
    for offset in range(len(SEED)):
        name = f"cut-{offset:05d}.md"
        texts[str(folder / name)] = file_lines(SEED[:offset])
        (folder / name).write_bytes(SEED[:offset])
    before = snapshot(folder)
    files = sorted(folder.iterdir())
    outcome = lint(files)
    for row in outcome.rows:
        check_positions(row, texts[row["path"]])
    assert {row["path"] for row in outcome.rows} == set(texts)  # each prefix has a problem
    reversed_run = lint(files[::-1])
    parallel = run_process(
        "--format", "json", "--isolated", "--no-cache", "--today", TODAY, "--jobs", "2", folder
    )
    assert parallel.exit_code == 1, parallel.stderr
    if reversed_run.stdout != outcome.stdout or parallel.stdout != outcome.stdout:
        raise InvariantBroken("the same files gave different output")
    assert snapshot(folder) == before
