"""`--format junit`: JUnit XML, one test suite per checked file, one case per problem.

CI systems that show test reports (Jenkins, GitLab, Azure) list each file; a clean file is one
passing case, so the report also shows what was checked. The shape is Jenkins xunit's
junit-10.xsd, the schema pytest writes to: the file is an attribute of the suite, not of the
case. An error is a failing case; a warning is a passing case that carries its message in
`system-out`, since a run whose only problems are warnings passes (exit 0), and a report of
failures would say otherwise.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TextIO
from xml.etree import ElementTree as ET

from guidelint.app.reporters import ReportOptions
from guidelint.core.diagnostic import Diagnostic, Severity
from guidelint.core.safe_text import shown
from guidelint.engine.run import RunResult

# Characters XML 1.0 cannot carry, even escaped; a value quoted in a message may hold them.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    """Text from the checked files as a report viewer shows it: controls written as escapes
    (as in text output; most of them XML 1.0 cannot carry at all), and U+FFFE and U+FFFF,
    which XML does not allow either, replaced."""
    return NOT_XML.sub("\N{REPLACEMENT CHARACTER}", shown(text))


class JunitReporter:
    def __init__(self, options: ReportOptions) -> None:
        self.options = options

    def report(self, result: RunResult, stream: TextIO) -> None:
        by_path: dict[str, list[Diagnostic]] = defaultdict(list)
        for d in result.diagnostics:
            by_path[d.path].append(d)
        paths = sorted(set(result.paths) | set(by_path))
        cases = sum(max(len(by_path[path]), 1) for path in paths)
        root = ET.Element(
            "testsuites",
            name="guidelint",
            tests=str(cases),
            failures=str(sum(_is_failure(d) for d in result.diagnostics)),
            errors="0",
        )
        for path in paths:
            found = by_path[path]
            suite = ET.SubElement(
                root,
                "testsuite",
                name=_xml(path),
                tests=str(max(len(found), 1)),
                failures=str(sum(_is_failure(d) for d in found)),
                errors="0",
                skipped="0",
                file=_xml(path),
            )
            if not found:
                ET.SubElement(suite, "testcase", name="guidelint", classname=_xml(path))
            for d in found:
                case = ET.SubElement(
                    suite,
                    "testcase",
                    name=f"{d.code} line {d.line}, column {d.column}",
                    classname=_xml(path),
                )
                text = _xml(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}")
                if _is_failure(d):
                    failure = ET.SubElement(case, "failure", message=_xml(d.message), type=d.code)
                    failure.text = text
                else:
                    ET.SubElement(case, "system-out").text = f"{d.severity.value}: {text}"
        ET.indent(root)
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        stream.write(ET.tostring(root, encoding="unicode"))
        stream.write("\n")


def _is_failure(diagnostic: Diagnostic) -> bool:
    return diagnostic.severity is Severity.ERROR
