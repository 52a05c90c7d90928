"""Every rule: its failing fixture is reported exactly where expected; its passing one is clean."""

from __future__ import annotations

import pytest

from guidelint.rules.registry import ALL_RULES
from tests.conftest import FIXTURES, found, run_cli
from tests.rules.expectations import FAILING, PASSING

# Reported for conditions that fixtures cannot hold; tested in tests/rules/test_special.py.
# GL108 is off unless selected; tests/test_fix.py checks its fixtures (test_key_order_fixtures).
SPECIAL = {"GL011", "GL012", "GL100", "GL108"}


@pytest.mark.parametrize("code", sorted(FAILING))
def test_failing_fixture_is_reported_at_its_line_and_column(code: str) -> None:
    fixture, expected = FAILING[code]
    assert found(FIXTURES / fixture) == expected


@pytest.mark.parametrize("code", sorted(FAILING))
def test_failing_fixture_passes_when_its_rule_is_ignored(code: str) -> None:
    """Without the rule the fixture's own diagnostic is gone: the fixture tests this rule."""
    fixture, expected = FAILING[code]
    result = run_cli(
        "--today", "2026-11-24", "--format", "json", "--ignore", code, FIXTURES / fixture
    )
    assert code not in {row["code"] for row in result.json()}
    assert any(c == code for _, c, _, _ in expected)


@pytest.mark.parametrize("code", sorted(PASSING))
def test_passing_fixture_is_clean(code: str) -> None:
    assert found(FIXTURES / PASSING[code]) == set()


def test_every_rule_has_fixtures() -> None:
    codes = {rule.code for rule in ALL_RULES}
    assert codes - SPECIAL == set(FAILING)
    assert codes - SPECIAL == set(PASSING)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_every_rule_is_documented(rule: object) -> None:
    from guidelint.rules.base import Rule

    assert isinstance(rule, Rule)
    assert rule.summary and rule.summary.endswith(".")
    for section in ("## What it does", "## Why is this bad?", "## Example"):
        assert section in rule.doc, f"{rule.code} docstring lacks {section!r}"
    assert "Use instead" in rule.doc
