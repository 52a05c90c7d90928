"""GL2xx: date logic within one guideline."""

from collections.abc import Iterator
from datetime import date

from guidelint.checks.file_context import FileContext
from guidelint.core.diagnostic import Severity
from guidelint.rules.base import Finding, Rule, file_rule


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@file_rule("GL201", "not-a-calendar-date")
def not_a_calendar_date(ctx: FileContext) -> Iterator[Finding]:
    """
    A date is written YYYY-MM-DD but does not exist on the calendar.

    ## What it does
    Checks `publication_date`, `previous_version_date` and `last_reviewed` with the guideline
    model, and says why the date does not exist.

    ## Why is this bad?
    An impossible date cannot be compared with others, so the date and lineage checks skip it.

    ## Example
    ```yaml
    publication_date: 2023-02-29
    ```

    Use instead:
    ```yaml
    publication_date: 2023-02-28
    ```
    """
    for problem in ctx.field_problems:
        yield Finding(ctx.value_span(problem.key), problem.message)


@file_rule("GL202", "previous-version-not-earlier")
def previous_version_not_earlier(ctx: FileContext) -> Iterator[Finding]:
    """
    `previous_version_date` is not before `publication_date`.

    ## What it does
    Compares the two dates of one guideline.

    ## Why is this bad?
    The version this one replaces must have been published earlier; the dates are probably
    swapped or mistyped.

    ## Example
    ```yaml
    publication_date: 2009-10-13
    previous_version_date: 2024-06-01
    ```

    Use instead:
    ```yaml
    publication_date: 2024-06-01
    previous_version_date: 2009-10-13
    ```
    """
    g = ctx.guideline
    previous, published = g.previous_version_date, g.publication_date
    if previous and published and previous >= published:
        yield Finding(
            ctx.value_span("previous_version_date"),
            f"previous_version_date {previous} is not before publication_date {published}; "
            "the earlier version must be older, check both dates",
        )


@file_rule("GL203", "reviewed-before-publication")
def reviewed_before_publication(ctx: FileContext) -> Iterator[Finding]:
    """
    `last_reviewed` is before `publication_date`.

    ## What it does
    Compares the review date with the publication date of the same guideline.

    ## Why is this bad?
    A version cannot be reviewed before it exists; the review date was probably copied from
    the previous version.

    ## Example
    ```yaml
    publication_date: 2024-06-01
    last_reviewed: 2023-01-01
    ```

    Use instead: set `last_reviewed` to the date of the latest review of this version.
    """
    g = ctx.guideline
    if g.last_reviewed and g.publication_date and g.last_reviewed < g.publication_date:
        yield Finding(
            ctx.value_span("last_reviewed"),
            f"last_reviewed {g.last_reviewed} is before publication_date {g.publication_date}; "
            "set it to the date this version was last reviewed",
        )


@file_rule("GL204", "reviewed-in-future")
def reviewed_in_future(ctx: FileContext) -> Iterator[Finding]:
    """
    `last_reviewed` is in the future.

    ## What it does
    Compares `last_reviewed` with today's date (`--today` sets it for reproducible runs).

    ## Why is this bad?
    A review that has not happened yet hides that the guideline is due for one.

    ## Example
    ```yaml
    last_reviewed: 2099-01-01
    ```

    Use instead: the date of the last review that took place.
    """
    g = ctx.guideline
    if g.last_reviewed and g.last_reviewed > ctx.settings.today:
        yield Finding(
            ctx.value_span("last_reviewed"),
            f"last_reviewed {g.last_reviewed} is in the future (today is "
            f"{ctx.settings.today}); use the date of the last review that took place",
        )


@file_rule("GL205", "published-in-future")
def published_in_future(ctx: FileContext) -> Iterator[Finding]:
    """
    `publication_date` is in the future.

    ## What it does
    Compares `publication_date` with today's date (`--today` sets it for reproducible runs).
    Drafts (`status: draft`) may carry a planned date and are not reported.

    ## Why is this bad?
    A published guideline cannot be dated after today; the year is usually mistyped.

    ## Example
    ```yaml
    publication_date: 2204-06-01
    ```

    Use instead:
    ```yaml
    publication_date: 2024-06-01
    ```
    """
    g = ctx.guideline
    if g.publication_date and g.publication_date > ctx.settings.today and g.status != "draft":
        yield Finding(
            ctx.value_span("publication_date"),
            f"publication_date {g.publication_date} is in the future (today is "
            f"{ctx.settings.today}); correct the date, or set status: draft",
        )


@file_rule("GL206", "review-overdue", Severity.WARNING)
def review_overdue(ctx: FileContext) -> Iterator[Finding]:
    """
    A current guideline has not been reviewed for more than three years (configurable).

    ## What it does
    Warns when a guideline with `status: current` was last reviewed (or, without
    `last_reviewed`, published) more than three years before today. Set the number of years
    with `stale-after-years` in the configuration. A `last_reviewed` that cannot be read as a
    date is reported by GL201 or GL103, and this rule then says nothing.

    ## Why is this bad?
    Half of guidelines are outdated within 5.8 years (Shekelle et al., JAMA 2001), who advise
    reassessing validity every three years.

    ## Example
    ```yaml
    status: current
    last_reviewed: 2019-03-01
    ```

    Use instead: review the guideline and set `last_reviewed` to the review date, or mark it
    superseded or withdrawn.
    """
    g = ctx.guideline
    if g.status != "current":
        return
    if g.last_reviewed is None and ctx.meta.get("last_reviewed") is not None:
        return  # written but unreadable (GL201, GL103): the publication date is no stand-in
    years = ctx.settings.stale_after_years
    key, reference = (
        ("last_reviewed", g.last_reviewed)
        if g.last_reviewed
        else ("publication_date", g.publication_date)
    )
    if reference and add_years(reference, years) < ctx.settings.today:
        yield Finding(
            ctx.value_span(key),
            f"{key} {reference} is more than {years} years ago; review this guideline and "
            "update last_reviewed",
        )


RULES: list[Rule] = [
    not_a_calendar_date,
    previous_version_not_earlier,
    reviewed_before_publication,
    reviewed_in_future,
    published_in_future,
    review_overdue,
]
