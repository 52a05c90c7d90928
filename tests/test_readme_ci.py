"""The README's CI examples work: the workflow's shape, and its commands' reports on a corpus."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from tests.conftest import PREDECESSOR_TEXT, REPO, SEED_TEXT, TODAY, run_process
from tests.package_downloads import npm_file
from tests.reporters.test_formats import SARIF_SCHEMA, junit_schema

README = (REPO / "README.md").read_text("utf-8")
CI = README[README.index("## CI\n") : README.index("## Development\n")]
GITLAB_FIELDS = {"description", "check_name", "fingerprint", "severity", "location"}


def snippets() -> list[Any]:
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", CI, re.DOTALL)]


def github_workflow() -> dict[str, Any]:
    [workflow] = [s for s in snippets() if "jobs" in s]
    return dict(workflow)


def gitlab_job() -> dict[str, Any]:
    [job] = [s["guidelint"] for s in snippets() if "guidelint" in s]
    return dict(job)


def repository(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "guidelines"
    folder.mkdir()
    (folder / "aan-als-2024.md").write_text(SEED_TEXT, "utf-8")
    # A one-sided link and an unknown status in the older version.
    old = PREDECESSOR_TEXT.replace("superseded_by: aan-als-2024", "superseded_by: null")
    (folder / "aan-als-2009.md").write_text(old.replace("status: superseded", "status: old"))
    return tmp_path


def run_step(command: str, repo: Path) -> int:
    words = shlex.split(command.split(">>")[0])
    assert words[0] == "guidelint"
    result = run_process("--today", TODAY, *words[1:], cwd=repo, env={"GITHUB_ACTIONS": "true"})
    assert "Traceback" not in result.stderr
    return result.exit_code


def test_the_github_workflow_has_every_step_a_new_user_needs() -> None:
    workflow = github_workflow()
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["guidelint"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert "github/codeql-action/upload-sarif" in uses
    runs = [step["run"] for step in steps if "run" in step]
    assert runs[0] == "pip install guidelint"
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action"))
    sarif_step = next(run for run in runs if "--format sarif" in run)
    assert upload["with"]["sarif_file"] in sarif_step


def test_the_github_workflow_commands_give_annotations_and_valid_sarif(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    runs = [
        step["run"] for step in github_workflow()["jobs"]["guidelint"]["steps"] if "run" in step
    ]
    codes = [run_step(run, repo) for run in runs[1:]]
    assert codes == [1, 0, 0]  # the check fails the job; the reports do not
    log = json.loads((repo / "guidelint.sarif").read_text("utf-8"))
    jsonschema.Draft4Validator(json.loads(npm_file(*SARIF_SCHEMA))).validate(log)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in log["runs"][0]["results"]
        for loc in result["locations"]
    }
    assert uris == {"guidelines/aan-als-2009.md", "guidelines/aan-als-2024.md"}


def test_the_gitlab_job_writes_the_reports_it_declares(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    job = gitlab_job()
    reports = job["artifacts"]["reports"]
    codes = [run_step(line, repo) for line in job["script"][1:]]
    assert codes == [0, 1]
    issues = json.loads((repo / reports["codequality"]).read_text("utf-8"))
    assert issues and all(set(issue) >= GITLAB_FIELDS for issue in issues)
    for issue in issues:
        assert issue["location"]["path"] in {
            "guidelines/aan-als-2009.md",
            "guidelines/aan-als-2024.md",
        }
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    junit_schema().validate((repo / reports["junit"]).read_text("utf-8"))
