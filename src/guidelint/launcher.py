"""The `guidelint` program: answers `--version` at once, hands everything else to cli.py.

Importing click takes three times as long as starting Python, and `guidelint --version` is how
tools and scripts probe for the program, so that one question is answered before any import.
The answer is the one click's version option gives (a test holds them equal).
"""

from __future__ import annotations

import sys

from guidelint import __version__
from guidelint.app.interrupt import EXIT_INTERRUPTED, say_interrupted


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
