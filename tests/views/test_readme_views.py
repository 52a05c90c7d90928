"""The README's graph and report examples are what guidelint prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.conftest import REPO, run_cli, run_process

README = (REPO / "README.md").read_text("utf-8")
SECTION = README[README.index("## The corpus at a glance") : README.index("## Speed")]


def test_the_mermaid_graph_is_what_guidelint_draws() -> None:
    (shown,) = re.findall(r"```mermaid\n(.*?)```", SECTION, re.DOTALL)
    result = run_cli("graph", REPO / "tests" / "fixtures" / "views" / "nice-epilepsy")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == shown


def test_every_report_command_runs(tmp_path: Path) -> None:
    (block,) = re.findall(r"```sh\n(guidelint report.*?)```", SECTION, re.DOTALL)
    summary = tmp_path / "summary.md"
    for line in block.splitlines():
        command = shlex.split(line.split("#")[0].replace('>> "$GITHUB_STEP_SUMMARY"', ""))
        command = [str(tmp_path / part) if part.startswith("report/") else part for part in command]
        result = run_process(*command[1:], cwd=REPO)
        assert result.exit_code == 0, (line, result.stderr)
        if "--format markdown" in line:
            summary.write_text(result.stdout, "utf-8")
    assert summary.read_text("utf-8").startswith("## Guideline corpus report\n")
    assert (tmp_path / "report" / "index.html").read_text("utf-8").startswith("<!DOCTYPE html>")
