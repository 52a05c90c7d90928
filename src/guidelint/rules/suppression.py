"""GL9xx: the suppression comments themselves."""

from guidelint.core import codes
from guidelint.core.diagnostic import Severity
from guidelint.rules.base import suppression_rule

RULES = [
    suppression_rule(
        codes.UNUSED_SUPPRESSION,
        "unused-suppression",
        Severity.WARNING,
        """
        A suppression comment silences a problem that is no longer there.

        ## What it does
        Reports each code in a `guidelint-disable-next-line`, `guidelint-disable-file` or
        `# guidelint: disable=` comment that matched no problem in this run. Codes that the
        run does not check (`--select`, `--ignore`) are not judged.

        ## Why is this bad?
        A stale suppression hides the next real problem on that line without anyone noticing.

        ## Example
        ```markdown
        <!-- guidelint-disable-next-line GL503 -->
        ## Scope
        This guideline covers adults with ALS.
        ```

        Use instead: remove the comment (the section is no longer empty).
        """,
    ),
    suppression_rule(
        codes.INVALID_SUPPRESSION,
        "invalid-suppression",
        Severity.ERROR,
        """
        A suppression comment names no rule, or a code that is not a guidelint rule.

        ## What it does
        Reports a suppression comment without codes, and each code in it that guidelint does
        not have, suggesting the closest code.

        ## Why is this bad?
        A misspelled code silences nothing, so the problem it was meant for is still reported,
        and a comment without codes would silence everything on the line.

        ## Example
        ```yaml
        publication_date: 2024-02-30  # guidelint: disable=GL21
        ```

        Use instead:
        ```yaml
        publication_date: 2024-02-30  # guidelint: disable=GL201
        ```
        """,
    ),
]
