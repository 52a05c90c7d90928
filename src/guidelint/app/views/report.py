"""`guidelint report`: the corpus for editors and managers.

What there is (counts by organisation, specialty, status and evidence system), what is due
(reviews overdue and due in the next six months, oldest first, with the interval that applies),
and what is wrong (lineages with problems, problems per rule). One `Report` value, written as
text, JSON, Markdown or a self-contained HTML page.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from guidelint.app.views.lineages import Lineage, Version, lineages
from guidelint.core.diagnostic import Diagnostic
from guidelint.core.reviews import review_due as due_date

COUNTED = (
    ("organization", "Organisation"),
    ("specialty", "Specialty"),
    ("status", "Status"),
    ("evidence_system", "Evidence system"),
)
DUE_SOON_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class Review:
    """When a current version's review falls due, and why then."""

    version: Version
    due: date
    basis: str  # what the date is counted from, in words
    interval_years: int | None  # None: the file sets next_review_date itself


# What a review date is counted from, in the report's words.
COUNTED_FROM = {
    "next_review_date": "next_review_date",
    "last_reviewed": "last review",
    "review_history": "last review",
    "publication_date": "publication",
}


def review_due(version: Version, interval_years: int) -> Review | None:
    """When the version's review falls due, as GL206 counts it."""
    found = due_date(
        version.publication_date,
        version.last_reviewed,
        max(version.review_dates, default=None),
        version.next_review_date,
        interval_years,
    )
    if found is None:
        return None
    interval = None if found.counted_from is None else interval_years
    return Review(version, found.due, COUNTED_FROM[found.key], interval)


@dataclass(frozen=True, slots=True)
class RuleCount:
    code: str
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Report:
    today: date
    versions: list[Version]
    counts: dict[str, list[tuple[str, int]]]  # field -> (value, count), most first
    overdue: list[Review]
    due_soon: list[Review]
    lineages: list[Lineage]
    problem_lineages: list[Lineage]
    problems: list[Diagnostic]
    by_rule: list[RuleCount]
    reviews: dict[str, Review]  # a current version's path -> when its review is due
    # A lineage's key -> the lineage rules' findings on its files.
    lineage_findings: dict[str, list[Diagnostic]]


def build_report(
    versions: Sequence[Version],
    problems: Iterable[Diagnostic],
    today: date,
    interval_for: Callable[[str], int],
    rule_names: dict[str, str],
    lineage_codes: frozenset[str],
) -> Report:
    """Everything the report says, worked out once for every output format.

    `interval_for` gives the review interval in years for an organisation; `rule_names` the
    name of each rule code, for the problems per rule; a finding of a rule in `lineage_codes`
    on one of a lineage's files marks the lineage as having problems.
    """
    problems = sorted(problems, key=lambda d: (d.path, d.line, d.column, d.code))
    counts = {
        name: sorted(
            Counter(getattr(v, name) or "(not set)" for v in versions).items(),
            key=lambda item: (-item[1], item[0]),
        )
        for name, _ in COUNTED
    }
    reviews = [
        review
        for v in versions
        if v.status == "current"
        and (review := review_due(v, interval_for(v.organization))) is not None
    ]
    reviews.sort(key=lambda r: (r.due, r.version.id))
    soon = add_months(today, DUE_SOON_MONTHS)
    every_lineage = lineages(versions)
    on_file: dict[str, list[Diagnostic]] = {}
    for d in problems:
        if d.code in lineage_codes:
            on_file.setdefault(d.path, []).append(d)
    findings = {
        lineage.key: [d for v in lineage.versions for d in on_file.get(v.path, [])]
        for lineage in every_lineage
    }
    troubled = [lineage for lineage in every_lineage if lineage.problems or findings[lineage.key]]
    by_rule = Counter(d.code for d in problems)
    return Report(
        today=today,
        versions=sorted(versions, key=lambda v: (v.organization, v.id)),
        counts=counts,
        overdue=[r for r in reviews if r.due < today],
        due_soon=[r for r in reviews if today <= r.due <= soon],
        lineages=every_lineage,
        problem_lineages=troubled,
        problems=problems,
        by_rule=[
            RuleCount(code, rule_names.get(code, ""), count)
            for code, count in sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))
        ],
        reviews={r.version.path: r for r in reviews},
        lineage_findings={key: found for key, found in findings.items() if found},
    )


# Output --------------------------------------------------------------------------------------


def _review_row(review: Review, today: date) -> dict[str, Any]:
    interval = review.interval_years
    return {
        "id": review.version.id,
        "path": review.version.path,
        "line": review.version.line,
        "organization": review.version.organization,
        "due": review.due.isoformat(),
        "days": (review.due - today).days,
        "counted_from": review.basis,
        "interval_years": interval,
    }


def _lineage_row(lineage: Lineage, findings: list[Diagnostic]) -> dict[str, Any]:
    return {
        "lineage": lineage.key,
        "versions": [v.id for v in lineage.versions],
        "missing": lineage.missing,
        "links": [
            {
                "older": e.older,
                "newer": e.newer,
                "kind": e.kind,
                "problem": e.state.value,
                "message": e.problem(),
            }
            for e in lineage.problems
        ],
        "findings": [_problem_row(d) for d in findings],
    }


def _problem_row(d: Diagnostic) -> dict[str, Any]:
    return {
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "code": d.code,
        "severity": d.severity.value,
        "message": d.message,
    }


def as_data(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data: what `--format json` writes and the HTML page shows."""
    return {
        "today": report.today.isoformat(),
        "guidelines": len(report.versions),
        "counts": {name: dict(pairs) for name, pairs in report.counts.items()},
        "overdue": [_review_row(r, report.today) for r in report.overdue],
        "due_soon": [_review_row(r, report.today) for r in report.due_soon],
        "lineages": len(report.lineages),
        "lineages_with_problems": [
            _lineage_row(lineage, report.lineage_findings.get(lineage.key, []))
            for lineage in report.problem_lineages
        ],
        "problems_by_rule": [
            {"code": r.code, "name": r.name, "count": r.count} for r in report.by_rule
        ],
        "problems": [_problem_row(d) for d in report.problems],
    }


def render_json(report: Report) -> str:
    return json.dumps(as_data(report), indent=2, ensure_ascii=False) + "\n"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """A plain-text table, columns as wide as their widest cell."""
    cells = [list(map(str, header)), *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def review_cells(review: Review, today: date) -> list[object]:
    """A review's row as every format shows it: id, due date, when, counted from, interval."""
    days = (review.due - today).days
    when = f"{-days} days ago" if days < 0 else f"in {days} days"
    interval = f"{review.interval_years} years" if review.interval_years else "set in file"
    return [review.version.id, review.due.isoformat(), when, review.basis, interval]


REVIEW_HEADER = ("guideline", "review due", "when", "counted from", "interval")


def _lineage_problems(report: Report, lineage: Lineage) -> list[str]:
    said = [e.problem() for e in lineage.problems]
    findings = report.lineage_findings.get(lineage.key, [])
    return said + [f"{d.path}:{d.line}:{d.column} {d.code} {d.message}" for d in findings]


def headline(report: Report) -> str:
    """1 guideline, 1 lineage, no problems: the report in one line."""
    from guidelint.app.reporters.text import plural

    problems = plural(len(report.problems), "problem") if report.problems else "no problems"
    return (
        f"{plural(len(report.versions), 'guideline')}, "
        f"{plural(len(report.lineages), 'lineage')}, {problems}"
    )


def render_text(report: Report) -> str:
    out = [f"{headline(report)} (as of {report.today.isoformat()})", ""]
    for name, title in COUNTED:
        out += [*_table((title, "guidelines"), report.counts[name]), ""]
    for title, reviews in (
        ("Reviews overdue", report.overdue),
        (f"Reviews due in the next {DUE_SOON_MONTHS} months", report.due_soon),
    ):
        out.append(f"{title}: {len(reviews)}")
        if reviews:
            out += _table(REVIEW_HEADER, (review_cells(r, report.today) for r in reviews))
        out.append("")
    out.append(f"Lineages with problems: {len(report.problem_lineages)}")
    for lineage in report.problem_lineages:
        out.append(f"  {lineage.key}")
        out += [f"    {said}" for said in _lineage_problems(report, lineage)]
    out += ["", f"Problems per rule: {sum(r.count for r in report.by_rule)}"]
    if report.by_rule:
        out += _table(
            ("rule", "name", "problems"), ((r.code, r.name, r.count) for r in report.by_rule)
        )
    return "\n".join(out).rstrip() + "\n"


def _md_text(text: str) -> str:
    """Text from the files, kept from being read as Markdown or HTML."""
    return re.sub(r"([\\`*_\[\]<>|~])", r"\\\1", text.replace("\n", " "))


def _md_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return lines


def render_markdown(report: Report) -> str:
    """For a CI job summary ($GITHUB_STEP_SUMMARY) or a pull request comment."""
    out = [
        "## Guideline corpus report",
        "",
        f"{headline(report)}, as of {report.today.isoformat()}.",
        "",
    ]
    for name, title in COUNTED:
        out += [f"### {title}", "", *_md_table((title, "guidelines"), report.counts[name]), ""]
    for title, reviews in (
        ("Reviews overdue", report.overdue),
        (f"Reviews due in the next {DUE_SOON_MONTHS} months", report.due_soon),
    ):
        out += [f"### {title} ({len(reviews)})", ""]
        if reviews:
            rows = (review_cells(r, report.today) for r in reviews)
            out += [*_md_table(REVIEW_HEADER, rows), ""]
        else:
            out += ["None.", ""]
    out += [f"### Lineages with problems ({len(report.problem_lineages)})", ""]
    for lineage in report.problem_lineages:
        out.append(f"- `{lineage.key}`")
        out += [f"  - {_md_text(said)}" for said in _lineage_problems(report, lineage)]
    out += ["", "### Problems per rule", ""]
    if report.by_rule:
        out += _md_table(
            ("rule", "name", "problems"), ((r.code, r.name, r.count) for r in report.by_rule)
        )
    else:
        out.append("None.")
    return "\n".join(out).rstrip() + "\n"
