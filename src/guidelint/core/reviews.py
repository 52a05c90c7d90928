"""When a current guideline's review falls due: one rule for the check (GL206) and the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, slots=True)
class ReviewDue:
    due: date
    key: str  # what the date comes from: next_review_date, last_reviewed, review_history, ...
    counted_from: date | None  # the review or publication it is counted from; None: set


def review_due(
    publication_date: date | None,
    last_reviewed: date | None,
    latest_review: date | None,
    next_review_date: date | None,
    years: int,
) -> ReviewDue | None:
    """The review date: `next_review_date` when it lies after publication; else `years` after
    the latest of `last_reviewed` and the review history (a tie: last_reviewed); else after
    publication. None when there is nothing to count from."""
    if next_review_date is not None and not (
        publication_date and next_review_date <= publication_date
    ):
        return ReviewDue(next_review_date, "next_review_date", None)
    reviews = [("last_reviewed", last_reviewed), ("review_history", latest_review)]
    known = [(day, key) for key, day in reviews if day is not None]
    if known:
        reference, key = max(known, key=lambda found: found[0])  # max keeps the first of a tie
    elif publication_date is not None:
        reference, key = publication_date, "publication_date"
    else:
        return None
    return ReviewDue(add_years(reference, years), key, reference)
