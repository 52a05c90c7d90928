"""`guidelint report`: what is due and what is wrong, as text, JSON and Markdown."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from guidelint.app.views.lineages import Version
from guidelint.app.views.report import add_months, review_due
from tests.conftest import run_cli, run_process
from tests.views.corpus import guideline, shapes_corpus, write_corpus

TODAY = "2026-12-03"


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shapes_corpus(tmp_path_factory.mktemp("corpus") / "shapes")


def report(folder: Path, output_format: str) -> str:
    result = run_cli("report", "--today", TODAY, "--format", output_format, folder)
    assert result.exit_code == 0, result.stderr
    return result.stdout.replace(str(folder), "CORPUS")


@pytest.mark.parametrize("output_format", ["text", "json", "markdown"])
def test_report_output(shapes: Path, output_format: str, snapshot: SnapshotAssertion) -> None:
    assert report(shapes, output_format) == snapshot


def test_overdue_reviews_are_oldest_first_and_current_only(shapes: Path) -> None:
    data = json.loads(report(shapes, "json"))
    overdue = [row["id"] for row in data["overdue"]]
    assert overdue == sorted(
        overdue, key=lambda i: next(r["due"] for r in data["overdue"] if r["id"] == i)
    )
    assert "uspstf-a-2009" not in overdue  # superseded: no review is due
    assert "aan-x-2027" not in overdue  # a draft
    assert [row["id"] for row in data["due_soon"]] == ["uspstf-a-2024"]
    assert data["due_soon"][0] == {
        "id": "uspstf-a-2024",
        "path": "CORPUS/uspstf-a-2024.md",
        "line": 2,
        "organization": "US Preventive Services Task Force",
        "due": "2027-04-30",
        "days": 148,
        "counted_from": "last review",
        "interval_years": 3,
    }


def test_counts_and_problem_lineages(shapes: Path) -> None:
    data = json.loads(report(shapes, "json"))
    assert data["guidelines"] == 18
    assert data["counts"]["status"] == {"superseded": 9, "current": 8, "draft": 1}
    troubled = {row["lineage"]: row for row in data["lineages_with_problems"]}
    assert {"aan-y-2020", "aan-z-2015", "aan-loop-2012"} <= set(troubled)
    assert [link["problem"] for link in troubled["aan-z-2015"]["links"]] == ["dangling"]
    assert "uspstf-a-2024" not in troubled
    assert sum(r["count"] for r in data["problems_by_rule"]) == len(data["problems"])


def version(**fields: object) -> Version:
    return Version(path="a.md", line=2, id="a", status="current", **fields)  # type: ignore[arg-type]


def test_review_due_prefers_next_review_date_then_the_latest_review() -> None:
    planned = version(
        publication_date=date(2020, 1, 1),
        last_reviewed=date(2022, 1, 1),
        next_review_date=date(2023, 6, 1),
    )
    assert review_due(planned, 3) is not None
    assert review_due(planned, 3).due == date(2023, 6, 1)  # type: ignore[union-attr]
    reviewed = version(
        publication_date=date(2020, 1, 1),
        last_reviewed=date(2021, 1, 1),
        review_dates=(date(2022, 3, 4),),
    )
    due = review_due(reviewed, 5)
    assert due is not None and (due.due, due.basis) == (date(2027, 3, 4), "last review")
    published = review_due(version(publication_date=date(2020, 2, 29)), 3)
    assert published is not None and (published.due, published.basis) == (
        date(2023, 2, 28),
        "publication",
    )
    assert review_due(version(), 3) is None


def test_add_months_keeps_the_day_or_the_month_end() -> None:
    assert add_months(date(2026, 12, 3), 6) == date(2027, 6, 3)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 31), 3) == date(2026, 4, 30)


def test_the_seed_reports_clean(tmp_path: Path) -> None:
    result = run_process("report", "--today", TODAY, "seeds/", cwd=Path(__file__).parents[2])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("1 guideline, 1 lineage, no problems (as of 2026-12-03)\n")
    assert "Reviews overdue: 0" in result.stdout


def test_markdown_keeps_file_text_from_being_markup(tmp_path: Path) -> None:
    text = guideline("a-2020", "2020-01-01", "superseded", superseded_by="<b>x</b>|y")
    folder = write_corpus(tmp_path / "c", {"a.md": text})
    out = report(folder, "markdown")
    assert "<b>" not in out
    assert "\\<b\\>x\\</b\\>\\|y" in out


def test_review_intervals_by_organisation_come_from_the_settings(tmp_path: Path) -> None:
    folder = write_corpus(
        tmp_path / "c",
        {
            "uspstf-a-2022.md": guideline(
                "uspstf-a-2022",
                "2022-01-01",
                organization="US Preventive Services Task Force",
                specialty="preventive-medicine",
            ),
            "aan-b-2020.md": guideline("aan-b-2020", "2020-01-01"),
        },
    )
    (folder / "guidelint.toml").write_text(
        '[review-interval-years]\n"US Preventive Services Task Force" = 5\ndefault = 4\n', "utf-8"
    )
    data = json.loads(report(folder, "json"))
    assert [(r["id"], r["due"], r["interval_years"]) for r in data["overdue"]] == [
        ("aan-b-2020", "2024-01-01", 4)
    ]
    assert [(r["id"], r["due"], r["interval_years"]) for r in data["due_soon"]] == [
        ("uspstf-a-2022", "2027-01-01", 5)
    ]
    text = report(folder, "text")
    assert "aan-b-2020  2024-01-01  1067 days ago  last review   4 years" in text


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_file_text_cannot_act_on_the_terminal_or_the_ci_log(
    tmp_path: Path, output_format: str
) -> None:
    hostile = "::error file=x.md::forged\x1b[2J\u202e"
    text = guideline("aan-h-2021", "2021-01-01", organization=json.dumps(hostile))
    folder = write_corpus(tmp_path / "c", {"aan-h-2021.md": text})
    out = report(folder, output_format)
    assert "\x1b" not in out and "\u202e" not in out
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    if output_format == "json":
        assert json.loads(out)["counts"]["organization"] == {hostile: 1}
    else:
        assert "forged" in out


def test_a_graph_on_the_screen_is_shown_safely(tmp_path: Path) -> None:
    text = guideline("aan-h-2021", "2021-01-01", "superseded", superseded_by='"::warning::x\x1b"')
    folder = write_corpus(tmp_path / "c", {"aan-h-2021.md": text})
    for output_format in ("mermaid", "dot"):
        result = run_cli("graph", "--format", output_format, folder)
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout
        assert not any(line.lstrip().startswith("::") for line in result.stdout.splitlines())
