"""What `guidelint graph` and `guidelint report` do, once the command line is read.

Both list the corpus exactly as a check does (the same settings, corpus root, exclusions and
refusals of links out of the repository), read each file's metadata with the checker's limits,
and write one text; the report also runs the check, for its problems.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from guidelint.app.views.html import Href
from guidelint.app.views.lineages import Version, read_versions
from guidelint.core.diagnostic import Diagnostic
from guidelint.core.settings import Config, Settings


@dataclass(frozen=True, slots=True)
class Corpus:
    versions: list[Version]
    problems: list[Diagnostic]  # the check's findings, when rules were enabled
    files: int


def read_corpus(
    targets: list[Path],
    config: Config,
    settings: Settings,
    enabled: frozenset[str],
) -> Corpus:
    """The corpus's versions, and the check's findings when `enabled` names rules."""
    from guidelint.engine.run import RunOptions, run

    options = RunOptions(jobs=os.cpu_count() or 1)
    result = run(targets, settings, enabled, config, options)
    versions = read_versions(result.files.items(), config.limits)
    return Corpus(versions, result.diagnostics, len(result.paths))


def render_graph(corpus: Corpus, output_format: str) -> str:
    from guidelint.app.views.graph import RENDER
    from guidelint.app.views.lineages import lineages

    return RENDER[output_format](lineages(corpus.versions))


def render_report(corpus: Corpus, output_format: str, settings: Settings, page: Path | None) -> str:
    from guidelint.app.views.report import build_report
    from guidelint.rules.registry import rules_by_code

    report = build_report(
        corpus.versions,
        corpus.problems,
        settings.today,
        settings.review_interval,
        {code: rule.name for code, rule in rules_by_code().items()},
        frozenset(code for code, rule in rules_by_code().items() if rule.stage == "corpus"),
    )
    if output_format == "html":
        from guidelint.app.views.html import render_html

        return render_html(report, _linker(page))
    from guidelint.app.views.report import render_json, render_markdown, render_text

    render = {"text": render_text, "json": render_json, "markdown": render_markdown}
    return render[output_format](report)


def _linker(page: Path | None) -> Href:
    """Links from the page to the files: relative to the folder the page is written to."""
    folder = Path(os.path.abspath(page.parent if page is not None else Path()))  # noqa: PTH100

    def href(path: str, line: int) -> str:
        from urllib.parse import quote

        target = os.path.relpath(os.path.abspath(path), folder)  # noqa: PTH100
        return quote(Path(target).as_posix()) + f"#L{line}"

    return href
