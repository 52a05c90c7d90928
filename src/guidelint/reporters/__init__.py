"""Output formats: one small module per format behind one interface."""

from __future__ import annotations

from typing import Protocol, TextIO

from guidelint.engine import RunResult


class Reporter(Protocol):
    def report(self, result: RunResult, stream: TextIO) -> None: ...


def get_reporter(name: str) -> Reporter:
    if name == "json":
        from guidelint.reporters.json import JsonReporter

        return JsonReporter()
    from guidelint.reporters.text import TextReporter

    return TextReporter()


FORMATS = ("text", "json")
