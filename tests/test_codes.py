"""A rule's code is written once. The readers and checks below the rules report with the
constants of guidelint.core.codes, and each rule is defined with its constant; the rule
families above write their codes on their rule objects only."""

from __future__ import annotations

import re

from guidelint.core import codes
from guidelint.rules.registry import rules_by_code
from tests.conftest import REPO

CODE_LITERAL = re.compile(r"[\"']GL\d{3}[\"']")
SOURCE = REPO / "src" / "guidelint"


def constants() -> dict[str, str]:
    return {name: value for name, value in vars(codes).items() if name.isupper()}


def test_each_constant_is_the_code_of_the_rule_it_is_named_after() -> None:
    rules = rules_by_code()
    assert constants()
    for name, code in constants().items():
        assert code in rules, f"{name} = {code!r} is no rule's code"
        assert rules[code].name == name.lower().replace("_", "-"), (name, rules[code].name)


def test_no_code_is_written_as_text_outside_the_rule_families() -> None:
    written = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path.parent.name != "rules" and path != SOURCE / "core" / "codes.py"
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if CODE_LITERAL.search(line)
    ]
    assert written == []


def test_the_rules_the_readers_report_are_defined_with_their_constants() -> None:
    defined_as_text = re.compile(r"(?:file_rule|read_rule|suppression_rule)\(\s*[\"']GL")
    for module in ("reading.py", "suppression.py", "schema.py"):
        text = (SOURCE / "rules" / module).read_text("utf-8")
        assert defined_as_text.findall(text) == [], module
