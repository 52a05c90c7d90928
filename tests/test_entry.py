"""The program's entry point: `--version` answered before click is imported, and the same."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import run_cli, run_process


def test_version_is_what_the_click_command_says() -> None:
    assert run_process("--version").stdout == run_cli("--version").stdout
    assert run_process("--version").exit_code == 0


def test_version_imports_neither_click_nor_the_engine() -> None:
    probe = (
        "import sys; sys.argv = ['guidelint', '--version']\n"
        "from guidelint.launcher import main; main()\n"
        "heavy = {'click', 'guidelint.app.cli', 'guidelint.engine.run', 'yaml'}\n"
        "heavy &= set(sys.modules)\n"
        "assert not heavy, heavy"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("guidelint, version ")


def test_everything_else_reaches_the_click_command() -> None:
    assert "Usage: guidelint" in run_process("--help").stdout
    assert run_process("rule", "GL201").stdout.startswith("# not-a-calendar-date (GL201)")
    unknown = run_process("--no-such-option")
    assert unknown.exit_code == 2
    assert "No such option" in unknown.stderr
