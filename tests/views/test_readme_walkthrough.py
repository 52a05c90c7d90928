"""From the README alone: start a guideline, publish a new version of another, and see the
corpus's reviews and lineages in a browser, with guidelint clean after every step."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

from tests.browser import chromium
from tests.conftest import REPO, run_process

README = (REPO / "README.md").read_text("utf-8")
EDITING = README[README.index("## Editing the corpus") : README.index("## The corpus at a glance")]
GLANCE = README[README.index("## The corpus at a glance") : README.index("## Speed")]
TODAY = "2026-12-03"


def commands(section: str) -> list[list[str]]:
    """The guidelint commands of a section's sh blocks, without comments and redirections."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "guidelint" and ">>" not in words:
                found.append(words[1:])
    return found


def fill_in(file: Path) -> None:
    """What the editor does after `guidelint new`: the values and sections the check asks for."""
    text = file.read_text("utf-8")
    for key, value in {
        "title": '"AAN Guideline: Myasthenia Gravis"',
        "organization": "American Academy of Neurology",
        "country": "United States",
        "url": "https://www.aan.com/Guidelines/",
        "specialty": "neurology",
        "guideline_type": "clinical-practice",
        "evidence_system": "aan-grade",
        "conditions": "[Myasthenia Gravis]",
    }.items():
        text = re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", text, count=1)
    text = text.replace("## Scope\n", "## Scope\n\nAdults with myasthenia gravis.\n")
    text += "\n- Test for acetylcholine receptor antibodies.\n"
    file.write_text(text, "utf-8")


def check(folder: Path) -> None:
    result = run_process("--today", TODAY, cwd=folder)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Found 0 errors" in result.stdout or "All checks passed" in result.stdout


def test_the_walkthrough(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "seeds", project / "seeds")
    shutil.copy(REPO / "pyproject.toml", project / "pyproject.toml")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    check(project)
    steps = commands(EDITING)
    assert [step[0] for step in steps] == [
        "new",
        "supersede",
        "publish",
        "amend",
        "withdraw",
        "reaffirm",
    ]
    new, supersede, publish = steps[:3]
    result = run_process(*new, "--today", TODAY, cwd=project)
    assert result.exit_code == 0, result.stderr
    fill_in(project / "seeds" / f"{new[1]}.md")
    check(project)
    for step in (supersede, publish):
        result = run_process(*step, "--today", TODAY, cwd=project)
        assert result.exit_code == 0, result.stderr
        check(project)
    assert "superseded_by: aan-als-2027" in (project / "seeds" / "aan-als-2024.md").read_text()
    page_command = next(c for c in commands(GLANCE) if "html" in c)
    result = run_process(*page_command, "--today", TODAY, cwd=project)
    assert result.exit_code == 0, result.stderr
    page = project / page_command[page_command.index("-o") + 1]
    with chromium() as browser:
        browser.get(page.as_uri())
        assert browser.find_element("id", "overdue-heading").text.startswith("Reviews overdue")
        nodes = browser.find_elements("css selector", "#lineage-timeline circle.version")
        assert sorted(n.get_attribute("data-id") for n in nodes) == [
            "aan-als-2024",
            "aan-als-2027",
            "aan-mg-2026",
        ]
        assert [e for e in browser.get_log("browser") if e["level"] != "INFO"] == []
