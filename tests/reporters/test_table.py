"""The reporter tables are the only lists of formats: --format offers what REPORTERS names, and
--statistics is a reporter too, for the formats STATISTICS_REPORTERS names."""

from __future__ import annotations

import io

import click

from guidelint.app.cli import check
from guidelint.app.reporters import REPORTERS, STATISTICS_REPORTERS, ReportOptions, get_reporter
from guidelint.engine.run import RunResult


def format_choices() -> tuple[str, ...]:
    option = next(p for p in check.params if p.name == "output_format")
    assert isinstance(option.type, click.Choice)
    return tuple(option.type.choices)


def test_format_choices_are_the_reporter_table() -> None:
    assert format_choices() == tuple(REPORTERS)


def test_statistics_is_a_reporter_for_some_of_the_formats() -> None:
    assert set(STATISTICS_REPORTERS) <= set(REPORTERS)
    empty = RunResult([], ["a.md"])
    for name in STATISTICS_REPORTERS:
        stream = io.StringIO()
        get_reporter(name, ReportOptions(), statistics=True).report(empty, stream)
        assert stream.getvalue()
    stream = io.StringIO()
    get_reporter("json", statistics=True).report(empty, stream)
    assert stream.getvalue() == "[]\n"
