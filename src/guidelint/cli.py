"""The `guidelint` command: parse options, hand off to the engine, report, choose the exit code.

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage or internal error.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from guidelint import __version__

EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class IsoDate(click.ParamType):  # type: ignore[type-arg]
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date written YYYY-MM-DD", param, ctx)


def _split_codes(values: tuple[str, ...]) -> list[str]:
    return [code for value in values for code in value.split(",") if code.strip()]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument(
    "paths",
    nargs=-1,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Only these rule codes or prefixes, comma-separated (GL2,GL501). Default: all.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODES",
    help="Skip these rule codes or prefixes, comma-separated.",
)
@click.option(
    "--today",
    type=IsoDate(),
    default=None,
    help="Date to treat as today for the date rules (default: the real date).",
)
@click.version_option(__version__, "--version", prog_name="guidelint")
def cli(
    paths: tuple[Path, ...],
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    today: date | None,
) -> None:
    """Check clinical guideline Markdown files and their YAML front matter.

    PATHS are files or folders (default: the current folder); folders are searched for *.md
    files. Exit status: 0 when no errors are found (warnings allowed), 1 when errors are found,
    2 for usage or internal errors.
    """
    from guidelint.context import Settings
    from guidelint.engine import run
    from guidelint.registry import UnknownSelector, select_codes
    from guidelint.reporters import get_reporter

    try:
        enabled = select_codes(_split_codes(select) or None, _split_codes(ignore) or None)
    except UnknownSelector as exc:
        raise click.BadParameter(
            f"{exc} matches no rule code; run 'guidelint --help' for usage",
            param_hint="--select/--ignore",
        ) from exc
    settings = Settings(today=today or date.today())
    result = run(list(paths) or [Path()], settings, enabled)
    get_reporter(output_format).report(result, sys.stdout)
    sys.stdout.flush()
    for error in result.internal_errors:
        click.echo(f"guidelint: {error}\nPlease report this as a bug.", err=True)
    if result.internal_errors:
        sys.exit(EXIT_USAGE)
    has_errors = any(d.severity.value == "error" for d in result.diagnostics)
    sys.exit(EXIT_ERRORS if has_errors else EXIT_CLEAN)


def main() -> None:
    try:
        cli.main(prog_name="guidelint")
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head); nothing more to say
        sys.exit(EXIT_ERRORS)
    except Exception as exc:  # never a bare traceback to an editor
        import traceback

        click.echo(f"guidelint: internal error: {exc}", err=True)
        traceback.print_exc()
        sys.exit(EXIT_USAGE)
