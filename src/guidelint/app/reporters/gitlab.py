"""`--format gitlab`: a GitLab Code Quality report (a JSON array of issues).

https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
The fingerprint is stable across runs while the problem stays (path, code, message and its
occurrence), so GitLab can tell new problems from old ones even when lines move.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import TextIO

from guidelint.app.reporters import ReportOptions
from guidelint.core.diagnostic import Severity
from guidelint.core.safe_text import json_text
from guidelint.engine.run import RunResult

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor"}


class GitlabReporter:
    def __init__(self, options: ReportOptions) -> None:
        self.options = options

    def report(self, result: RunResult, stream: TextIO) -> None:
        seen: Counter[tuple[str, str, str]] = Counter()
        issues = []
        for d in result.diagnostics:
            identity = (d.path, d.code, d.message)
            seen[identity] += 1
            marker = "\0".join([*identity, str(seen[identity])])
            issues.append(
                {
                    "description": f"{d.code} {d.message}",
                    "check_name": d.code,
                    "fingerprint": hashlib.sha256(marker.encode("utf-8")).hexdigest(),
                    "severity": SEVERITIES[d.severity],
                    "location": {
                        "path": d.path,
                        "lines": {"begin": d.line, "end": d.end_line},
                    },
                }
            )
        stream.write(json_text(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n")
