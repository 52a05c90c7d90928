"""The `guidelint` program: answers `--version` at once, hands everything else to cli.py.

Importing click takes three times as long as starting Python, and `guidelint --version` is how
tools and scripts probe for the program, so that one question is answered before any import.
The answer is the one click's version option gives (a test holds them equal).
"""

from __future__ import annotations

import sys

from guidelint import __version__

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a program stopped by Ctrl-C


def main() -> None:
    try:
        if sys.argv[1:] == ["--version"]:
            sys.stdout.write(f"guidelint, version {__version__}\n")
            return
        from guidelint.app.cli import main as run

        run()
    except KeyboardInterrupt:  # while starting, before the command line takes it over
        say_interrupted()
        sys.exit(EXIT_INTERRUPTED)


def say_interrupted() -> None:
    """Ctrl-C: one line, no traceback. On a terminal, the ^C echoed is closed first."""
    start = "\n" if sys.stderr.isatty() else ""
    sys.stderr.write(f"{start}guidelint: interrupted\n")
    sys.stderr.flush()
