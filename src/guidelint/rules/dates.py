"""GL2xx: date logic within one guideline."""

from collections.abc import Iterator
from datetime import date

from guidelint.checks.file_context import FileContext
from guidelint.core.diagnostic import Severity
from guidelint.core.reviews import review_due
from guidelint.core.span import Span
from guidelint.rules.base import Finding, Rule, file_rule


@file_rule("GL201", "not-a-calendar-date")
def not_a_calendar_date(ctx: FileContext) -> Iterator[Finding]:
    """
    A date is written YYYY-MM-DD but does not exist on the calendar.

    ## What it does
    Checks `publication_date`, `previous_version_date`, `last_reviewed`,
    `next_review_date` and `withdrawn_date` with the guideline model, and says why the date
    does not exist.

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
    Compares the review date with the publication date of the same guideline. Drafts are
    not reviewed and are not reported.

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
    if g.status == "draft":
        return  # a draft's date is its plan: reviews are of published versions
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
    Drafts are not reported.

    ## Why is this bad?
    A review that has not happened yet hides that the guideline is due for one.

    ## Example
    ```yaml
    last_reviewed: 2099-01-01
    ```

    Use instead: the date of the last review that took place.
    """
    g = ctx.guideline
    if g.last_reviewed and g.last_reviewed > ctx.settings.today and g.status != "draft":
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
    A current guideline is overdue for review.

    ## What it does
    Warns when a guideline with `status: current` is past its `next_review_date`; without
    one (or with one not after publication: GL209), when its latest review (the later of
    `last_reviewed` and the last date in `review_history`) or, never reviewed, its
    `publication_date` is more than the review interval before today. The interval is
    `stale-after-years` (3), or the organization's own under
    `[tool.guidelint.review-interval-years]`:

    ```toml
    [tool.guidelint.review-interval-years]
    "American Academy of Neurology" = 3
    "US Preventive Services Task Force" = 5
    ```

    A date that cannot be read is reported by GL201 or GL103, and this rule then says nothing.
    Drafts, superseded and withdrawn versions are not reported.

    ## Why is this bad?
    Half of guidelines are outdated within 5.8 years (Shekelle et al., JAMA 2001), who advise
    reassessing validity every three years; producers review on 3- to 5-year cycles (AAN 3,
    SIGN 3, USPSTF 5, ACC/AHA 5).

    ## Example
    ```yaml
    status: current
    last_reviewed: 2019-03-01
    ```

    Use instead: review the guideline and set `last_reviewed` to the review date (and add it
    to `review_history` with its outcome), or mark it superseded or withdrawn.
    """
    g = ctx.guideline
    if g.status != "current":
        return
    years = ctx.settings.review_interval(ctx.meta.get("organization"))
    found = review_due(
        g.publication_date, g.last_reviewed, g.latest_review(), g.next_review_date, years
    )
    if found is None or found.due >= ctx.settings.today:
        return
    if found.counted_from is None:
        yield Finding(
            ctx.value_span("next_review_date"),
            f"next_review_date {found.due} has passed (today is "
            f"{ctx.settings.today}); review this guideline, record the review in "
            "review_history and last_reviewed, and set the next date",
        )
        return
    for key in ("next_review_date", "last_reviewed", "review_history"):
        if getattr(g, key) is None and ctx.meta.get(key) is not None:
            return  # written but unreadable (GL201, GL103): the publication date is no stand-in
    reference, key = found.counted_from, found.key
    span = _review_span(ctx, reference) if key == "review_history" else ctx.value_span(key)
    yield Finding(
        span,
        f"{key} {reference} is more than {years} year{'s' if years > 1 else ''} ago; "
        "review this guideline and update last_reviewed",
    )


def _review_span(ctx: FileContext, day: date) -> Span:
    """Where the review dated `day` in review_history is written."""
    for place, review in enumerate(ctx.guideline.review_history or ()):
        located = ctx.parsed.spans.get(("review_history", place, "date"))
        if review.date == day and located is not None:
            return located.value
    return ctx.value_span("review_history")


@file_rule("GL207", "review-history-out-of-order")
def review_history_out_of_order(ctx: FileContext) -> Iterator[Finding]:
    """
    A date in `review_history` is out of order, before publication or in the future.

    ## What it does
    Checks that the reviews are listed oldest first, none before `publication_date` and
    none after today (`--today` sets it). Drafts are not reported.

    ## Why is this bad?
    The history says when the guideline was last found valid; a misplaced date hides how old
    that finding is.

    ## Example
    ```yaml
    review_history:
      - {date: 2021-03-01, outcome: reaffirmed}
      - {date: 2018-03-01, outcome: no-update}
    ```

    Use instead: list the 2018 review first.
    """
    g = ctx.guideline
    if g.status == "draft" or not g.review_history:
        return
    previous: date | None = None
    for place, review in enumerate(g.review_history):
        located = ctx.parsed.spans.get(("review_history", place, "date"))
        span = located.value if located else ctx.value_span("review_history")
        if g.publication_date and review.date < g.publication_date:
            yield Finding(
                span,
                f"review_history date {review.date} is before publication_date "
                f"{g.publication_date}; a review is of this version, after it was published",
            )
        elif review.date > ctx.settings.today:
            yield Finding(
                span,
                f"review_history date {review.date} is in the future (today is "
                f"{ctx.settings.today}); list only reviews that took place",
            )
        elif previous is not None and review.date < previous:
            yield Finding(
                span,
                f"review_history date {review.date} comes after {previous}; list the reviews "
                "oldest first",
            )
        previous = review.date if previous is None else max(previous, review.date)


@file_rule("GL208", "last-reviewed-mismatch")
def last_reviewed_mismatch(ctx: FileContext) -> Iterator[Finding]:
    """
    `last_reviewed` differs from the latest date in `review_history`.

    ## What it does
    When both are set, compares `last_reviewed` with the latest review in `review_history`.
    Drafts are not reported.

    ## Why is this bad?
    The same date is written in two places; when they differ, one is wrong.

    ## Example
    ```yaml
    last_reviewed: 2020-01-01
    review_history:
      - {date: 2023-05-10, outcome: reaffirmed}
    ```

    Use instead: `last_reviewed: 2023-05-10`.
    """
    g = ctx.guideline
    latest = g.latest_review()
    if g.status != "draft" and g.last_reviewed and latest and g.last_reviewed != latest:
        yield Finding(
            ctx.value_span("last_reviewed"),
            f"last_reviewed {g.last_reviewed} differs from the latest review in review_history "
            f"({latest}); set last_reviewed: {latest}, or add the review to review_history",
        )


@file_rule("GL209", "next-review-not-after-publication")
def next_review_not_after_publication(ctx: FileContext) -> Iterator[Finding]:
    """
    `next_review_date` is not after `publication_date`.

    ## What it does
    Compares the two dates of one guideline.

    ## Why is this bad?
    A review is planned for a version that exists; a date on or before publication is
    mistyped or copied from the previous version.

    ## Example
    ```yaml
    publication_date: 2024-06-01
    next_review_date: 2021-06-01
    ```

    Use instead: `next_review_date: 2027-06-01`.
    """
    g = ctx.guideline
    if g.next_review_date and g.publication_date and g.next_review_date <= g.publication_date:
        yield Finding(
            ctx.value_span("next_review_date"),
            f"next_review_date {g.next_review_date} is not after publication_date "
            f"{g.publication_date}; set the date the next review is due",
        )


RULES: list[Rule] = [
    not_a_calendar_date,
    previous_version_not_earlier,
    reviewed_before_publication,
    reviewed_in_future,
    published_in_future,
    review_overdue,
    review_history_out_of_order,
    last_reviewed_mismatch,
    next_review_not_after_publication,
]
