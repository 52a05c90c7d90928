"""Names, links and folders in the checked repository are untrusted (issue 20, items 3, 5, 8, 12).

Nothing there may hide a broken file, move it under a per-file ignore, lead guidelint out of the
repository (to read, list or write), or turn into a traceback or a stall; Ctrl-C stops a run
with one line and exit code 130.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import guidelint.app.fix
import guidelint.engine.run
from benchmarks.generate import generate
from tests.conftest import REPO, SEED_TEXT, TODAY, CliResult, run_cli, run_process

BROKEN = SEED_TEXT.replace("publication_date: 2024-06-01", "publication_date: 2024-02-30")
# Broken and fixable: `Status:` is mended to `status:` by --fix.
FIXABLE = SEED_TEXT.replace("status:", "Status:")


def repository(tmp_path: Path, files: dict[str, str], settings: str | None = None) -> Path:
    """A git work tree (a `.git` folder is all guidelint looks for) holding `files`."""
    top = tmp_path / "repo"
    (top / ".git").mkdir(parents=True)
    for name, text in files.items():
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text(text, "utf-8")
    if settings is not None:
        (top / "guidelint.toml").write_text(settings, "utf-8")
    return top


def check(*args: str | Path) -> CliResult:
    return run_cli("--today", TODAY, "--no-cache", "--format", "json", *args)


def rows(result: CliResult) -> list[tuple[str, str]]:
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    return sorted((str(row["path"]), str(row["code"])) for row in result.json())


# Item 3: folders skipped, and said to be ---------------------------------------------------
def test_an_empty_pyvenv_cfg_does_not_hide_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = repository(tmp_path, {"guidelines/neuro/aan-als-2024.md": BROKEN})
    (top / "guidelines" / "neuro" / "pyvenv.cfg").touch()
    monkeypatch.chdir(top)
    result = check(".")
    assert result.exit_code == 1
    assert rows(result) == [("guidelines/neuro/aan-als-2024.md", "GL201")]
    # Nor does a pyvenv.cfg with a home line, without the interpreter a venv has.
    (top / "guidelines" / "neuro" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert rows(check(".")) == [("guidelines/neuro/aan-als-2024.md", "GL201")]


def test_a_real_virtual_environment_is_skipped_and_verbose_says_every_skip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = repository(
        tmp_path,
        {
            "aan-als-2024.md": SEED_TEXT,
            "py311/lib/python3.11/site-packages/pkg/notes.md": "not a guideline",
            ".drafts/x.md": "not checked",
            "node_modules/pkg/y.md": "not checked",
        },
    )
    venv = "home = /usr/bin\ninclude-system-site-packages = false\n"
    (top / "py311" / "pyvenv.cfg").write_text(venv)
    monkeypatch.chdir(top)
    quiet = check(".")
    assert (quiet.exit_code, quiet.json(), quiet.stderr) == (0, [], "")
    verbose = check("-v", ".")
    assert verbose.exit_code == 0
    said = verbose.stderr.splitlines()
    assert said[0].startswith("guidelint: repository top ")
    assert said[0].endswith("; no settings file there: the defaults")
    assert said[1:] == [
        "guidelint: skipped .drafts: a hidden folder (its name starts with '.')",
        "guidelint: skipped .git: a hidden folder (its name starts with '.')",
        "guidelint: skipped node_modules: folders named node_modules are not searched",
        "guidelint: skipped py311: a Python virtual environment (pyvenv.cfg)",
    ]


def test_unreadable_folders_and_stat_errors_are_said_without_verbose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = repository(
        tmp_path,
        {"aan-als-2024.md": SEED_TEXT, "locked/a.md": BROKEN, "gone/b.md": BROKEN},
    )
    real_scandir, real_stat = os.scandir, os.stat

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    def stat(path: str | os.PathLike[str], *args: object, **kwargs: object) -> os.stat_result:
        if Path(path).name == "gone":
            raise PermissionError(13, "Permission denied")
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    # As root reads any folder, the refusals root never meets are made here.
    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.chdir(top)
    result = check(".")
    assert (result.exit_code, result.json()) == (0, [])
    assert result.stderr.splitlines() == [
        "guidelint: skipped gone: it cannot be read (Permission denied)",
        "guidelint: skipped locked: it cannot be read (Permission denied)",
    ]


# Item 5: a file reached by several names is judged under its real one -----------------------
IGNORE_DRAFTS = '[per-file-ignores]\n"drafts/*" = ["GL"]\n'


@pytest.mark.parametrize("link", ["file", "folder"])
def test_a_symlink_cannot_move_a_file_under_per_file_ignores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link: str
) -> None:
    top = repository(tmp_path, {"guidelines/aan-als-2024.md": BROKEN}, IGNORE_DRAFTS)
    if link == "file":
        (top / "drafts").mkdir()
        (top / "drafts" / "aan-als-2024.md").symlink_to("../guidelines/aan-als-2024.md")
    else:
        (top / "drafts").symlink_to("guidelines")
    monkeypatch.chdir(top)
    expected = [("guidelines/aan-als-2024.md", "GL201")]
    # 'drafts' sorts first: the first name found used to be the one judged.
    for named in (".", "drafts/aan-als-2024.md", "drafts"):
        result = check(named)
        assert result.exit_code == 1, named
        assert rows(result) == expected, named


def test_extend_exclude_is_matched_against_the_real_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = repository(
        tmp_path,
        {"guidelines/aan-als-2024.md": SEED_TEXT, "old/aan-old-2001.md": BROKEN},
        'extend-exclude = ["old"]\n',
    )
    (top / "guidelines" / "aan-old-2001.md").symlink_to("../old/aan-old-2001.md")
    monkeypatch.chdir(top)
    result = check(".")
    assert (result.exit_code, result.json()) == (0, [])


# Item 8: links out of the repository are not followed; nothing is fixed through a link ------
def test_a_folder_link_out_of_the_repository_is_skipped_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "aan-bad-2020.md").write_text(BROKEN, "utf-8")
    top = repository(tmp_path, {"aan-als-2024.md": SEED_TEXT})
    (top / "everything").symlink_to(outside)
    (top / "usr").symlink_to("/usr")
    (top / "proc").symlink_to("/proc/1")  # a PermissionError traceback, once
    monkeypatch.chdir(top)
    result = check(".")
    assert (result.exit_code, result.json()) == (0, [])
    assert result.stderr.splitlines() == [
        f"guidelint: skipped {name}: it is a symbolic link leading outside the repository, "
        "which guidelint does not follow"
        for name in ("everything", "proc", "usr")
    ]
    # Named on the command line, a link out of it is not followed either.
    named = check("everything")
    assert (named.exit_code, named.json()) == (0, [])
    assert "guidelint: skipped everything: it is a symbolic link to a folder outside" in (
        named.stderr
    )


def test_a_file_link_out_of_the_repository_is_gl012_and_never_read_nor_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(FIXABLE, "utf-8")
    top = repository(tmp_path, {"aan-als-2024.md": SEED_TEXT})
    (top / "aan-als-2009.md").symlink_to(outside)
    monkeypatch.chdir(top)
    message = (
        "file not read: it is a symbolic link to a file outside the repository, which "
        "guidelint does not follow; link to a file inside it, or copy the file in"
    )
    for named in (".", "aan-als-2009.md"):
        result = check("--fix", "--unsafe-fixes", named)
        assert result.exit_code == 1
        assert [(r["path"], r["code"], r["message"]) for r in result.json()] == [
            ("aan-als-2009.md", "GL012", message)
        ]
        assert outside.read_text("utf-8") == FIXABLE
        assert (top / "aan-als-2009.md").is_symlink()


def test_a_file_swapped_for_a_link_while_fixing_is_not_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = repository(tmp_path, {"aan-als-2024.md": FIXABLE})
    target = top / "aan-als-2024.md"
    outside = tmp_path / "outside.md"
    real_write = guidelint.app.fix.write_if_unchanged

    def swapped(file: Path, expected: bytes, new: bytes) -> str | None:
        # Between the check and the write, the file becomes a link to one with its content.
        outside.write_bytes(expected)
        target.unlink()
        target.symlink_to(outside)
        return real_write(file, expected, new)

    monkeypatch.setattr(guidelint.app.fix, "write_if_unchanged", swapped)
    monkeypatch.chdir(top)
    result = run_cli("--today", TODAY, "--no-cache", "--fix", "aan-als-2024.md")
    assert outside.read_text("utf-8") == FIXABLE
    assert target.is_symlink()
    assert (
        "guidelint: aan-als-2024.md was not fixed: it is a symbolic link; guidelint fixes only "
        "the file itself, by its real name" in result.stderr
    )


def test_a_hard_linked_file_is_not_fixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = repository(tmp_path, {"aan-als-2024.md": FIXABLE})
    other = tmp_path / "other-name.md"
    os.link(top / "aan-als-2024.md", other)
    monkeypatch.chdir(top)
    result = run_cli("--today", TODAY, "--no-cache", "--fix", "aan-als-2024.md")
    assert result.exit_code == 1
    assert "was not fixed: the same file has 2 names (hard links)" in result.stderr
    assert other.read_text("utf-8") == FIXABLE == (top / "aan-als-2024.md").read_text("utf-8")


def test_fix_never_waits_on_a_file_replaced_by_a_fifo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = repository(tmp_path, {"aan-als-2024.md": FIXABLE})
    target = top / "aan-als-2024.md"
    real_run = guidelint.engine.run.run
    runs: list[object] = []

    def racing(*args: object, **kwargs: object) -> guidelint.engine.run.RunResult:
        result = real_run(*args, **kwargs)  # type: ignore[arg-type]
        if not runs:  # checked; before --fix reads it to mend it, it becomes a FIFO
            target.unlink()
            os.mkfifo(target)
        runs.append(result)
        return result

    monkeypatch.setattr(guidelint.engine.run, "run", racing)
    monkeypatch.chdir(top)
    outcome: list[CliResult] = []
    fixing = threading.Thread(
        target=lambda: outcome.append(
            run_cli("--today", TODAY, "--no-cache", "--format", "json", "--fix", target.name)
        ),
        daemon=True,
    )
    fixing.start()
    fixing.join(30)
    if fixing.is_alive():
        with target.open("wb"):  # let the reader go before failing
            pass
        fixing.join(10)
        pytest.fail("--fix waited on a FIFO")
    [result] = outcome
    assert result.exit_code == 1
    assert [r["code"] for r in result.json()] == ["GL012"]


# Item 12: deep folders, and Ctrl-C ----------------------------------------------------------
def test_1100_nested_folders_are_walked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = repository(tmp_path, {})
    deep = top
    for _ in range(1100):  # one by one: Path.mkdir(parents=True) recurses too
        deep = deep / "d"
        deep.mkdir()
    (deep / "aan-als-2024.md").write_text(BROKEN, "utf-8")
    monkeypatch.chdir(top)
    try:
        result = check(".")
        assert result.exit_code == 1, result.stderr
        assert [r["code"] for r in result.json()] == ["GL201"]
    finally:  # pytest's clean-up (shutil.rmtree) recurses, and would fail on these
        (deep / "aan-als-2024.md").unlink()
        while deep != top:
            deep.rmdir()
            deep = deep.parent


def test_ctrl_c_exits_130_with_one_line_and_writes_no_cache(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    generate(corpus, 8000)
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "guidelint", "--today", TODAY, "--jobs", "2"]
    process = subprocess.Popen(
        [*command, "--cache-dir", str(cache), str(corpus)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.8)  # started, and checking: a cold run of 8,000 files takes seconds
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (130, "guidelint: interrupted\n")
    assert not list(cache.glob("*.cache")) if cache.exists() else True
    # And when the run ends normally, it is cached as usual.
    assert run_process("--today", TODAY, "--cache-dir", cache, corpus).exit_code in (0, 1)
    assert list(cache.glob("*.cache"))
