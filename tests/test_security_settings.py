"""Committed settings are untrusted input too (issue 20, items 4 and 6).

One settings file per run, at the repository's top, so that a file's verdict does not depend on
how it was named; nothing above the top is read; limits have ceilings; corpus-root stays inside
the repository; a settings file that cannot be parsed, or is not a plain file, stops the run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guidelint.core.limits import CEILINGS, Limits
from tests.conftest import SEED_TEXT, TODAY, CliResult, run_cli, run_process

BROKEN = SEED_TEXT.replace("publication_date: 2024-06-01", "publication_date: 2024-02-30")
KEYS = {name.replace("_", "-"): name for name in CEILINGS}


def repository(tmp_path: Path, files: dict[str, str]) -> Path:
    top = tmp_path / "repo"
    (top / ".git").mkdir(parents=True)
    for name, text in files.items():
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text(text, "utf-8")
    return top


def check(*args: str | Path) -> CliResult:
    return run_cli("--today", TODAY, "--no-cache", "--format", "json", *args)


def codes(result: CliResult) -> list[tuple[str, str]]:
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    return sorted((Path(str(r["path"])).name, str(r["code"])) for r in result.json())


# Item 4: one settings file per run -----------------------------------------------------------
def test_a_nested_settings_file_cannot_silence_a_named_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = repository(
        tmp_path,
        {"guidelines/aan-als-2024.md": BROKEN, "guidelines/.guidelint.toml": 'ignore = ["GL"]\n'},
    )
    expected = [("aan-als-2024.md", "GL201")]
    # From the top and from a subfolder; the folder, the file, as pre-commit names it.
    for cwd, names in (
        (top, (".", "guidelines", "guidelines/aan-als-2024.md")),
        (top / "guidelines", (".", "aan-als-2024.md")),
    ):
        monkeypatch.chdir(cwd)
        for name in names:
            result = check(name)
            assert result.exit_code == 1, (cwd, name)
            assert codes(result) == expected, (cwd, name)
    # The settings at the top are read, whichever way the file is named.
    (top / "guidelint.toml").write_text('ignore = ["GL201"]\n')
    for name in ("aan-als-2024.md", ".", "../guidelines/aan-als-2024.md"):
        assert check(name).exit_code == 0, name
    # A named file below the unread settings says so.
    result = check("aan-als-2024.md")
    assert (
        "guidelint: .guidelint.toml is not read: settings come from one file, at the top of "
        "the repository" in result.stderr
    )


def test_settings_above_the_repository_are_not_read(tmp_path: Path) -> None:
    top = repository(tmp_path, {"aan-als-2024.md": BROKEN})
    (tmp_path / "guidelint.toml").write_text('ignore = ["GL"]\n')
    (tmp_path / "pyproject.toml").write_text('[tool.guidelint]\nignore = ["GL"]\n')
    for named in (top, top / "aan-als-2024.md"):
        assert check(named).exit_code == 1
    # A worktree's or a submodule's .git is a file: the top is found all the same.
    (top / ".git").rmdir()
    (top / ".git").write_text("gitdir: /elsewhere/.git/worktrees/repo\n")
    assert check(top / "aan-als-2024.md").exit_code == 1
    # Outside any repository, the nearest settings above the checked paths are used.
    (top / ".git").unlink()
    assert check(top / "aan-als-2024.md").exit_code == 0


def test_verbose_says_where_the_settings_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = repository(tmp_path, {"aan-als-2024.md": SEED_TEXT})
    (top / "pyproject.toml").write_text('[tool.guidelint]\nignore = ["GL5"]\n')
    monkeypatch.chdir(top)
    said = check("-v", "aan-als-2024.md").stderr.splitlines()
    assert said[0] == f"guidelint: repository top {top}; settings from pyproject.toml"


@pytest.mark.parametrize("key", sorted(KEYS))
def test_every_limit_has_a_ceiling(tmp_path: Path, key: str) -> None:
    top = repository(tmp_path, {"aan-als-2024.md": SEED_TEXT})
    settings = top / "guidelint.toml"
    ceiling, _ = CEILINGS[KEYS[key]]
    assert ceiling >= getattr(Limits(), KEYS[key])
    settings.write_text(f"[limits]\n{key} = {ceiling}\n")
    assert check(top).exit_code == 0
    settings.write_text(f"[limits]\n{key} = {ceiling + 1}\n")
    result = run_process("--today", TODAY, "--no-cache", top)
    assert result.exit_code == 2
    assert f"guidelint.toml: 'limits.{key}' must be at most {ceiling}, not {ceiling + 1}" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_a_billion_yaml_values_is_refused_before_any_file_is_read(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    bomb = SEED_TEXT.replace("---\n", "---\n" + "\n".join(levels) + "\n", 1)
    top = repository(tmp_path, {"aan-als-2024.md": bomb})
    (top / "guidelint.toml").write_text("[limits]\nmax-yaml-values = 1000000000\n")
    result = run_process("--today", TODAY, "--no-cache", top)
    assert result.exit_code == 2
    assert "'limits.max-yaml-values' must be at most 1000000" in result.stderr


def test_the_depth_ceiling_is_one_the_reader_can_take(tmp_path: Path) -> None:
    ceiling, _ = CEILINGS["max_yaml_depth"]
    deep = "deep: " + "{a: " * (ceiling - 2) + "1" + "}" * (ceiling - 2) + "\n"
    nested = SEED_TEXT.replace("---\n", "---\n" + deep, 1)
    top = repository(tmp_path, {"aan-als-2024.md": nested})
    (top / "guidelint.toml").write_text(f"[limits]\nmax-yaml-depth = {ceiling}\n")
    for cache in (["--no-cache"], ["--cache-dir", str(tmp_path / "cache")]):
        result = run_process("--today", TODAY, "--format", "json", *cache, top)
        assert result.exit_code == 1, result.stderr
        assert "internal error" not in result.stderr
    # Past it (where this nesting used to crash the reader), the settings are refused.
    (top / "guidelint.toml").write_text("[limits]\nmax-yaml-depth = 1000\n")
    assert run_process("--today", TODAY, "--no-cache", top).exit_code == 2


@pytest.mark.parametrize("where", ["/", "../elsewhere", "link"])
def test_corpus_root_must_stay_inside_the_repository(tmp_path: Path, where: str) -> None:
    top = repository(tmp_path, {"aan-als-2024.md": SEED_TEXT})
    (tmp_path / "elsewhere").mkdir()
    (top / "link").symlink_to(tmp_path / "elsewhere")
    (top / "guidelint.toml").write_text(f'corpus-root = "{where}"\n')
    result = run_process("--today", TODAY, "--no-cache", top / "aan-als-2024.md")
    assert result.exit_code == 2
    assert "'corpus-root' names" in result.stderr
    assert "which is outside the repository" in result.stderr
    # A folder inside it is fine.
    (top / "guidelint.toml").write_text('corpus-root = "."\n')
    assert check(top / "aan-als-2024.md").exit_code == 0


# Item 6: settings that cannot be read stop the run -------------------------------------------
def test_a_pyproject_that_is_not_toml_is_exit_2_with_its_line(tmp_path: Path) -> None:
    top = repository(tmp_path, {"aan-als-2024.md": BROKEN})
    pyproject = top / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n\n[tool.guidelint]\nselect = ["GL2"\n')
    result = run_process("--today", TODAY, "--no-cache", top)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"Error: {pyproject}, line 5 (the end of the file): is not valid TOML: Unclosed array"
    )
    pyproject.write_text('[tool.guidelint]\nselect = "\x01"\n')
    result = run_process("--today", TODAY, "--no-cache", top)
    assert result.exit_code == 2
    assert f"{pyproject}, line 2, column 11: is not valid TOML: Illegal character" in (
        result.stderr
    )
    # Valid TOML without our table is passed over: the defaults apply.
    pyproject.write_text("[tool.ruff]\nline-length = 100\n")
    result = run_process("--today", TODAY, "--no-cache", top)
    assert result.exit_code == 1
    assert "GL201" in result.stdout


@pytest.mark.parametrize("kind", ["fifo", "device", "outside"])
def test_a_settings_file_that_is_not_a_plain_file_is_exit_2_never_a_stall(
    tmp_path: Path, kind: str
) -> None:
    top = repository(tmp_path, {"aan-als-2024.md": SEED_TEXT})
    settings = top / "guidelint.toml"
    if kind == "fifo":
        os.mkfifo(settings)  # reading it would wait for a writer forever
        message = "guidelint.toml: is not a regular file"
    elif kind == "device":
        settings.symlink_to("/dev/zero")  # endless
        message = "guidelint.toml: is a symbolic link to /dev/zero, outside the repository"
    else:
        (tmp_path / "secret.toml").write_text('ignore = ["GL"]\n')
        settings.symlink_to(tmp_path / "secret.toml")
        message = "outside the repository; guidelint reads no settings from outside it"
    result = run_process("--today", TODAY, "--no-cache", top)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_fifo_named_with_config_is_exit_2_never_a_stall(tmp_path: Path) -> None:
    top = repository(tmp_path, {"aan-als-2024.md": SEED_TEXT})
    fifo = tmp_path / "settings.toml"
    os.mkfifo(fifo)
    result = run_process("--today", TODAY, "--no-cache", "--config", fifo, top)
    assert result.exit_code == 2
    assert f"{fifo}: is not a regular file" in result.stderr
