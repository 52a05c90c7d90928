"""`--format json`: a JSON array, one object per diagnostic. A public contract: keys are fixed.

Strings hold the text as found; the characters a terminal would act on that JSON allows raw
(C1 controls, direction marks) are written as `\\u` escapes, which parse back to the same text.
"""

from __future__ import annotations

import json
from typing import TextIO

from guidelint.app.reporters import ReportOptions
from guidelint.core.safe_text import json_text
from guidelint.engine.run import RunResult


class JsonReporter:
    def __init__(self, options: ReportOptions) -> None:
        self.options = options

    def report(self, result: RunResult, stream: TextIO) -> None:
        rows = [
            {
                "path": d.path,
                "line": d.line,
                "column": d.column,
                "end_line": d.end_line,
                "end_column": d.end_column,
                "code": d.code,
                "severity": d.severity.value,
                "message": d.message,
            }
            for d in result.diagnostics
        ]
        stream.write(json_text(json.dumps(rows, indent=2, ensure_ascii=False)) + "\n")
