"""Source excerpts in text output: read from the file checked, never waiting on a FIFO."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEED_TEXT, TODAY

ANSI = re.compile(rb"\x1b\[[0-9;]*m")


def run(folder: Path, *args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "guidelint",
            "--today",
            TODAY,
            "--no-cache",
            "--color",
            "always",
            *args,
        ],
        cwd=folder,
        capture_output=True,
        timeout=60,  # a read of the FIFO would wait for ever
    )


def test_a_fifo_named_md_is_reported_with_colour_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    done = run(tmp_path, "pipe.md")
    assert done.returncode == 1
    assert b"GL012" in done.stdout


def test_a_file_whose_name_is_not_utf8_gets_its_excerpt(tmp_path: Path) -> None:
    broken = SEED_TEXT.replace("country: United States", "country: NO")
    (tmp_path / os.fsdecode(b"caf\xe9.md")).write_text(broken, "utf-8")
    done = run(tmp_path, ".")
    assert done.returncode == 1
    shown = ANSI.sub(b"", done.stdout)
    assert b"caf\\xe9.md:6:10: GL103" in shown  # the name as shown
    assert b"6 | country: NO" in shown  # the line, read from the real file
