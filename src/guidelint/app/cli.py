"""The `guidelint` command: parse options, hand off to the engine, report, choose the exit code.

`guidelint [PATH]...` checks files (it is short for `guidelint check [PATH]...`); `guidelint
rule CODE` and `guidelint rules` print the rules' documentation.

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage or internal error.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from guidelint import __version__
from guidelint.app.interrupt import EXIT_INTERRUPTED, say_interrupted
from guidelint.app.reporters import REPORTERS, STATISTICS_REPORTERS
from guidelint.core.safe_text import shown, shown_lines

if TYPE_CHECKING:
    from guidelint.app.config import Project
    from guidelint.app.fix import FixOutcome
    from guidelint.core.settings import Config, Settings
    from guidelint.engine.run import RunOptions, RunResult
    from guidelint.readers.staged import Staged

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


# The commands about the corpus as a whole (app/corpus_cli.py), loaded when one is asked for.
CORPUS_COMMANDS = (
    "graph",
    "report",
    "new",
    "supersede",
    "publish",
    "amend",
    "withdraw",
    "reaffirm",
)


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a command, starts the `check` command.

    So `guidelint seeds/` and `guidelint --format json seeds/` keep working beside
    `guidelint rule GL201`. A folder named like a command is reached as `./rules`.
    """

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = args[0] if args else None
        if first not in self.commands and first not in (
            *CORPUS_COMMANDS,
            "-h",
            "--help",
            "--version",
        ):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.commands, *CORPUS_COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in CORPUS_COMMANDS:
            module = importlib.import_module("guidelint.app.corpus_cli")
            found: click.Command = module.COMMANDS[cmd_name]
            return found
        return super().get_command(ctx, cmd_name)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _escaped_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _escaped_errors():
                return super().invoke(ctx)
        except KeyboardInterrupt:
            # Before click turns it into 'Aborted!' and exit code 1, which means errors found.
            raise Interrupted() from None

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        check = self.commands[self.default_command]
        with click.Context(check, info_name=ctx.info_name, parent=None) as check_ctx:
            check.format_usage(check_ctx, formatter)
            check.format_help_text(check_ctx, formatter)
            check.format_options(check_ctx, formatter)
        self.format_commands(ctx, formatter)
        formatter.write_paragraph()
        formatter.write_text("Run 'guidelint rule CODE' to learn what a rule checks and why.")


@contextmanager
def _escaped_errors() -> Iterator[None]:
    """Every usage or configuration error click prints, with what it quotes (a path given on
    the command line, a setting's key or value from a checked repository) made safe to show."""
    try:
        yield
    except click.ClickException as exc:
        # click declares it final; it is rewritten once, on the way to being shown. (A file
        # error's name is shown by repr, which escapes it already.)
        object.__setattr__(exc, "message", shown(exc.message))
        raise


class ConfigProblem(click.ClickException):
    """A configuration file guidelint cannot use: exit 2 with the file and key named."""

    exit_code = EXIT_USAGE

    def format_message(self) -> str:
        return f"{shown(self.message)}\nFix the configuration, or run with --isolated to ignore it."


class OutputFileProblem(click.FileError):
    exit_code = EXIT_USAGE


class Interrupted(click.ClickException):
    """Ctrl-C: one line, exit code 130, and nothing written (the cache is saved at the end)."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self) -> None:
        super().__init__("interrupted")

    def show(self, file: Any = None) -> None:
        say_interrupted()


def _split_codes(values: tuple[str, ...]) -> list[str]:
    return [code for value in values for code in value.split(",") if code.strip()]


@click.group(
    cls=DefaultGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", prog_name="guidelint")
def cli() -> None:
    """Check clinical guideline Markdown files and their YAML front matter."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "--output-format",
    "output_format",
    type=click.Choice(tuple(REPORTERS)),
    default=None,
    help="Output format. [default: text; github when GITHUB_ACTIONS=true]",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the report to this file instead of the screen.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Only these rule codes or prefixes, comma-separated (GL2,GL501). Replaces the "
    "configured selection. Default: all but the opt-in rules (GL108).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODES",
    help="Skip these rule codes or prefixes, comma-separated; added to the configured ones.",
)
@click.option(
    "--statistics", is_flag=True, help="Show how many problems each rule found, not the problems."
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit with 0 even when errors are found (2 still means guidelint itself failed).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print the problems only, without the summary.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also say where the settings came from and every folder skipped, and why.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour and source excerpts in text output; auto means on a terminal, unless NO_COLOR "
    "is set.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read settings from this file (pyproject.toml or guidelint.toml) instead of searching.",
)
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Leave out files outside corpus-root, and project documents such as README.md, even "
    "when they are named (as pre-commit names every staged Markdown file).",
)
@click.option(
    "--staged",
    is_flag=True,
    help="Check what the next commit will contain, as git's index has it (the pre-commit "
    "hook): the files named, or the staged ones when none are; the rest of the corpus as "
    "staged, untracked files left out; and the versions that link to a file the commit deletes. "
    "Implies --force-exclude.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Check every file afresh, without reading or writing the cache.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="GUIDELINT_CACHE_DIR",
    help="Where to keep the cache, any folder [default: the cache-dir setting, else this "
    "project's folder in your user cache folder, such as ~/.cache/guidelint]. Whatever the "
    "folder, guidelint trusts only the files it sealed there with your secret key (kept in your "
    "user cache folder), and never follows a link there. Also GUIDELINT_CACHE_DIR.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for checking files [default: the number of CPU cores].",
)
@click.option(
    "--today",
    type=IsoDate(),
    default=None,
    help="Date to treat as today for the date rules (default: the real date).",
)
@click.option(
    "--fix/--no-fix",
    default=False,
    help="Mend what can be mended safely, in place, and report what remains.",
)
@click.option(
    "--unsafe-fixes/--no-unsafe-fixes",
    default=False,
    help="Also offer and apply fixes that may change what the metadata says (such as the "
    "other half of a supersession link); check the result.",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Show the fixes as a unified diff and write nothing; exit 1 when there is something "
    "to fix.",
)
@click.option(
    "--fix-only",
    is_flag=True,
    help="Like --fix, but report only what was fixed, not the problems that remain; exit 0.",
)
@click.option("--show-fixes", is_flag=True, help="With --fix, list what was fixed in each file.")
@click.option(
    "--exit-non-zero-on-fix",
    is_flag=True,
    help="With --fix, exit 1 when something was fixed, even if nothing remains.",
)
@click.version_option(__version__, "--version", prog_name="guidelint")
def check(**options: Any) -> None:
    """Check guideline files: PATHS are files or folders (default: the current folder).

    Folders are searched for *.md files. Settings come from [tool.guidelint] in pyproject.toml
    or from guidelint.toml at the top of the git repository (outside one, the nearest above the
    checked paths); options given here win.
    Exit status: 0 when no errors are found (warnings allowed), 1 when errors are found, 2 for
    usage or internal errors.
    """
    sys.exit(execute(Invocation(**options)))


@dataclass(frozen=True, slots=True)
class Invocation:
    """The `check` command's options, as click parsed them."""

    paths: tuple[Path, ...]
    output_format: str | None
    output_file: Path | None
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    statistics: bool
    exit_zero: bool
    quiet: bool
    verbose: bool
    color: str
    config_file: Path | None
    isolated: bool
    force_exclude: bool
    staged: bool
    no_cache: bool
    cache_dir: Path | None
    jobs: int | None
    today: date | None
    fix: bool
    unsafe_fixes: bool
    diff: bool
    fix_only: bool
    show_fixes: bool
    exit_non_zero_on_fix: bool

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff or self.fix_only


def execute(invocation: Invocation) -> int:
    """One `check`: settings, cache folder, the run or the fix rounds, the report; the exit code."""
    staged_view = _staged_view(invocation)
    targets = _targets(invocation, staged_view)
    if staged_view is not None and not targets and not staged_view.deleted_ids:
        return EXIT_CLEAN  # the commit changes no guideline
    chosen = _chosen_format(invocation)
    config = _load_settings(invocation, targets)
    enabled = enabled_rules(config, invocation.select, invocation.ignore)
    settings = _rule_settings(invocation, config)
    options = _run_options(invocation, config, staged_view)
    if _FREEZE_BEFORE_RUN:
        # Everything imported so far lives as long as the process: set it aside from the
        # collector's passes, which would scan it again and again for nothing; forked workers
        # share it untouched, too.
        import gc

        gc.freeze()
    if invocation.fixing:
        outcome = _fix(invocation, targets, settings, enabled, config, options)
        if invocation.diff:
            return _show_diff(outcome, invocation.unsafe_fixes)
        result = outcome.result
    else:
        from guidelint.engine.run import run

        outcome = None
        result = run(targets, settings, enabled, config, options)
        _say_skipped(result, invocation.verbose)
    report = _Report(
        chosen,
        invocation.statistics,
        invocation.quiet,
        invocation.unsafe_fixes,
        outcome,
        invocation.fix_only,
        invocation.show_fixes,
        config.source,
    )
    if not result.paths and not result.internal_errors and staged_view is None:
        named = shown(", ".join(str(target) for target in targets))
        click.echo(f"guidelint: warning: no guideline files found in {named}", err=True)
    _write_report(invocation, result, report)
    return _exit_code(invocation, result, outcome)


def _staged_view(invocation: Invocation) -> Staged | None:
    if not invocation.staged:
        return None
    if invocation.fixing:
        raise click.UsageError(
            "--staged checks the commit as staged and cannot be combined with --fix, "
            "--diff or --fix-only: fix the files, stage them, then check again"
        )
    return _read_staged()


def _targets(invocation: Invocation, staged_view: Staged | None) -> list[Path]:
    """The paths named; else the staged guidelines, or the current folder."""
    if invocation.paths:
        return list(invocation.paths)
    return _staged_targets(staged_view) if staged_view is not None else [Path()]


def _chosen_format(invocation: Invocation) -> str:
    given = invocation.output_format
    chosen = given or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    if not invocation.statistics:
        return chosen
    if given is None:
        return "text"  # a count for the person reading the log, even in GitHub Actions
    if chosen not in STATISTICS_REPORTERS:
        raise click.UsageError(
            f"--statistics cannot be combined with --format {chosen}: a {chosen} report "
            "lists problems, not counts; use --format text or --format json with "
            "--statistics, or leave --statistics out"
        )
    return chosen


def _load_settings(invocation: Invocation, targets: list[Path]) -> Config:
    """The settings file's checked values (the defaults with --isolated), said with -v."""
    return load_settings(targets, invocation.config_file, invocation.isolated, invocation.verbose)


def load_settings(
    targets: list[Path], config_file: Path | None, isolated: bool, verbose: bool = False
) -> Config:
    """The checked values of the settings file for `targets`: the one named, else the one
    found (none with `isolated`); what is not read is said, and where they came from with -v."""
    from guidelint.app.config import ConfigError, find_project, load_config

    try:
        project = find_project(targets, settings=not isolated and config_file is None)
        source = None if isolated else config_file or project.settings
        config = load_config(source, project, named=config_file is not None and not isolated)
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from exc
    _say_settings(project, source, verbose, isolated, named=config_file is not None)
    return config


def _rule_settings(invocation: Invocation, config: Config) -> Settings:
    return rule_settings(config, invocation.today)


def rule_settings(config: Config, today: date | None) -> Settings:
    """What the rules are told: the configured values, and the date to treat as today."""
    from guidelint.core.settings import Settings

    return Settings(
        today=today or date.today(),
        stale_after_years=config.stale_after_years,
        review_intervals=config.review_interval_years,
        required_sections=config.required_sections,
        extra_vocabulary=config.extra_vocabulary,
    )


def _run_options(invocation: Invocation, config: Config, staged_view: Staged | None) -> RunOptions:
    from guidelint.engine.run import RunOptions

    folder = None if invocation.no_cache else _cache_folder(invocation.cache_dir, config)
    store = None
    if folder is not None:
        from guidelint.cache.run_store import CacheFolder

        store = CacheFolder(folder)
    return RunOptions(
        store=store,
        jobs=invocation.jobs or os.cpu_count() or 1,
        contents=_staged_contents(staged_view) if staged_view is not None else {},
        staged=staged_view,
        force_exclude=invocation.force_exclude or invocation.staged,
    )


def _fix(
    invocation: Invocation,
    targets: list[Path],
    settings: Settings,
    enabled: frozenset[str],
    config: Config,
    options: RunOptions,
) -> FixOutcome:
    """The fix rounds (written unless --diff), and what the user must hear of them."""
    from guidelint.app.fix import fix_run

    unsafe, write = invocation.unsafe_fixes, not invocation.diff
    outcome = fix_run(targets, settings, enabled, config, options, unsafe=unsafe, write=write)
    _say_skipped(outcome.result, invocation.verbose)
    for path in outcome.reverted:
        click.echo(
            f"guidelint: a fix would have made {shown(path)} unreadable, so it was not "
            "applied; please report this as a bug",
            err=True,
        )
    if not invocation.diff:
        for path, reason in outcome.not_written.items():
            click.echo(f"guidelint: {shown(path)} was not fixed: {shown(reason)}", err=True)
    return outcome


def _write_report(invocation: Invocation, result: RunResult, report: _Report) -> None:
    output_file, color = invocation.output_file, invocation.color
    if output_file is None:
        _report(result, sys.stdout, report, color)
        sys.stdout.flush()
        return
    try:
        # A report folder that does not exist yet is made, as ruff does for --output-file.
        output_file.parent.mkdir(parents=True, exist_ok=True)
        with output_file.open("w", encoding="utf-8", newline="\n") as stream:
            file_color = "never" if color == "auto" else color
            _report(result, stream, report, file_color, to_file=True)
    except OSError as exc:
        raise OutputFileProblem(str(output_file), exc.strerror or str(exc)) from exc


def _exit_code(invocation: Invocation, result: RunResult, outcome: FixOutcome | None) -> int:
    for error in result.internal_errors:
        click.echo(f"guidelint: {shown_lines(error)}\nPlease report this as a bug.", err=True)
    if result.internal_errors:
        return EXIT_USAGE
    if outcome is not None and outcome.fixed and invocation.exit_non_zero_on_fix:
        return EXIT_ERRORS
    if invocation.fix_only:
        return EXIT_CLEAN
    has_errors = any(d.severity.value == "error" for d in result.diagnostics)
    return EXIT_ERRORS if has_errors and not invocation.exit_zero else EXIT_CLEAN


def _read_staged() -> Staged:
    from guidelint.readers.staged import StagedError, read_staged

    try:
        return read_staged(Path.cwd())
    except StagedError as exc:
        raise click.UsageError(str(exc)) from exc


def _staged_targets(staged: Staged) -> list[Path]:
    """With nothing named: the staged Markdown files, as the current folder names them."""
    from guidelint.engine.paths import display_path

    return [
        Path(display_path(file))
        for file in staged.added_or_changed
        if file.name.endswith(".md") and (file.is_file() or file in staged.staged_text)
    ]


def _staged_contents(staged: Staged) -> dict[str, bytes]:
    """The staged text of files whose text in the folder differs, by the name shown."""
    from guidelint.engine.paths import display_path

    return {display_path(file): text for file, text in staged.staged_text.items()}


def _cache_folder(given: Path | None, config: Config) -> Path | None:
    """The folder to keep the cache in: --cache-dir (or GUIDELINT_CACHE_DIR), else the
    `cache-dir` setting, else the project's own folder in the user's cache folder. The project
    is the configuration file's folder, else the git work tree, else the current folder."""
    from guidelint.app.config import project_top
    from guidelint.cache.folder import cache_folder_problem, default_cache_folder, user_cache_root

    project = config.source.parent if config.source else project_top(Path.cwd())
    # Normalised by name: what is checked for links below is then the path the system follows
    # (`link/../x` would otherwise go through the link's target).
    folder = Path(os.path.abspath(given or config.cache_dir or default_cache_folder(project)))  # noqa: PTH100
    top = project_top(project)
    # The secret key's folder too: XDG_CACHE_HOME may point into the work tree.
    problem = cache_folder_problem(folder, top) or cache_folder_problem(user_cache_root(), top)
    if problem is not None:
        click.echo(f"guidelint: {shown(problem)}; checking every file without the cache", err=True)
        return None
    return folder


def _say_settings(
    project: Project, source: Path | None, verbose: bool, isolated: bool, named: bool
) -> None:
    """Settings files that are not read, always; where the settings came from, with -v."""
    from guidelint.engine.paths import display_path

    for unread in project.unread:
        click.echo(
            f"guidelint: {_plain(display_path(unread))} is not read: settings come from one "
            f"file, at the top of the repository ({_plain(display_path(project.top))}); move "
            "them there, or name the file with --config",
            err=True,
        )
    if not verbose:
        return
    shown = _plain(display_path(source)) if source else ""
    if isolated:
        how = "--isolated: no settings file is read"
    elif named:
        how = f"settings from {shown} (--config)"
    elif project.in_repository:
        how = f"settings from {shown}" if source else "no settings file there: the defaults"
    else:
        how = (
            f"settings from {shown}, the nearest above the checked paths"
            if source
            else "no settings file above the checked paths: the defaults"
        )
    top = _plain(display_path(project.top))
    where = f"repository top {top}" if project.in_repository else "not inside a git repository"
    click.echo(f"guidelint: {where}; {how}", err=True)


def _plain(text: str) -> str:
    """A name from the repository with its control characters written as escapes (\\x1b):
    a folder name must not move the terminal's cursor or start a line of its own."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _say_skipped(result: RunResult, verbose: bool) -> None:
    """The folders and links left out of the run: unreadable ones and links out of the
    repository always, the rest (hidden, node_modules, virtual environments) with -v."""
    from guidelint.engine.paths import display_path

    said = set()
    for skip in result.skipped:
        if (skip.always or verbose) and skip.path not in said:
            said.add(skip.path)
            shown = _plain(display_path(skip.path))
            click.echo(f"guidelint: skipped {shown}: {skip.reason}", err=True)


def _show_diff(outcome: FixOutcome, unsafe: bool) -> int:
    """`--diff`: each changed file as a unified diff, and what would be fixed; writes nothing."""
    import secrets

    from guidelint.app.fix import FixScope, hidden, unified_diff
    from guidelint.app.reporters.text import plural

    # A context line is the file's own line after a space, and GitHub Actions reads a line
    # starting with '::' after spaces as a workflow command: none is read until the token.
    token = secrets.token_hex(16) if os.environ.get("GITHUB_ACTIONS") == "true" else None
    if token and outcome.changed:
        click.echo(f"::stop-commands::{token}")
    for path in outcome.changed:
        click.echo(unified_diff(path, outcome.original[path], outcome.fixed_bytes[path]), nl=False)
        click.echo()
    if token and outcome.changed:
        click.echo(f"::{token}::")
    scope = FixScope.of(outcome.result)
    more = sum(hidden(d, unsafe, scope) for d in outcome.result.diagnostics)
    extra = f" ({plural(more, 'additional fix')} available with `--unsafe-fixes`)" if more else ""
    if outcome.fixed:
        click.echo(f"Would fix {plural(len(outcome.fixed), 'problem')}{extra}.", err=True)
    else:
        click.echo(f"No problems to fix{extra}.", err=True)
    return EXIT_ERRORS if outcome.changed else EXIT_CLEAN


def enabled_rules(
    config: Config, select: tuple[str, ...], ignore: tuple[str, ...]
) -> frozenset[str]:
    """Rules to run: CLI --select replaces the configured selection; ignores add up."""
    from guidelint.rules.registry import UnknownSelector, select_codes

    try:
        if select:
            return select_codes(_split_codes(select), _split_codes(ignore) or None)
        chosen = select_codes(list(config.select) if config.select is not None else None, None)
        if config.extend_select:
            chosen |= select_codes(list(config.extend_select), None)
        ignored = [*config.ignore, *_split_codes(ignore)]
        return chosen - select_codes(ignored, None) if ignored else chosen
    except UnknownSelector as exc:
        raise click.BadParameter(
            f"{exc} matches no rule code; run 'guidelint rules' to list them",
            param_hint="--select/--ignore",
        ) from exc


@dataclass(frozen=True)
class _Report:
    output_format: str
    statistics: bool
    quiet: bool
    unsafe_fixes: bool
    outcome: FixOutcome | None  # after --fix
    fix_only: bool
    show_fixes: bool
    settings_file: Path | None = None  # where paths of machine formats start, failing git


def _report(
    result: RunResult, stream: TextIO, report: _Report, color: str, *, to_file: bool = False
) -> None:
    from guidelint.app.reporters import ReportOptions, get_reporter
    from guidelint.app.reporters.repository_paths import ROOTED_FORMATS, from_root, repository_root

    terminal = color == "always" or (
        color == "auto"
        and stream.isatty()
        and "NO_COLOR" not in os.environ
        and os.environ.get("TERM") != "dumb"
    )
    outcome = report.outcome
    if outcome is not None and (report.show_fixes or report.fix_only):
        from guidelint.app.reporters.text import fixes_applied

        applied = fixes_applied(outcome.fixed, listed=report.show_fixes)
        if report.output_format == "text" and not to_file:
            stream.write(applied)
        else:
            # A report for a program, or in a file: what was fixed is said to the person, as
            # ruff does, and the report stays what its format promises.
            click.echo(applied, err=True, nl=False)
        if report.fix_only:
            if report.output_format == "text":
                return
            result = replace(result, diagnostics=[])  # what remains is not reported
    root = None
    if report.output_format in ROOTED_FORMATS:
        root = repository_root(report.settings_file)
        result = from_root(result, root)
    options = ReportOptions(
        root=root,
        color=terminal,
        show_source=terminal,
        quiet=report.quiet,
        unsafe_fixes=report.unsafe_fixes,
        fixed=None if outcome is None else len(outcome.fixed),
    )
    get_reporter(report.output_format, options, statistics=report.statistics).report(result, stream)


@cli.command()
@click.argument("code")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def rule(code: str, output_format: str) -> None:
    """Explain one rule: what it checks, why, and an example with its fix."""
    import json

    from guidelint.app.ruledocs import fix_label, render_rule
    from guidelint.core.suggest import did_you_mean
    from guidelint.rules.registry import rules_by_code

    found = rules_by_code().get(code.strip().upper())
    if found is None:
        hint = did_you_mean(code.upper(), rules_by_code())
        raise click.BadParameter(
            f"{code} is not a rule code{hint}; run 'guidelint rules' to list them",
            param_hint="CODE",
        )
    if output_format == "json":
        row = {
            "code": found.code,
            "name": found.name,
            "severity": found.severity.value,
            "fix": fix_label(found),
            "summary": found.summary,
            "explanation": found.doc,
        }
        click.echo(json.dumps(row, indent=2, ensure_ascii=False))
    else:
        click.echo(render_rule(found), nl=False)


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    help="markdown is the rules page, docs/rules.md.",
)
def rules(output_format: str) -> None:
    """List every rule: code, name, default severity, fix, and what it checks."""
    import json

    from guidelint.app.ruledocs import render_markdown, rule_table

    table = rule_table()
    if output_format == "markdown":
        click.echo(render_markdown(), nl=False)
    elif output_format == "json":
        keys = ("code", "name", "severity", "fix", "summary")
        click.echo(json.dumps([dict(zip(keys, row, strict=True)) for row in table], indent=2))
    else:
        name_width = max(len(row[1]) for row in table)
        for code, name, severity, fix, summary in table:
            click.echo(f"{code}  {name:<{name_width}}  {severity:<7}  {fix:<6}  {summary}")


@cli.command()
def server() -> None:
    """Start the language server, speaking LSP over standard input and output, for editors.

    Needs the `server` extra: pip install 'guidelint[server]'. Settings come from the same
    files as for a check, in the editor's workspace folder.
    """
    from guidelint.app.server import missing_packages, serve

    problem = missing_packages()
    if problem is not None:
        click.echo(f"guidelint: {problem}", err=True)
        sys.exit(EXIT_USAGE)
    serve()


# Set by main(), the program's entry point, not when the command is called in-process (tests,
# other tools): there, frozen objects would never be collected.
_FREEZE_BEFORE_RUN = False


def main() -> None:
    global _FREEZE_BEFORE_RUN
    _FREEZE_BEFORE_RUN = True
    try:
        cli.main(prog_name="guidelint")
    except KeyboardInterrupt:  # outside a command: while starting, or after the report
        say_interrupted()
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head); nothing more to say
        sys.exit(EXIT_ERRORS)
    except Exception as exc:  # never a bare traceback to an editor
        import traceback

        click.echo(f"guidelint: internal error: {shown(str(exc))}", err=True)
        click.echo(shown_lines(traceback.format_exc()), err=True, nl=False)
        sys.exit(EXIT_USAGE)
