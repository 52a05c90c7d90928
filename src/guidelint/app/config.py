"""Configuration: `[tool.guidelint]` in pyproject.toml, or a standalone guidelint.toml.

One settings file per run, so that a file's verdict never depends on how it was named
(`guidelint .` or `guidelint guidelines/x.md`, from the top or from a subfolder). Inside a git
repository it is the one in the repository's top folder (`find_project`): in that folder,
`guidelint.toml` (or `.guidelint.toml`) wins over `pyproject.toml`, and a pyproject.toml without
a `[tool.guidelint]` table is passed over; a settings file in a subfolder is not read (and is
said to be, when a named file is below it), and nothing above the top is. Outside a repository
there is no top to start from: the nearest file walking up from the checked paths is used, as
ruff does. ruff instead lets each file use the settings nearest to it; guidelint's settings are
the corpus's (its vocabularies, limits and lineage scope), which one run applies to every file.

Keys are spelled with hyphens, as in ruff. Every key and value is checked here, once: an unknown
key, a bad value, a limit over its ceiling, a `corpus-root` outside the repository or a file
that cannot be parsed is a `ConfigError` naming it, which the command line turns into exit code
2. Command-line flags override the file.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidelint.core.diagnostic import Severity
from guidelint.core.limits import CEILINGS, Limits
from guidelint.core.settings import Config
from guidelint.readers.discovery import common_start, is_inside, repository_top

CONFIG_NAMES = ("guidelint.toml", ".guidelint.toml")
VOCABULARIES = ("status", "guideline_type", "evidence_system", "specialty")
LIMIT_KEYS = {
    "max-file-bytes": "max_file_bytes",
    "max-front-matter-bytes": "max_front_matter_bytes",
    "max-yaml-values": "max_yaml_values",
    "max-yaml-depth": "max_yaml_depth",
    "max-markdown-depth": "max_markdown_depth",
    "max-markdown-bytes": "max_markdown_bytes",
}
# A settings file is a few dozen lines; pyproject.toml files run to a few kilobytes.
MAX_SETTINGS_BYTES = 1024 * 1024
TOML_POSITION = re.compile(r" \(at line (\d+), column (\d+)\)$| \(at end of document\)$")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""


# Discovery -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Project:
    """Where a run's settings come from, and the folder nothing may lead out of (Config.top)."""

    top: Path
    in_repository: bool
    settings: Path | None  # the settings file found; None: the defaults
    # Settings files between the checked paths and the repository's top, which are not read.
    unread: tuple[Path, ...] = ()


def find_project(paths: Iterable[Path], *, settings: bool = True) -> Project:
    """The checked paths' repository (its top found by a `.git`, without running git) and its
    settings file; without `settings` (--isolated, --config), no settings file is looked for."""
    start = common_start(list(paths))
    top = repository_top(start)
    if top is not None:
        if not settings:
            return Project(Path(top), True, None)
        unread: list[Path] = []
        folder = start
        while folder != top:
            unread += _unread_settings(folder)
            folder = os.path.dirname(folder)  # noqa: PTH120
        return Project(Path(top), True, _settings_in(top), tuple(unread))
    folder = start
    while settings:
        found = _settings_in(folder)
        if found is not None:
            return Project(Path(folder), False, found)
        parent = os.path.dirname(folder)  # noqa: PTH120
        if parent == folder:
            break
        folder = parent
    return Project(Path(start), False, None)


def find_config_file(paths: Iterable[Path]) -> Path | None:
    """The settings file a run on these paths reads (see find_project); None: the defaults."""
    return find_project(paths).settings


def _listed(path: str) -> bool:
    """Whether a settings file of this name is there: anything but a folder. A link, a FIFO
    or a device is judged when read, and refused there: never silently passed over."""
    try:
        return not stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _settings_in(folder: str) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = os.path.join(folder, name)  # noqa: PTH118
        if _listed(candidate):
            return Path(candidate)
    pyproject = os.path.join(folder, "pyproject.toml")  # noqa: PTH118
    if _listed(pyproject) and _has_guidelint_table(Path(pyproject), folder):
        return Path(pyproject)
    return None


def _unread_settings(folder: str) -> list[Path]:
    found = [Path(folder, name) for name in CONFIG_NAMES if _listed(os.path.join(folder, name))]  # noqa: PTH118
    pyproject = os.path.join(folder, "pyproject.toml")  # noqa: PTH118
    if _listed(pyproject):
        try:
            if _has_guidelint_table(Path(pyproject), folder):
                found.append(Path(pyproject))
        except ConfigError:
            pass  # not read as settings, so not ours to judge
    return found


def _has_guidelint_table(pyproject: Path, top: str) -> bool:
    """Whether a pyproject.toml holds [tool.guidelint]; one that is not TOML is a ConfigError:
    guidelint cannot tell whether its settings are in it."""
    tool = _read_toml(pyproject, top).get("tool", {})
    return isinstance(tool, dict) and "guidelint" in tool


def _read_toml(path: Path, top: str | None) -> dict[str, Any]:
    """The parsed file: a regular file of at most MAX_SETTINGS_BYTES, never waited on, and,
    when `top` is given, not a symbolic link leading out of it."""
    from guidelint.readers.document import FileTooLarge, NotRegularFile, read_bounded

    if top is not None and path.is_symlink():
        real = os.path.realpath(path)
        if not is_inside(real, top):
            raise ConfigError(
                f"{path}: is a symbolic link to {real}, outside the repository; guidelint "
                "reads no settings from outside it"
            )
    try:
        data = read_bounded(path, MAX_SETTINGS_BYTES)
    except NotRegularFile as exc:
        raise ConfigError(f"{path}: is not a regular file") from exc
    except FileTooLarge as exc:
        raise ConfigError(
            f"{path}: is {exc.size} bytes; a settings file may be at most {MAX_SETTINGS_BYTES}"
        ) from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: is not UTF-8 text") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_problem(path, text, str(exc))) from exc


def _toml_problem(path: Path, text: str, message: str) -> str:
    """`path, line 2, column 1: is not valid TOML: Unclosed array`: the parser's message with
    its position (tomllib gives none but 'at end of document' for what is left open)."""
    match = TOML_POSITION.search(message)
    if match is None:
        return f"{path}: is not valid TOML: {message}"
    problem = message[: match.start()]
    if match.group(1):
        return (
            f"{path}, line {match.group(1)}, column {match.group(2)}: is not valid TOML: {problem}"
        )
    last = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    return f"{path}, line {max(last, 1)} (the end of the file): is not valid TOML: {problem}"


def project_top(folder: Path) -> Path:
    """The top of the git work tree holding `folder`; `folder` itself outside one."""
    absolute = folder.absolute()
    found = repository_top(str(absolute))
    return Path(found) if found is not None else absolute


# Loading and checking ----------------------------------------------------------------------
def load_config(
    path: Path | None, project: Project | None = None, *, named: bool = False
) -> Config:
    """The checked settings in `path`; the defaults when `path` is None.

    `project` is where the run is (find_project); `named` says the file was named with
    --config, and may then be anywhere: its values are held to the same bounds.
    """
    if path is None:
        if project is None:
            return Config()
        return Config(top=project.top, in_repository=project.in_repository)
    path = path.absolute()
    folder = Path(os.path.realpath(path.parent))
    if project is None:
        found = repository_top(str(folder))
        project = Project(Path(found or folder), found is not None, path)
    top = project.top
    if named and not project.in_repository:
        # Outside a repository, a file named on the command line bounds nothing by itself:
        # the folder holding both it and the checked paths is the limit.
        top = Path(os.path.commonpath([top, folder]))
    data = _read_toml(path, None if named else str(top))
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("guidelint", {}) if isinstance(tool, dict) else None
        where = f"{path}: [tool.guidelint]"
    else:
        table = data
        where = str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    return _Checker(where, path, folder, top, project.in_repository).build(table)


class _Checker:
    """Turns a raw TOML table into a Config, or raises ConfigError naming the bad key."""

    def __init__(
        self,
        where: str,
        source: Path,
        root: Path | None = None,
        top: Path | None = None,
        in_repository: bool = False,
    ) -> None:
        self.where = where
        self.source = source
        self.root = root or source.parent  # the real folder holding the file
        self.top = top or self.root
        self.in_repository = in_repository

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.where}: '{key}' {problem}")

    def handlers(self) -> dict[str, Callable[[str, Any], Any]]:
        """Each setting's checker, by key."""
        return {
            "select": self.codes,
            "extend-select": self.codes,
            "ignore": self.codes,
            "per-file-ignores": self.per_file_ignores,
            "extend-exclude": self.strings,
            "severity": self.severity,
            "required-sections": self.strings,
            "extra-vocabulary": self.vocabulary,
            "stale-after-years": self.positive_int,
            "review-interval-years": self.review_intervals,
            "corpus-root": self.folder,
            "cache-dir": self.cache_folder,
            "limits": self.limits,
        }

    def build(self, table: dict[str, Any]) -> Config:
        handlers = self.handlers()
        values: dict[str, Any] = {}
        for key, raw in table.items():
            if key not in handlers:
                from guidelint.core.suggest import did_you_mean  # a hint for a mistake only

                hint = did_you_mean(key, handlers)
                known = ", ".join(handlers)
                raise self.fail(key, f"is not a setting{hint}; the settings are: {known}")
            values[key.replace("-", "_")] = handlers[key](key, raw)
        return Config(
            source=self.source,
            root=self.root,
            top=self.top,
            in_repository=self.in_repository,
            **values,
        )

    def strings(self, key: str, raw: Any) -> tuple[str, ...]:
        if not isinstance(raw, list) or not all(isinstance(item, str) and item for item in raw):
            raise self.fail(key, 'must be a list of texts, such as ["a", "b"]')
        return tuple(raw)

    def codes(self, key: str, raw: Any) -> tuple[str, ...]:
        from guidelint.rules.registry import UnknownSelector, select_codes

        codes = self.strings(key, raw)
        try:
            select_codes(list(codes) or None, None)
        except UnknownSelector as exc:
            raise self.fail(key, f"names {exc}, which matches no rule code") from exc
        return codes

    def per_file_ignores(self, key: str, raw: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if not isinstance(raw, dict):
            raise self.fail(key, 'must be a table of file patterns, such as "drafts/*" = ["GL5"]')
        return tuple(
            (pattern, self.codes(f"{key}.{pattern}", codes)) for pattern, codes in raw.items()
        )

    def severity(self, key: str, raw: Any) -> tuple[tuple[str, Severity], ...]:
        from guidelint.rules.registry import rules_by_code

        if not isinstance(raw, dict):
            raise self.fail(key, 'must be a table of rule codes, such as GL206 = "error"')
        levels = []
        for code, level in raw.items():
            if code not in rules_by_code():
                raise self.fail(f"{key}.{code}", "is not a rule code")
            if level not in ("error", "warning"):
                raise self.fail(f"{key}.{code}", 'must be "error" or "warning"')
            levels.append((code, Severity(level)))
        return tuple(levels)

    def vocabulary(self, key: str, raw: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if not isinstance(raw, dict):
            raise self.fail(key, 'must be a table, such as specialty = ["neurosurgery"]')
        extra = []
        for name, values in raw.items():
            if name not in VOCABULARIES:
                from guidelint.core.suggest import did_you_mean  # a hint for a mistake only

                hint = did_you_mean(name, VOCABULARIES)
                raise self.fail(
                    f"{key}.{name}",
                    f"is not a vocabulary{hint}; the vocabularies are: " + ", ".join(VOCABULARIES),
                )
            extra.append((name, self.strings(f"{key}.{name}", values)))
        return tuple(extra)

    def positive_int(self, key: str, raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
            raise self.fail(key, f"must be a whole number of 1 or more, not {raw!r}")
        return raw

    def review_intervals(self, key: str, raw: Any) -> tuple[tuple[str, int], ...]:
        """A number of years for every organization, or a table of them by organization."""
        if not isinstance(raw, dict):
            return (("default", self.positive_int(key, raw)),)
        return tuple(
            (name, self.positive_int(f"{key}.{name}", years)) for name, years in raw.items()
        )

    def folder(self, key: str, raw: Any) -> Path:
        if not isinstance(raw, str) or not raw:
            raise self.fail(key, "must be a folder path, relative to the configuration file")
        folder = (self.root / raw).absolute()
        if not folder.is_dir():
            raise self.fail(key, f"names {folder}, which is not a folder")
        real = os.path.realpath(folder)
        if not is_inside(real, str(self.top)):
            where = "the repository" if self.in_repository else "the folder of the checked files"
            raise self.fail(
                key,
                f"names {real}, which is outside {where} ({self.top}); settings may only "
                "name a folder inside it",
            )
        return Path(real)

    def cache_folder(self, key: str, raw: Any) -> Path:
        """A cache folder named in settings: they come with the checked repository, so they
        may not send guidelint's writing and cleaning up outside it (links resolved)."""
        if not isinstance(raw, str) or not raw:
            raise self.fail(key, "must be a folder path, relative to the configuration file")
        folder = (self.root / raw).absolute()
        top = Path(os.path.realpath(project_top(self.root)))
        real = Path(os.path.realpath(folder))
        if real != top and top not in real.parents:
            raise self.fail(
                key,
                f"names {folder}, which is outside the repository ({top}); a cache folder "
                "elsewhere can be given on the command line (--cache-dir) or in "
                "GUIDELINT_CACHE_DIR",
            )
        return folder

    def limits(self, key: str, raw: Any) -> Limits:
        if not isinstance(raw, dict):
            raise self.fail(key, "must be a table, such as max-file-bytes = 20000000")
        values = {}
        for name, value in raw.items():
            if name not in LIMIT_KEYS:
                from guidelint.core.suggest import did_you_mean  # a hint for a mistake only

                hint = did_you_mean(name, LIMIT_KEYS)
                raise self.fail(f"{key}.{name}", f"is not a limit{hint}")
            limit = self.positive_int(f"{key}.{name}", value)
            ceiling, why = CEILINGS[LIMIT_KEYS[name]]
            if limit > ceiling:
                raise self.fail(f"{key}.{name}", f"must be at most {ceiling}, not {limit}: {why}")
            values[LIMIT_KEYS[name]] = limit
        return Limits(**values)


# Applying --------------------------------------------------------------------------------------
