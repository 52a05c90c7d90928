"""A `guidelint --fix` killed while writing leaves every file either old or new, never cut short.

The child process is the real command, slowed down so that the kill lands while files are being
written: every write pauses before it is synced, half-way through its bytes, and the test kills
the process with SIGKILL as soon as the first file has its new content.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SEED_TEXT, TODAY

FILES = 100
CHILD = """
import os, sys, time

real_fdopen = os.fdopen


class Slow:
    # A stream that writes half its bytes, pauses, then writes the rest.
    def __init__(self, stream):
        self.stream = stream

    def write(self, data):
        half = len(data) // 2
        self.stream.write(data[:half])
        self.stream.flush()
        time.sleep(0.05)
        return self.stream.write(data[half:])

    def __getattr__(self, name):
        return getattr(self.stream, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.stream.__exit__(*exc)


def slow_fdopen(*args, **kwargs):
    return Slow(real_fdopen(*args, **kwargs))


os.fdopen = slow_fdopen
from guidelint.app.cli import main

sys.argv = ["guidelint", *sys.argv[1:]]
main()
"""


def old_and_new(index: int) -> tuple[bytes, bytes]:
    text = SEED_TEXT.replace("aan-als-2024", f"aan-als{index}-2024")
    old = text.replace("country: United States", "country: NO")
    new = text.replace("country: United States", 'country: "NO"')
    return old.encode("utf-8"), new.encode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_mid_write_every_file_is_old_or_new(tmp_path: Path) -> None:
    files = [tmp_path / f"aan-als{i}-2024.md" for i in range(FILES)]
    for index, file in enumerate(files):
        file.write_bytes(old_and_new(index)[0])
    args = ["--fix", "--isolated", "--no-cache", "--today", TODAY, str(tmp_path)]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], env=env, cwd=tmp_path)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if any(file.read_bytes() == old_and_new(i)[1] for i, file in enumerate(files)):
                break
            assert child.poll() is None, "guidelint finished before it could be killed"
            time.sleep(0.005)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(10)
    states = []
    for index, file in enumerate(files):
        old, new = old_and_new(index)
        data = file.read_bytes()
        assert data in (old, new), f"{file.name} is neither old nor new: {len(data)} bytes"
        states.append(data == new)
    assert any(states) and not all(states), "the kill did not land in the middle of writing"
    # What is left of the write in progress is a hidden temporary file, never a guideline.
    leftovers = [p.name for p in tmp_path.iterdir() if p not in files]
    assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers)


def test_a_finished_fix_writes_every_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    files = [tmp_path / f"aan-als{i}-2024.md" for i in range(3)]
    for index, file in enumerate(files):
        file.write_bytes(old_and_new(index)[0])
    args = ["--fix", "--isolated", "--no-cache", "--today", TODAY, str(tmp_path)]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert [file.read_bytes() for file in files] == [old_and_new(i)[1] for i in range(3)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.name for f in files)
