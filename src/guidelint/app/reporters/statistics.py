"""`--statistics`: how many problems each rule found, most frequent first (as ruff shows it)."""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from guidelint.app.reporters import ReportOptions
from guidelint.app.reporters.text import plural
from guidelint.core.safe_text import shown
from guidelint.engine.run import RunResult
from guidelint.rules.registry import rules_by_code


def report_statistics(result: RunResult, stream: TextIO, *, as_json: bool = False) -> None:
    counts = Counter(d.code for d in result.diagnostics)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rules = rules_by_code()
    if as_json:
        table = [
            {
                "code": code,
                "name": rules[code].name,
                "count": count,
                "severity": rules[code].severity.value,
            }
            for code, count in rows
        ]
        json.dump(table, stream, indent=2)
        stream.write("\n")
        return
    width = max((len(str(count)) for _, count in rows), default=1)
    for code, count in rows:
        rule = rules[code]
        row = (str(count).rjust(width), code, rule.name, rule.summary)
        stream.write("\t".join(shown(cell) for cell in row) + "\n")
    total = sum(counts.values())
    stream.write(f"Found {plural(total, 'problem')} in {plural(result.files_checked, 'file')}.\n")


class StatisticsReporter:
    def __init__(self, options: ReportOptions) -> None:
        self.options = options

    def report(self, result: RunResult, stream: TextIO) -> None:
        report_statistics(result, stream)


class JsonStatisticsReporter:
    def __init__(self, options: ReportOptions) -> None:
        self.options = options

    def report(self, result: RunResult, stream: TextIO) -> None:
        report_statistics(result, stream, as_json=True)
