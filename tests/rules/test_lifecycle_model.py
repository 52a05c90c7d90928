"""The lifecycle model of issue 15: lists of links, amendments, drafts, reviews, withdrawal."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, found, run_cli

LINEAGE = FIXTURES / "lineage"


@pytest.mark.parametrize("case", ["merge", "split", "amendment", "draft-successor"])
def test_real_shapes_of_history_are_clean(case: str) -> None:
    assert found(LINEAGE / case) == set()


def test_a_split_predecessor_listing_one_successor_of_two_is_one_sided() -> None:
    assert found(LINEAGE / "gl403-list") == {
        ("gl-children-2015.md", "GL403", 24, 13),
        ("gl-whole-2004.md", "GL403", 25, 16),
    }


def test_the_message_names_the_id_to_add_to_the_list() -> None:
    result = run_cli("--today", "2026-11-24", "--format", "json", LINEAGE / "gl403-list")
    messages = {str(row["message"]) for row in result.json()}
    assert any("add gl-children-2015 to superseded_by" in message for message in messages)


def test_a_loop_through_both_kinds_of_link_is_found() -> None:
    assert found(LINEAGE / "gl404-mixed") == {
        ("gl-a-2020.md", "GL404", 24, 13),
        ("gl-b-2021.md", "GL404", 25, 16),
        # One of the two links necessarily runs backwards in time.
        ("gl-a-2020.md", "GL407", 21, 19),
        ("gl-a-2020.md", "GL202", 22, 24),
    }


def test_a_passed_next_review_date_is_overdue() -> None:
    assert found(FIXTURES / "dates" / "gl206-next-review-passed.md") == {
        ("gl206-next-review-passed.md", "GL206", 29, 19)
    }


def test_a_draft_may_carry_a_planned_date() -> None:
    assert found(FIXTURES / "dates" / "draft-planned.md") == set()
