"""Configuration: `[tool.guidelint]` in pyproject.toml, or a standalone guidelint.toml.

Found by walking up from the checked paths, the way ruff finds its settings: in each folder,
`guidelint.toml` (or `.guidelint.toml`) wins over `pyproject.toml`, and a pyproject.toml without
a `[tool.guidelint]` table is passed over. Keys are spelled with hyphens, as in ruff. Every key
and value is checked here, once: an unknown key or a bad value is a `ConfigError` naming it,
which the command line turns into exit code 2. Command-line flags override the file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from guidelint.diagnostic import Severity
from guidelint.limits import MAX_MARKDOWN_DEPTH_CEILING, Limits

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


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Config:
    """Settings from a configuration file, already checked. Paths are absolute."""

    source: Path | None = None  # the file the settings came from
    root: Path = field(default_factory=Path.cwd)  # folder globs and corpus-root are relative to
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extend_exclude: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    required_sections: tuple[str, ...] = ("Scope", "Key Recommendations")
    extra_vocabulary: tuple[tuple[str, tuple[str, ...]], ...] = ()
    stale_after_years: int = 3
    corpus_root: Path | None = None
    cache_dir: Path | None = None  # inside the repository; --cache-dir may name any folder
    limits: Limits = field(default_factory=Limits)


# Discovery -------------------------------------------------------------------------------------
def find_config_file(paths: Iterable[Path]) -> Path | None:
    """The configuration file nearest to the checked paths, walking up from their common folder."""
    absolute = [p.absolute() for p in paths] or [Path.cwd()]
    start = _common_folder(absolute)
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_guidelint_table(pyproject):
            return pyproject
    return None


def _common_folder(paths: list[Path]) -> Path:
    folders = [p if p.is_dir() else p.parent for p in paths]
    common = folders[0]
    for folder in folders[1:]:
        while common != folder and common not in folder.parents:
            common = common.parent
    return common


def _has_guidelint_table(pyproject: Path) -> bool:
    try:
        tool = _read_toml(pyproject).get("tool", {})
    except ConfigError:
        return False  # not ours to judge; another tool will complain about its own file
    return isinstance(tool, dict) and "guidelint" in tool


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: is not valid TOML ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: is not UTF-8 text") from exc


def repository_top(folder: Path) -> Path:
    """The top of the git work tree holding `folder`; `folder` itself outside one."""
    absolute = folder.absolute()
    for candidate in (absolute, *absolute.parents):
        if (candidate / ".git").exists():
            return candidate
    return absolute


# Loading and checking ----------------------------------------------------------------------
def load_config(path: Path | None) -> Config:
    """The checked settings in `path`; the defaults when `path` is None."""
    if path is None:
        return Config()
    path = path.absolute()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("guidelint", {})
        where = f"{path}: [tool.guidelint]"
    else:
        table = data
        where = str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    return _Checker(where, path).build(table)


class _Checker:
    """Turns a raw TOML table into a Config, or raises ConfigError naming the bad key."""

    def __init__(self, where: str, source: Path) -> None:
        self.where = where
        self.source = source
        self.root = source.parent

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
            "corpus-root": self.folder,
            "cache-dir": self.cache_folder,
            "limits": self.limits,
        }

    def build(self, table: dict[str, Any]) -> Config:
        from guidelint.suggest import did_you_mean

        handlers = self.handlers()
        values: dict[str, Any] = {}
        for key, raw in table.items():
            if key not in handlers:
                hint = did_you_mean(key, handlers)
                known = ", ".join(handlers)
                raise self.fail(key, f"is not a setting{hint}; the settings are: {known}")
            values[key.replace("-", "_")] = handlers[key](key, raw)
        return Config(source=self.source, root=self.root, **values)

    def strings(self, key: str, raw: Any) -> tuple[str, ...]:
        if not isinstance(raw, list) or not all(isinstance(item, str) and item for item in raw):
            raise self.fail(key, 'must be a list of texts, such as ["a", "b"]')
        return tuple(raw)

    def codes(self, key: str, raw: Any) -> tuple[str, ...]:
        from guidelint.registry import UnknownSelector, select_codes

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
        from guidelint.registry import rules_by_code

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
        from guidelint.suggest import did_you_mean

        if not isinstance(raw, dict):
            raise self.fail(key, 'must be a table, such as specialty = ["neurosurgery"]')
        extra = []
        for name, values in raw.items():
            if name not in VOCABULARIES:
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

    def folder(self, key: str, raw: Any) -> Path:
        if not isinstance(raw, str) or not raw:
            raise self.fail(key, "must be a folder path, relative to the configuration file")
        folder = (self.root / raw).absolute()
        if not folder.is_dir():
            raise self.fail(key, f"names {folder}, which is not a folder")
        return folder

    def cache_folder(self, key: str, raw: Any) -> Path:
        """A cache folder named in settings: they come with the checked repository, so they
        may not send guidelint's writing and cleaning up outside it (links resolved)."""
        if not isinstance(raw, str) or not raw:
            raise self.fail(key, "must be a folder path, relative to the configuration file")
        folder = (self.root / raw).absolute()
        top = Path(os.path.realpath(repository_top(self.root)))
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
        from guidelint.suggest import did_you_mean

        if not isinstance(raw, dict):
            raise self.fail(key, "must be a table, such as max-file-bytes = 20000000")
        values = {}
        for name, value in raw.items():
            if name not in LIMIT_KEYS:
                hint = did_you_mean(name, LIMIT_KEYS)
                raise self.fail(f"{key}.{name}", f"is not a limit{hint}")
            values[LIMIT_KEYS[name]] = self.positive_int(f"{key}.{name}", value)
        depth = values.get("max_markdown_depth", 0)
        if depth > MAX_MARKDOWN_DEPTH_CEILING:
            raise self.fail(
                f"{key}.max-markdown-depth",
                f"must be at most {MAX_MARKDOWN_DEPTH_CEILING}, not {depth}: the Markdown parser "
                "cannot read deeper bodies safely",
            )
        return Limits(**values)


# Applying --------------------------------------------------------------------------------------
def matches(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    """Whether a file or folder matches one of the glob patterns, as ruff's exclude does.

    A pattern without a slash matches any file or folder name on the way (`drafts`,
    `*-draft.md`); a pattern with one matches the path relative to the configuration's folder
    (`seeds/old/*`), and so does everything below what it matches. As in ruff, `*` may cross
    a slash.
    """
    try:
        relative = path.absolute().relative_to(root).as_posix()
    except ValueError:
        return False
    parts = relative.split("/")
    for pattern in patterns:
        wanted = pattern.strip("/")
        if "/" in wanted:
            if fnmatchcase(relative, wanted) or fnmatchcase(relative, wanted + "/*"):
                return True
        elif any(fnmatchcase(part, wanted) for part in parts):
            return True
    return False
