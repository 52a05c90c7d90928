"""The explicit list of every rule guidelint has."""

from __future__ import annotations

from functools import cache

from guidelint.rules import dates, headings, lifecycle, lineage, reading, schema, suppression
from guidelint.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    *reading.RULES,
    *schema.RULES,
    *dates.RULES,
    *lifecycle.RULES,
    *lineage.RULES,
    *headings.RULES,
    *suppression.RULES,
)


@cache
def rules_by_code() -> dict[str, Rule]:
    return {rule.code: rule for rule in ALL_RULES}


class UnknownSelector(ValueError):
    pass


def select_codes(select: list[str] | None, ignore: list[str] | None) -> frozenset[str]:
    """Codes enabled by `select` (default: all) minus `ignore`, by code or prefix (GL2, GL20)."""
    codes = list(rules_by_code())

    def expand(selectors: list[str]) -> set[str]:
        chosen: set[str] = set()
        for selector in selectors:
            wanted = selector.strip().upper()
            if wanted == "ALL":
                matched = set(codes)
            else:
                matched = {code for code in codes if code.startswith(wanted)}
            if not wanted or not matched:
                raise UnknownSelector(selector)
            chosen |= matched
        return chosen

    # Opt-in rules (Rule.default False, such as key order) run only when selected.
    enabled = expand(select) if select else {c for c in codes if rules_by_code()[c].default}
    if ignore:
        enabled -= expand(ignore)
    return frozenset(enabled)
