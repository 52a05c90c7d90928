"""Rule documentation comes from the rules' docstrings: the commands and docs/rules.md."""

from __future__ import annotations

import json

from guidelint.app.ruledocs import render_markdown
from guidelint.rules.registry import ALL_RULES
from tests.conftest import REPO, run_cli, run_process


def test_docs_rules_md_is_generated_from_the_docstrings() -> None:
    committed = (REPO / "docs" / "rules.md").read_text("utf-8")
    assert committed == render_markdown(), (
        "docs/rules.md is out of date; regenerate it with "
        "'guidelint rules --format markdown > docs/rules.md'"
    )


def test_docs_page_has_a_section_per_rule_with_the_docstring_headings_demoted() -> None:
    page = render_markdown()
    for rule in ALL_RULES:
        assert f"## {rule.name} ({rule.code})" in page
        assert f"[{rule.code}](#{rule.name}-{rule.code.lower()})" in page
    assert "\n### What it does\n" in page and "\n## What it does\n" not in page


def test_rule_prints_what_why_and_examples() -> None:
    result = run_process("rule", "GL201", cwd=REPO)
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("# not-a-calendar-date (GL201)\n")
    for section in ("## What it does", "## Why is this bad?", "## Example", "Use instead"):
        assert section in text
    assert "publication_date: 2023-02-29" in text


def test_rule_accepts_lowercase_and_suggests_the_closest_code() -> None:
    assert run_cli("rule", "gl201").exit_code == 0
    unknown = run_cli("rule", "GL21")
    assert unknown.exit_code == 2
    assert "GL21 is not a rule code (did you mean 'GL201'?)" in unknown.stderr


def test_rule_as_json() -> None:
    row = json.loads(run_cli("rule", "GL504", "--format", "json").stdout)
    assert row["code"] == "GL504" and row["severity"] == "error" and row["fix"] == "none"
    assert "## What it does" in row["explanation"]


def test_rules_lists_every_code_with_name_severity_and_fix() -> None:
    lines = run_cli("rules").stdout.splitlines()
    assert [line.split()[0] for line in lines] == [rule.code for rule in ALL_RULES]
    gl206 = next(line for line in lines if line.startswith("GL206"))
    assert gl206.split()[1:4] == ["review-overdue", "warning", "none"]
    rows = json.loads(run_cli("rules", "--format", "json").stdout)
    assert {row["code"] for row in rows} == {rule.code for rule in ALL_RULES}


def test_checking_stays_the_main_command() -> None:
    assert run_process("seeds", cwd=REPO).stdout.startswith("All checks passed")
    assert run_process("check", "seeds", cwd=REPO).exit_code == 0
    help_text = run_process("--help", cwd=REPO).stdout
    assert help_text.startswith("Usage: guidelint [OPTIONS] [PATHS]...")
    assert "rule " in help_text and "rules " in help_text and "--format" in help_text
