"""The Pydantic model of a guideline's metadata: typed values for the rules.

JSON Schema decides shape (which keys, which types, which vocabulary). The model turns the values
that passed the schema into Python types and says what a schema cannot: whether a date written
YYYY-MM-DD exists on the calendar. Pydantic's errors are converted here and nowhere else.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from guidelint.core.fields import DATE_FIELDS


class Review(BaseModel):
    """One review of a version: when, and what it concluded."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=False)

    date: dt.date
    outcome: str | None = None


class Guideline(BaseModel):
    """Metadata of one guideline version; every field is optional here (the schema requires)."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=False)

    id: str | None = None
    title: str | None = None
    status: str | None = None
    publication_date: date | None = None
    previous_version_date: date | None = None
    last_reviewed: date | None = None
    supersedes: str | list[str] | None = None
    superseded_by: str | list[str] | None = None
    amends: list[str] | None = None
    amended_by: list[str] | None = None
    pdf_path: str | None = None
    has_pdf: bool | None = None
    review_history: list[Review] | None = None
    next_review_date: date | None = None
    withdrawn_date: date | None = None
    withdrawal_reason: str | None = None
    referred_to: str | None = None

    def ids(self, key: str) -> tuple[str, ...]:
        """The ids a link key names, as a tuple: one id, a list of ids, or none."""
        value = getattr(self, key)
        if value is None:
            return ()
        return (value,) if isinstance(value, str) else tuple(value)

    def latest_review(self) -> date | None:
        """The latest date in review_history, if it has any."""
        return max((review.date for review in self.review_history or ()), default=None)


@dataclass(frozen=True, slots=True)
class FieldProblem:
    key: str
    message: str


def calendar_problem(text: str) -> str:
    """Why a YYYY-MM-DD string is not a real date, in plain words."""
    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if year < 1:
        return "there is no year 0"
    days = calendar.monthrange(year, month)[1]
    if day < 1:
        return "there is no day 0"
    return f"{calendar.month_name[month]} {year} has {days} days"


def build_guideline(values: Mapping[str, Any]) -> tuple[Guideline, list[FieldProblem]]:
    """Validate `values`; fields that fail are reported and left out of the returned model."""
    data = dict(values)
    problems: list[FieldProblem] = []
    try:
        return Guideline.model_validate(data), problems
    except ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0])
            raw = data.pop(key, None)
            if key in DATE_FIELDS and isinstance(raw, str):
                message = f"{key} {raw} is not a calendar date: {calendar_problem(raw)}"
            else:
                message = f"{key} {raw!r} is not valid: {error['msg']}"
            problems.append(FieldProblem(key, message))
    return Guideline.model_validate(data), problems
