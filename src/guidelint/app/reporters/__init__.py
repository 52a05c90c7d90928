"""Output formats: one small module per format behind one interface.

A reporter receives the finished run and writes it to a stream; it never decides the exit code.
Modules are imported only when their format is asked for.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from guidelint.engine.run import RunResult


@dataclass(frozen=True, slots=True)
class ReportOptions:
    color: bool = False
    show_source: bool = False  # an excerpt of the file under each diagnostic
    quiet: bool = False  # diagnostics only: no summary line
    unsafe_fixes: bool = False  # unsafe fixes count as available (--unsafe-fixes)
    fixed: int | None = None  # how many problems --fix mended; None when it was not asked for
    # The folder paths are written from (%SRCROOT% in SARIF); None: the current folder.
    root: Path | None = None


class Reporter(Protocol):
    def __init__(self, options: ReportOptions) -> None: ...

    def report(self, result: RunResult, stream: TextIO) -> None: ...


# name -> module:class, as check-jsonschema keeps its reporters.
REPORTERS = {
    "text": "guidelint.app.reporters.text:TextReporter",
    "json": "guidelint.app.reporters.json:JsonReporter",
    "github": "guidelint.app.reporters.github:GithubReporter",
    "sarif": "guidelint.app.reporters.sarif:SarifReporter",
    "junit": "guidelint.app.reporters.junit:JunitReporter",
    "gitlab": "guidelint.app.reporters.gitlab:GitlabReporter",
}


# --statistics: counts per rule, in the formats that have a form for them (a table for people,
# an array for scripts).
STATISTICS_REPORTERS = {
    "text": "guidelint.app.reporters.statistics:StatisticsReporter",
    "json": "guidelint.app.reporters.statistics:JsonStatisticsReporter",
}


def get_reporter(
    name: str, options: ReportOptions | None = None, *, statistics: bool = False
) -> Reporter:
    table = STATISTICS_REPORTERS if statistics else REPORTERS
    module_name, class_name = table[name].split(":")
    reporter: type[Reporter] = getattr(importlib.import_module(module_name), class_name)
    return reporter(options or ReportOptions())
