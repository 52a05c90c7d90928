"""Every output format on the same two files: one clean, one with errors and a warning.

Snapshots hold the exact output; run with UPDATE_SNAPSHOTS=1 to rewrite them after an
intended change, and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from guidelint import __version__
from tests.conftest import FIXTURES, REPO, TODAY, run_cli, run_process
from tests.registry import npm_file

TARGET = FIXTURES / "reporters"
SNAPSHOTS = Path(__file__).parent / "snapshots"
SARIF_SCHEMA = (
    "@microsoft/jest-sarif",
    "1.0.0-beta.0",
    "sha512-A1fOhPd6Ic5iDk4F9YPw1qNB4XF+7+IviR7xl8r2F6QzQkx5cpY9LsGk2rExiFIEcBbjpVnSmwWGBukASkiQ9A==",
    "package/lib/schemas/sarif-2.1.0-rtm.5.json",
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def output(*args: str) -> str:
    result = run_cli("--today", TODAY, *args, TARGET)
    assert result.exit_code == 1, result.stdout + result.stderr
    # The SARIF log names the working folder and the version; neither belongs in a snapshot.
    return result.stdout.replace(REPO.as_uri(), "file:///REPO").replace(__version__, "VERSION")


def assert_snapshot(name: str, text: str) -> None:
    snapshot = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(text, "utf-8")
    assert text == snapshot.read_text("utf-8"), f"{name} changed; UPDATE_SNAPSHOTS=1 rewrites it"


@pytest.mark.parametrize(
    ("output_format", "snapshot"),
    [
        ("text", "text.txt"),
        ("json", "json.json"),
        ("github", "github.txt"),
        ("sarif", "sarif.json"),
        ("junit", "junit.xml"),
        ("gitlab", "gitlab.json"),
    ],
)
def test_format_snapshot(output_format: str, snapshot: str) -> None:
    assert_snapshot(snapshot, output("--format", output_format))


def test_sarif_is_valid_against_the_official_schema() -> None:
    schema = json.loads(npm_file(*SARIF_SCHEMA))
    log = json.loads(output("--format", "sarif"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len({rule["id"] for rule in rules}) == len(rules)  # one entry per code
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert "## What it does" in rule["help"]["markdown"]
    levels = {(r["ruleId"], r["level"]) for r in run["results"]}
    assert ("GL308", "warning") in levels and ("GL104", "error") in levels


def test_sarif_with_no_problems_is_valid_too() -> None:
    schema = json.loads(npm_file(*SARIF_SCHEMA))
    result = run_cli("--today", TODAY, "--format", "sarif", TARGET / "clean-2024.md")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["runs"][0]["results"] == []


def test_github_escapes_what_would_end_a_property_or_the_message() -> None:
    lines = output("--format", "github").splitlines()
    status = next(line for line in lines if "title=GL104" in line)
    # '%', ',' and ':' in the value would otherwise be read as workflow-command syntax.
    assert "status '100%25, final: yes' is not a known value" in status
    assert status.startswith("::error file=tests/fixtures/reporters/mixed-2024.md,line=23,col=9,")
    assert any(line.startswith("::warning ") and "title=GL308" in line for line in lines)


def test_github_is_the_default_on_github_actions() -> None:
    env = {"GITHUB_ACTIONS": "true"}
    result = run_process("--today", TODAY, TARGET, cwd=REPO, env=env)
    assert result.exit_code == 1
    assert result.stdout.startswith("::warning file=tests/fixtures/reporters/mixed-2024.md,line=2,")
    chosen = run_process("--today", TODAY, "--format", "text", TARGET, cwd=REPO, env=env)
    assert chosen.stdout.startswith("tests/fixtures/reporters/mixed-2024.md:2:5: GL308")


def test_junit_counts_a_case_per_problem_and_one_per_clean_file() -> None:
    root = ET.fromstring(output("--format", "junit"))
    assert root.attrib["tests"] == "5" and root.attrib["failures"] == "4"
    suites = {suite.attrib["name"]: suite for suite in root}
    clean = suites["tests/fixtures/reporters/clean-2024.md"]
    assert [case.find("failure") for case in clean] == [None]
    failures = [case.find("failure") for case in suites["tests/fixtures/reporters/mixed-2024.md"]]
    assert [f.attrib["type"] for f in failures if f is not None] == [
        "GL308",
        "GL104",
        "GL505",
        "GL504",
    ]


def test_gitlab_fingerprints_are_unique_and_stable_when_lines_move(tmp_path: Path) -> None:
    issues = json.loads(output("--format", "gitlab"))
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert {issue["severity"] for issue in issues} == {"major", "minor"}
    moved = tmp_path / "mixed-2024.md"
    text = (TARGET / "mixed-2024.md").read_text("utf-8")
    moved.write_text(text.replace("## Scope\n", "Intro.\n\n## Scope\n", 1), "utf-8")
    again = run_cli("--today", TODAY, "--format", "gitlab", moved)
    later = {i["check_name"]: i for i in json.loads(again.stdout)}
    before = {i["check_name"]: i for i in issues}
    assert (
        later["GL504"]["location"]["lines"]["begin"]
        == before["GL504"]["location"]["lines"]["begin"] + 2
    )
    # The path differs here, so compare fingerprints of a file at the same path instead:
    assert len({i["fingerprint"] for i in later.values()}) == len(later)


def test_text_on_a_terminal_has_colour_and_an_excerpt_under_each_problem() -> None:
    coloured = output("--color", "always")
    assert "\x1b[" in coloured
    plain = ANSI.sub("", coloured)
    assert "tests/fixtures/reporters/mixed-2024.md:23:9: GL104 status '100%, final: yes'" in plain
    assert '23 | status: "100%, final: yes"\n   |         ^^^^^^^^^^^^^^^^^^\n' in plain


def test_text_piped_is_plain_one_line_per_problem() -> None:
    result = run_process("--today", TODAY, TARGET, cwd=REPO)
    assert "\x1b[" not in result.stdout
    assert len(result.stdout.splitlines()) == 5  # four problems and the summary


def test_no_color_is_respected_on_a_terminal_too() -> None:
    assert "\x1b[" not in output("--color", "never")


def test_output_file_gets_the_report_and_the_screen_stays_empty(tmp_path: Path) -> None:
    report = tmp_path / "report.sarif"
    result = run_cli("--today", TODAY, "--format", "sarif", "-o", report, TARGET)
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(report.read_text("utf-8"))["version"] == "2.1.0"


def test_statistics_counts_each_code() -> None:
    text = output("--statistics")
    assert text.splitlines()[0].split("\t")[:3] == ["1", "GL104", "unknown-vocabulary-value"]
    assert text.splitlines()[-1] == "Found 4 problems in 2 files."
    rows = json.loads(output("--statistics", "--format", "json"))
    assert {row["code"]: row["count"] for row in rows} == {
        "GL104": 1,
        "GL308": 1,
        "GL504": 1,
        "GL505": 1,
    }


def test_exit_zero_and_quiet() -> None:
    result = run_cli("--today", TODAY, "--exit-zero", "--quiet", TARGET)
    assert result.exit_code == 0
    assert "Found" not in result.stdout and result.stdout.count("\n") == 4
    clean = run_cli("--today", TODAY, "--quiet", TARGET / "clean-2024.md")
    assert clean.exit_code == 0 and clean.stdout == ""


def test_an_output_file_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    result = run_process("seeds", "-o", tmp_path / "missing" / "report.txt", cwd=REPO)
    assert result.exit_code == 2
    assert "Could not open file" in result.stderr and "Traceback" not in result.stderr
