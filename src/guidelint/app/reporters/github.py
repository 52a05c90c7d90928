"""`--format github`: GitHub Actions workflow commands, shown as annotations on the pull request.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
`::error file=F,line=L,col=C,endLine=L,endColumn=C,title=CODE::message`. Chosen by default
when the `GITHUB_ACTIONS` environment variable is `true` and no format was given.

A command ends at the line break and its properties at `,` and `:`, so the runner's own
escapes are used for those (`%0A`, `%2C`, `%3A`, and `%25` for `%`); what the checked files
hold is passed through guidelint.core.safe_text first, so that no escape sequence or direction mark
reaches the log or the annotation either.
"""

from __future__ import annotations

from typing import TextIO

from guidelint.app.reporters import ReportOptions
from guidelint.core.safe_text import shown
from guidelint.engine.run import RunResult


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    def __init__(self, options: ReportOptions) -> None:
        self.options = options

    def report(self, result: RunResult, stream: TextIO) -> None:
        for d in result.diagnostics:
            properties = ",".join(
                f"{name}={escape_property(shown(str(value)))}"
                for name, value in (
                    ("file", d.path),
                    ("line", d.line),
                    ("col", d.column),
                    ("endLine", d.end_line),
                    ("endColumn", d.end_column),
                    ("title", d.code),
                )
            )
            stream.write(f"::{d.severity.value} {properties}::{escape_data(shown(d.message))}\n")
