"""Everyday YAML mistakes get a message in plain words, at the line where the mistake is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, TODAY, run_cli

FOLDER = FIXTURES / "yaml-mistakes"

EXPECTED = [
    (
        "colon.md",  # status:current
        23,
        7,
        "GL006",
        "put a space after the colon: 'status: current', not 'status:current'",
    ),
    (
        "quote.md",  # title: "AAN Practice ... Sclerosis   (no closing quote)
        3,
        8,
        "GL006",
        'the quote " opened at 3:8 (the value of title) is never closed; end the value with " '
        "on the same line",
    ),
    (
        "curly.md",  # title: “Diagnosis: adults”
        3,
        8,
        "GL006",
        "the value of title is in typographic quotes (\u201c \u201d), which YAML does not read as "
        'quotes; use straight quotes: title: "Diagnosis: adults"',
    ),
    (
        "noclose-rule.md",  # the closing --- deleted; a thematic break '---' further down
        29,
        1,
        "GL006",
        "the closing '---' of the metadata is probably missing after line 28: add a line '---' "
        "there; the text below it, from the heading '## Scope' on, was read as metadata",
    ),
    (
        "noclose.md",  # the closing --- deleted, and no other
        1,
        1,
        "GL005",
        "front matter opened here is never closed; add a line '---' after the metadata (after "
        "line 28, before the heading '## Scope')",
    ),
    (
        "tab.md",  # a tab before '- ALS'
        13,
        1,
        "GL006",
        "this line is indented with a tab, and YAML allows only spaces: replace the tab, indent "
        "with spaces (two for a list item)",
    ),
    (
        "dash.md",  # -ALS
        13,
        3,
        "GL006",
        "put a space after the dash of a list item: '- ALS', not '-ALS'",
    ),
    (
        "at.md",
        4,
        14,
        "GL006",
        "a YAML value cannot start with '@'; put the whole value in quotes: short_title: \"@ALS\"",
    ),
    (
        "tick.md",
        4,
        14,
        "GL006",
        "a YAML value cannot start with a backtick (`); put the whole value in quotes: "
        'short_title: "`ALS`"',
    ),
    (
        "pct.md",
        4,
        14,
        "GL006",
        "a YAML value cannot start with '%'; put the whole value in quotes: short_title: \"%ALS\"",
    ),
]


@pytest.mark.parametrize(("name", "line", "column", "code", "message"), EXPECTED)
def test_the_mistake_is_named_where_it_was_made(
    name: str, line: int, column: int, code: str, message: str
) -> None:
    result = run_cli("--no-cache", "--today", TODAY, "--format", "json", FOLDER / name)
    assert result.exit_code == 1
    rows = [(r["line"], r["column"], r["code"], r["message"]) for r in result.json()]
    # One problem: the body read as metadata is not judged as a body (no false GL501).
    assert rows == [(line, column, code, message)]


def test_every_fixture_is_listed() -> None:
    assert {name for name, *_ in EXPECTED} == {p.name for p in FOLDER.glob("*.md")}


def test_typographic_quotes_are_mended_by_fix(tmp_path: Path) -> None:
    target = tmp_path / "aan-als-2024.md"
    shutil.copy(FOLDER / "curly.md", target)
    (tmp_path / "guidelint.toml").write_text("", "utf-8")
    result = run_cli("--no-cache", "--today", TODAY, "--fix", "--select", "GL006", target)
    assert result.exit_code == 0, result.stdout
    assert 'title: "Diagnosis: adults"\n' in target.read_text("utf-8")


def test_a_curly_quoted_value_whose_straight_form_would_not_parse_gets_no_fix(
    tmp_path: Path,
) -> None:
    text = (FOLDER / "curly.md").read_text("utf-8")
    broken = text.replace("short_title:", "short_title: [", 1)  # a second mistake below it
    target = tmp_path / "aan-als-2024.md"
    target.write_text(broken, "utf-8")
    rows = run_cli("--no-cache", "--format", "json", target).json()
    assert [row["code"] for row in rows] == ["GL006"]
    fixed = run_cli("--no-cache", "--fix", target)
    assert target.read_text("utf-8") == broken, fixed.stdout
