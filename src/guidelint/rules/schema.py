"""GL1xx: the front matter against schema/guideline.schema.json."""

from collections.abc import Iterator

from guidelint.context import FileContext
from guidelint.rule import Finding, Rule, file_rule


def _problems(ctx: FileContext, code: str) -> Iterator[Finding]:
    for problem in ctx.schema_problems:
        if problem.code == code:
            yield Finding(problem.span, problem.message)


@file_rule("GL100", "schema-violation")
def schema_violation(ctx: FileContext) -> Iterator[Finding]:
    """
    The front matter breaks a schema constraint that has no rule of its own.

    ## What it does
    Reports any JSON Schema error not covered by GL101 to GL107, for instance from a
    constraint added to the schema later.

    ## Why is this bad?
    The schema is the single source of truth for metadata; every violation is reported.

    ## Example
    Depends on the constraint; the message quotes it.

    Use instead: change the value as the message says.
    """
    return _problems(ctx, "GL100")


@file_rule("GL101", "missing-required-key")
def missing_required_key(ctx: FileContext) -> Iterator[Finding]:
    """
    A required metadata key is missing.

    ## What it does
    Reports each key the schema requires (id, title, organization, country, url, specialty,
    guideline_type, evidence_system, conditions, publication_date, status) that is absent.

    ## Why is this bad?
    The corpus is searched, listed and linked by these keys.

    ## Example
    ```yaml
    id: aan-als-2024
    title: "ALS Management"
    ```

    Use instead: add every required key, such as `status: current`.
    """
    return _problems(ctx, "GL101")


@file_rule("GL102", "unknown-key")
def unknown_key(ctx: FileContext) -> Iterator[Finding]:
    """
    The front matter has a key the schema does not know.

    ## What it does
    Reports each unknown key at its position, suggesting the closest known key.

    ## Why is this bad?
    A misspelled key (`Status`, `publication-date`) is silently ignored by every tool, so the
    value it was meant to set is missing.

    ## Example
    ```yaml
    Status: current
    ```

    Use instead:
    ```yaml
    status: current
    ```
    """
    return _problems(ctx, "GL102")


@file_rule("GL103", "wrong-type")
def wrong_type(ctx: FileContext) -> Iterator[Finding]:
    """
    A value has the wrong type, such as a number or yes/no where text is expected.

    ## What it does
    Reports a value whose type the schema does not allow. When YAML 1.1 read an unquoted word
    as true/false or null (`NO`, `yes`, `off`, `~`) or a number, the message says to quote it.

    ## Why is this bad?
    `country: NO` (Norway) becomes `false`; `version: 1.10` becomes `1.1`.

    ## Example
    ```yaml
    country: NO
    ```

    Use instead:
    ```yaml
    country: "NO"
    ```
    """
    return _problems(ctx, "GL103")


@file_rule("GL104", "unknown-vocabulary-value")
def unknown_vocabulary_value(ctx: FileContext) -> Iterator[Finding]:
    """
    A value is not in its controlled vocabulary.

    ## What it does
    Checks `status`, `guideline_type`, `evidence_system` and `specialty` against the values
    documented in the schema, suggesting the closest one.

    ## Why is this bad?
    Filters and reports group guidelines by these values; `Current` or `cardiac` would fall
    out of every list.

    ## Example
    ```yaml
    status: active
    ```

    Use instead:
    ```yaml
    status: current
    ```
    """
    return _problems(ctx, "GL104")


@file_rule("GL105", "invalid-format")
def invalid_format(ctx: FileContext) -> Iterator[Finding]:
    """
    A value does not have the required form: an id, a date or a web address.

    ## What it does
    Checks that ids are lowercase slugs (`aan-als-2024`), dates are written `YYYY-MM-DD`, and
    `url` is an `http` or `https` address.

    ## Why is this bad?
    Ids are file names and link targets; dates are compared and sorted; URLs are followed.

    ## Example
    ```yaml
    publication_date: 1 June 2024
    ```

    Use instead:
    ```yaml
    publication_date: 2024-06-01
    ```
    """
    return _problems(ctx, "GL105")


@file_rule("GL106", "empty-value")
def empty_value(ctx: FileContext) -> Iterator[Finding]:
    """
    A text value or a list is empty.

    ## What it does
    Reports empty or blank text (`title: ""`) and an empty `conditions` list.

    ## Why is this bad?
    An empty value looks filled in to tools but tells a reader nothing.

    ## Example
    ```yaml
    short_title: ""
    ```

    Use instead: fill the value in, or remove an optional key.
    """
    return _problems(ctx, "GL106")


@file_rule("GL107", "duplicate-list-item")
def duplicate_list_item(ctx: FileContext) -> Iterator[Finding]:
    """
    A list repeats an entry.

    ## What it does
    Reports the repeated item in `conditions` or `tags`, naming the item it repeats.

    ## Why is this bad?
    Repeats inflate search results and usually mean a copy-and-paste slip.

    ## Example
    ```yaml
    tags:
      - ALS
      - ALS
    ```

    Use instead: keep one `ALS`.
    """
    return _problems(ctx, "GL107")


RULES: list[Rule] = [
    schema_violation,
    missing_required_key,
    unknown_key,
    wrong_type,
    unknown_vocabulary_value,
    invalid_format,
    empty_value,
    duplicate_list_item,
]
