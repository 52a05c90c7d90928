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
import xmlschema

from guidelint import __version__
from tests.conftest import FIXTURES, REPO, TODAY, run_cli, run_process
from tests.package_downloads import npm_file, pypi_sdist_file

TARGET = FIXTURES / "reporters"
SNAPSHOTS = Path(__file__).parent / "snapshots"
SARIF_SCHEMA = (
    "@microsoft/jest-sarif",
    "1.0.0-beta.0",
    "sha512-A1fOhPd6Ic5iDk4F9YPw1qNB4XF+7+IviR7xl8r2F6QzQkx5cpY9LsGk2rExiFIEcBbjpVnSmwWGBukASkiQ9A==",
    "package/lib/schemas/sarif-2.1.0-rtm.5.json",
)
# Jenkins xunit's junit-10.xsd, as pytest ships it in its sources (testing/example_scripts).
JUNIT_SCHEMA = (
    "pytest",
    "8.3.3",
    "70b98107bd648308a7952b06e6ca9a50bc660be218d53c257cc1fc94fda10181",
    "testing/example_scripts/junit-10.xsd",
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
    # Three errors fail; the GL308 warning is a passing case, as the run would pass on it.
    assert root.attrib["tests"] == "5" and root.attrib["failures"] == "3"
    suites = {suite.attrib["name"]: suite for suite in root}
    clean = suites["tests/fixtures/reporters/clean-2024.md"]
    assert [case.find("failure") for case in clean] == [None]
    mixed = suites["tests/fixtures/reporters/mixed-2024.md"]
    assert mixed.attrib["file"] == "tests/fixtures/reporters/mixed-2024.md"
    assert mixed.attrib["failures"] == "3"
    failures = [case.find("failure") for case in mixed]
    assert [f.attrib["type"] for f in failures if f is not None] == ["GL104", "GL505", "GL504"]
    warning = next(case for case in mixed if case.attrib["name"].startswith("GL308"))
    out = warning.find("system-out")
    assert out is not None and out.text is not None
    assert out.text.startswith("warning: tests/fixtures/reporters/mixed-2024.md:2:5: GL308 ")


def junit_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(pypi_sdist_file(*JUNIT_SCHEMA).decode("utf-8"))


@pytest.mark.parametrize("target", ["mixed-2024.md", "clean-2024.md", "."])
def test_junit_is_valid_against_jenkins_junit_10_xsd(target: str) -> None:
    result = run_cli("--today", TODAY, "--format", "junit", TARGET / target)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    junit_schema().validate(result.stdout)


def test_a_junit_report_of_warnings_only_has_no_failures(tmp_path: Path) -> None:
    text = (TARGET / "mixed-2024.md").read_text("utf-8")
    only_warning = tmp_path / "mixed-2024.md"
    only_warning.write_text(text, "utf-8")
    result = run_cli("--today", TODAY, "--format", "junit", "--select", "GL308", only_warning)
    assert result.exit_code == 0, result.stdout
    root = ET.fromstring(result.stdout)
    assert root.attrib["failures"] == "0"
    assert root.find(".//failure") is None
    assert root.find(".//system-out") is not None
    junit_schema().validate(result.stdout)


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


def test_an_output_file_in_a_folder_not_made_yet_makes_the_folder(tmp_path: Path) -> None:
    report = tmp_path / "reports" / "guidelint" / "report.json"
    result = run_process("seeds", "--format", "json", "-o", report, cwd=REPO)
    assert result.exit_code == 0, result.stderr
    assert json.loads(report.read_text("utf-8")) == []


def test_an_output_file_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file where a folder would go", "utf-8")
    result = run_process("seeds", "-o", tmp_path / "taken" / "report.txt", cwd=REPO)
    assert result.exit_code == 2
    assert "Could not open file" in result.stderr and "Traceback" not in result.stderr
