"""Rule documentation, rendered from each rule's docstring: `guidelint rule`, `guidelint rules`
and docs/rules.md all come from here, so they cannot drift from the code (as in ruff).

Shown through guidelint.core.safe_text like every text output, so that a rule added by a plugin or
a careless edit cannot put a control character on the reader's terminal either."""

from __future__ import annotations

from guidelint.core.safe_text import shown, shown_lines
from guidelint.rules.base import Rule
from guidelint.rules.registry import ALL_RULES

# Where docs/rules.md is published: each rule's section there is its documentation's address
# (the language server links every diagnostic to it).
RULES_PAGE = "https://github.com/guidelint/guidelint/blob/main/docs/rules.md"

STAGES = {
    "read": "reading the file",
    "file": "each file",
    "corpus": "the whole corpus",
    "suppression": "suppression comments",
}


def anchor(rule: Rule) -> str:
    """The rule's section in docs/rules.md, as its heading `## name (CODE)` is linked."""
    return f"{rule.name}-{rule.code.lower()}"


def rule_url(rule: Rule) -> str:
    return f"{RULES_PAGE}#{anchor(rule)}"


def fix_label(rule: Rule) -> str:
    return rule.fix or "none"


def render_rule(rule: Rule, level: int = 1) -> str:
    """A rule's page: its name and code, its defaults, then its docstring."""
    head = "#" * level
    facts = (
        f"Default severity: {rule.severity.value}. Fix: {fix_label(rule)}. "
        f"Checked on {STAGES[rule.stage]}."
    )
    page = f"{head} {rule.name} ({rule.code})\n\n{facts}\n\n{_demote(rule.doc, level - 1)}\n"
    return shown_lines(page)


def _demote(doc: str, levels: int) -> str:
    """Push the docstring's own headings down, leaving code blocks alone."""
    if levels == 0:
        return doc
    lines = []
    fenced = False
    for line in doc.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            line = "#" * levels + line
        lines.append(line)
    return "\n".join(lines)


def rule_table() -> list[tuple[str, str, str, str, str]]:
    return [
        (rule.code, shown(rule.name), rule.severity.value, fix_label(rule), shown(rule.summary))
        for rule in ALL_RULES
    ]


def render_markdown() -> str:
    """docs/rules.md."""
    rows = "\n".join(
        f"| [{rule.code}](#{anchor(rule)}) | {shown(rule.name)} | {rule.severity.value} | "
        f"{fix_label(rule)} | {shown(rule.summary)} |"
        for rule in ALL_RULES
    )
    pages = "\n".join(render_rule(rule, level=2) for rule in ALL_RULES)
    return (
        "# guidelint rules\n\n"
        "<!-- Generated from the rules' docstrings by `guidelint rules --format markdown`; "
        "do not edit by hand. tests/test_ruledocs.py fails when this file drifts. -->\n\n"
        "| Code | Name | Severity | Fix | What it checks |\n"
        "|---|---|---|---|---|\n"
        f"{rows}\n\n{pages}"
    )
