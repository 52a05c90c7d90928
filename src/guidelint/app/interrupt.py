"""Ctrl-C, said the same way by the launcher (while starting) and by the command line.

Kept apart from cli.py so that the launcher can answer an early Ctrl-C without importing click.
"""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a program stopped by Ctrl-C


def say_interrupted() -> None:
    """Ctrl-C: one line, no traceback. On a terminal, the ^C echoed is closed first."""
    start = "\n" if sys.stderr.isatty() else ""
    sys.stderr.write(f"{start}guidelint: interrupted\n")
    sys.stderr.flush()
