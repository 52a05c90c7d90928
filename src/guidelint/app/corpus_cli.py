"""The commands about the corpus as a whole: its views (graph, report) and the editors'
workflow (new, supersede, publish, amend, withdraw, reaffirm).

The command group loads this module only when one of these commands is asked for, so a check
never pays for it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from guidelint.app.cli import (
    EXIT_ERRORS,
    EXIT_USAGE,
    IsoDate,
    OutputFileProblem,
    enabled_rules,
    load_settings,
    rule_settings,
)
from guidelint.checks.validation import load_schema, vocabulary
from guidelint.core.safe_text import json_text, line_start, shown

if TYPE_CHECKING:
    from guidelint.app.workflow import Corpus, Plan


def _write_view(text: str, output_file: Path | None, output_format: str) -> None:
    """The view on the screen, or in a file. On the screen, text from the checked files cannot
    act on the terminal nor start a GitHub Actions command: each line is shown as the check
    shows a problem's (JSON escapes control characters itself; HTML goes to a file)."""
    if output_file is None:
        if output_format == "json":
            text = json_text(text)
        elif output_format != "html":
            text = "\n".join(line_start(line) if line else line for line in text.split("\n"))
        click.echo(text, nl=False)
        return
    try:
        output_file.parent.mkdir(parents=True, exist_ok=True)
        output_file.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise OutputFileProblem(str(output_file), exc.strerror or str(exc)) from exc


_view_paths = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
_view_output = click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of the screen.",
)
_view_config_file = click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read settings from this file (pyproject.toml or guidelint.toml) instead of searching.",
)
_view_isolated = click.option("--isolated", is_flag=True, help="Ignore all configuration files.")


@click.command()
@_view_paths
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["mermaid", "dot", "json"]),
    default="mermaid",
    show_default=True,
    help="mermaid renders in GitHub Markdown and pull requests; dot is for Graphviz.",
)
@_view_output
@_view_config_file
@_view_isolated
def graph(
    paths: tuple[Path, ...],
    output_format: str,
    output_file: Path | None,
    config_file: Path | None,
    isolated: bool,
) -> None:
    """Draw the lineages of the guidelines in PATHS: what replaced or amended what.

    Nodes show id, year and status; replacement, amendment and draft links are drawn apart,
    and a broken link (one-sided, to an id no file has, in a loop) is drawn red.
    """
    from guidelint.app.views.commands import read_corpus, render_graph
    from guidelint.core.settings import Settings

    config = load_settings(list(paths) or [Path()], config_file, isolated)
    settings = Settings(today=date.today())
    corpus = read_corpus(list(paths) or [Path()], config, settings, frozenset())
    _write_view(render_graph(corpus, output_format), output_file, output_format)


@click.command()
@_view_paths
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown", "html"]),
    default="text",
    show_default=True,
    help="markdown suits a CI job summary ($GITHUB_STEP_SUMMARY); html is one page that "
    "works opened from disk.",
)
@_view_output
@_view_config_file
@_view_isolated
@click.option(
    "--today",
    type=IsoDate(),
    default=None,
    help="Date to treat as today for reviews due (default: the real date).",
)
def report(
    paths: tuple[Path, ...],
    output_format: str,
    output_file: Path | None,
    config_file: Path | None,
    isolated: bool,
    today: date | None,
) -> None:
    """Report on the guidelines in PATHS, for editors and managers.

    Counts by organisation, specialty, status and evidence system; reviews overdue and due in
    the next 6 months, with the interval that applies; lineages with problems; problems per
    rule. Exit status 0 whatever the problems (the check is the gate), 2 for usage errors.
    """
    from guidelint.app.views.commands import read_corpus, render_report

    config = load_settings(list(paths) or [Path()], config_file, isolated)
    settings = rule_settings(config, today)
    enabled = enabled_rules(config, (), ())
    corpus = read_corpus(list(paths) or [Path()], config, settings, enabled)
    _write_view(
        render_report(corpus, output_format, settings, output_file), output_file, output_format
    )


# The editors' workflow -----------------------------------------------------------------------
_corpus_option = click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The corpus folder [default: the configured corpus-root, else the current folder].",
)
_dry_run = click.option(
    "--dry-run", is_flag=True, help="Show the changes as a unified diff and write nothing."
)
_workflow_date = click.option(
    "--date",
    "day",
    type=IsoDate(),
    default=None,
    help="The date to record [default: today].",
)


_workflow_today = click.option(
    "--today",
    type=IsoDate(),
    default=None,
    help="Date to treat as today for the check of the result (default: the real date).",
)


def _workflow_options(command: Any) -> Any:
    for option in (_workflow_today, _view_isolated, _view_config_file, _dry_run, _corpus_option):
        command = option(command)
    return command


def _run_workflow(
    make: Callable[[Corpus, date], Plan],
    *,
    corpus_dir: Path | None,
    config_file: Path | None,
    isolated: bool,
    dry_run: bool,
    day: date | None,
    today: date | None,
    new_file_may_be_unfinished: bool = False,
) -> None:
    """Plan the change, check the corpus with it, then write it (or show it with --dry-run)."""
    from guidelint.app.reporters.text import plural
    from guidelint.app.workflow import Refused, new_errors, read_corpus, write

    config = load_settings([corpus_dir or Path()], config_file, isolated)
    root = corpus_dir or config.corpus_root or (config.source.parent if config.source else Path())
    settings = rule_settings(config, today)
    today = settings.today
    corpus = read_corpus(root, config, settings)
    try:
        plan = make(corpus, day or today)
    except Refused as exc:
        click.echo(f"guidelint: {shown(str(exc))}; nothing was changed", err=True)
        sys.exit(exc.exit_code)
    added, touched = new_errors(corpus, plan, config, settings, enabled_rules(config, (), ()))
    if new_file_may_be_unfinished:
        created = {change.path for change in plan.changes if change.old is None}
        added = [d for d in added if d.path not in created]
    if added:
        click.echo(
            f"guidelint: refused, nothing was changed: the corpus would have "
            f"{plural(len(added), 'new error')}:",
            err=True,
        )
        for d in added:
            click.echo(
                f"  {shown(d.path)}:{d.line}:{d.column}: {d.code} {shown(d.message)}", err=True
            )
        sys.exit(EXIT_ERRORS)
    if dry_run:
        from guidelint.app.fix import unified_diff

        for change in plan.changes:
            click.echo(unified_diff(change.path, change.old or b"", change.new), nl=False)
        for said in plan.said:
            click.echo(f"would have {shown(said)}", err=True)
        return
    try:
        write(plan)
    except Refused as exc:
        click.echo(f"guidelint: {shown(str(exc))}; nothing was changed", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as exc:
        click.echo(f"guidelint: could not write: {shown(str(exc))}; nothing was changed", err=True)
        sys.exit(EXIT_USAGE)
    for said in plan.said:
        click.echo(shown(said))
    for d in touched:
        click.echo(f"  {shown(d.path)}:{d.line}:{d.column}: {d.code} {shown(d.message)}")


@click.command(name="new")
@click.argument("new_id", metavar="ID")
@_workflow_options
@_workflow_date
def new_command(
    new_id: str,
    **options: Any,  # the workflow options every command shares (_workflow_options)
) -> None:
    """Start a guideline: write ID.md in the corpus, a draft with every required key and the
    required sections, its values for you to fill in (the check lists them)."""
    from guidelint.app.workflow import plan_new

    _run_workflow(
        lambda corpus, day: plan_new(corpus, new_id, day),
        **options,
        new_file_may_be_unfinished=True,
    )


@click.command()
@click.argument("old_ids", metavar="OLD", nargs=1)
@click.argument("new_id", metavar="NEW")
@click.argument("more_old", metavar="[OLD2 ...]", nargs=-1)
@_workflow_options
@_workflow_date
def supersede(
    old_ids: str,
    new_id: str,
    more_old: tuple[str, ...],
    **options: Any,  # the workflow options every command shares (_workflow_options)
) -> None:
    """Start the version that replaces OLD: NEW.md, a draft copied from OLD with supersedes,
    previous_version_date and fresh dates. Several OLDs make a merge. OLD stays current until
    you run guidelint publish NEW."""
    from guidelint.app.workflow import plan_supersede

    olds = [old_ids, *more_old]
    _run_workflow(
        lambda corpus, day: plan_supersede(corpus, olds, new_id, day),
        **options,
    )


@click.command()
@click.argument("new_id", metavar="NEW")
@_workflow_options
@_workflow_date
def publish(
    new_id: str,
    **options: Any,  # the workflow options every command shares (_workflow_options)
) -> None:
    """Publish the draft NEW: it becomes current from --date (default today), every version it
    supersedes is marked superseded by it, every version it amends names it in amended_by.
    For a split, start and publish each successor in turn."""
    from guidelint.app.workflow import plan_publish

    _run_workflow(
        lambda corpus, day: plan_publish(corpus, new_id, day),
        **options,
    )


@click.command()
@click.argument("base_id", metavar="BASE")
@click.argument("new_id", metavar="NEW")
@_workflow_options
@_workflow_date
def amend(
    base_id: str,
    new_id: str,
    **options: Any,  # the workflow options every command shares (_workflow_options)
) -> None:
    """Start a focused update of BASE: NEW.md, a draft copied from BASE that amends it. BASE
    stays current; guidelint publish NEW makes both current."""
    from guidelint.app.workflow import plan_amend

    _run_workflow(
        lambda corpus, day: plan_amend(corpus, base_id, new_id, day),
        **options,
    )


@click.command()
@click.argument("guideline_id", metavar="ID")
@click.option(
    "--reason",
    # The schema's vocabulary for withdrawal_reason, each value described there.
    type=click.Choice([value for value, _ in vocabulary(load_schema(), "withdrawal_reason")]),
    required=True,
    help="Why it is withdrawn.",
)
@click.option(
    "--referred-to",
    default=None,
    metavar="ID_OR_URL",
    help="The guideline (an id, or an https:// address) readers should turn to instead.",
)
@_workflow_options
@_workflow_date
def withdraw(
    guideline_id: str,
    reason: str,
    referred_to: str | None,
    **options: Any,  # the workflow options every command shares (_workflow_options)
) -> None:
    """Withdraw ID without a successor: status withdrawn, with the date, the reason and where
    to turn instead. (A guideline replaced by a new version is superseded: use supersede.)"""
    from guidelint.app.workflow import plan_withdraw

    _run_workflow(
        lambda corpus, day: plan_withdraw(corpus, guideline_id, reason, referred_to, day),
        **options,
    )


@click.command()
@click.argument("guideline_id", metavar="ID")
@_workflow_options
@_workflow_date
def reaffirm(
    guideline_id: str,
    **options: Any,  # the workflow options every command shares (_workflow_options)
) -> None:
    """Record that ID was reviewed and still stands: a reaffirmed entry in review_history on
    --date (default today), and last_reviewed set to it."""
    from guidelint.app.workflow import plan_reaffirm

    _run_workflow(
        lambda corpus, day: plan_reaffirm(corpus, guideline_id, day),
        **options,
    )


COMMANDS: dict[str, click.Command] = {
    "graph": graph,
    "report": report,
    "new": new_command,
    "supersede": supersede,
    "publish": publish,
    "amend": amend,
    "withdraw": withdraw,
    "reaffirm": reaffirm,
}
