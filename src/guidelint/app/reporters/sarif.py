"""`--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; the tool's driver lists every rule with its documentation, and each result refers to
its rule by id and index. Paths are relative to the repository root (`%SRCROOT%`, see
reporters/repository_paths.py); columns are counted in Unicode code points, as guidelint
counts them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from guidelint import __version__
from guidelint.app.reporters import ReportOptions
from guidelint.core.diagnostic import Severity
from guidelint.core.safe_text import json_text
from guidelint.engine.run import RunResult
from guidelint.rules.base import Rule
from guidelint.rules.registry import ALL_RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning"}


class SarifReporter:
    def __init__(self, options: ReportOptions) -> None:
        self.options = options

    def report(self, result: RunResult, stream: TextIO) -> None:
        index = {rule.code: position for position, rule in enumerate(ALL_RULES)}
        log = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "guidelint",
                            "version": __version__,
                            "informationUri": "https://github.com/guidelint/guidelint",
                            "rules": [_rule(rule) for rule in ALL_RULES],
                        }
                    },
                    "originalUriBaseIds": {"%SRCROOT%": {"uri": self._root_uri()}},
                    "columnKind": "unicodeCodePoints",
                    "invocations": [{"executionSuccessful": not result.internal_errors}],
                    "results": [
                        {
                            "ruleId": d.code,
                            "ruleIndex": index[d.code],
                            "level": LEVELS[d.severity],
                            "message": {"text": d.message},
                            "locations": [
                                {
                                    "physicalLocation": {
                                        "artifactLocation": _artifact(d.path),
                                        "region": {
                                            "startLine": d.line,
                                            "startColumn": d.column,
                                            "endLine": d.end_line,
                                            "endColumn": d.end_column,
                                        },
                                    }
                                }
                            ],
                        }
                        for d in result.diagnostics
                    ],
                }
            ],
        }
        stream.write(json_text(json.dumps(log, indent=2, ensure_ascii=False)) + "\n")

    def _root_uri(self) -> str:
        return (self.options.root or Path.cwd()).as_uri().rstrip("/") + "/"


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"stage": rule.stage},
    }


def _artifact(path: str) -> dict[str, str]:
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path), "uriBaseId": "%SRCROOT%"}
