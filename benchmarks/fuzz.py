"""The long fuzz run: at least 10,000 generated and mutated guideline files through guidelint.

    .venv/bin/python benchmarks/fuzz.py --inputs 10000 [--seed 1] [--max-minutes 30]

Each example is one to three files (see tests/fuzz/strategies.py), linted several ways (given
order, again, shuffled, as a folder, and every tenth example through a cold and a warm cache)
with every invariant of tests/fuzz/harness.py checked. It prints the number of examples and
files fuzzed and the failures found, each with the shortest input Hypothesis could find, and
exits 1 if there was any. The quick profile of the same checks runs in the test suite
(tests/fuzz/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.fuzz.harness import check_files
from tests.fuzz.strategies import corpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="examples to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-minutes", type=float, default=30.0)
    args = parser.parse_args()
    counts = {"examples": 0, "files": 0, "bytes": 0, "diagnostics": 0}
    deadline = time.monotonic() + args.max_minutes * 60
    started = time.monotonic()

    @seed(args.seed)
    @settings(
        max_examples=args.inputs,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=True,
    )
    @given(corpus)
    def fuzz(files: dict[str, bytes]) -> None:
        if time.monotonic() > deadline:
            return
        counts["examples"] += 1
        counts["files"] += len(files)
        counts["bytes"] += sum(map(len, files.values()))
        rng = random.Random(counts["examples"])
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "corpus"
            folder.mkdir()
            cache = Path(tmp) / "cache" if counts["examples"] % 10 == 0 else None
            outcome = check_files(folder, files, rng, cache)
        counts["diagnostics"] += len(outcome.rows)

    failed = False
    try:
        fuzz()
    except BaseException as exc:  # report, then exit 1
        if isinstance(exc, KeyboardInterrupt):
            raise
        failed = True
        # Hypothesis adds the shortest failing input as notes; several bugs come as a group.
        for failure in getattr(exc, "exceptions", [exc]):
            print(f"FAILED: {type(failure).__name__}: {str(failure)[:3000]}", file=sys.stderr)
            for note in getattr(failure, "__notes__", []):
                print(f"  {note[:3000]}", file=sys.stderr)
    elapsed = time.monotonic() - started
    print(
        f"examples fuzzed: {counts['examples']} ({counts['files']} files, "
        f"{counts['bytes'] / 1e6:.1f} MB, {counts['diagnostics']} diagnostics) "
        f"in {elapsed:.0f} s; failures: {'yes' if failed else 'none'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
