"""Filesystem faults (issue 7): each is a clear diagnostic or a skip, and the run goes on.

Unreadable files, files deleted or replaced while guidelint runs, folders named `*.md`,
symbolic link loops, read-only files under `--fix`; file names that are not UTF-8 are in
test_hardening_names.py.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import guidelint.engine.run
import guidelint.engine.scope
from guidelint.readers.discovery import Exclude, Walk
from guidelint.readers.document import NotRegularFile, read_bounded
from tests.conftest import SEED_TEXT, TODAY, run_cli

NOT_ROOT = pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file"
)


def rows(folder: Path, *options: str) -> list[tuple[str, str, str]]:
    """(file name, code, message) of every diagnostic of a run on `folder`, with and without
    the cache: both must agree, exit with 0 or 1, and leave the files alone."""
    found = []
    for cache in (["--no-cache"], ["--cache-dir", str(folder.parent / "cache")]):
        result = run_cli(
            "--format", "json", "--isolated", "--today", TODAY, *cache, *options, folder
        )
        assert result.exit_code in (0, 1), result.stderr
        found.append(
            sorted(
                (Path(str(r["path"])).name, str(r["code"]), str(r["message"]))
                for r in result.json()
            )
        )
    assert found[0] == found[1]
    return found[0]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "aan-als-2024.md").write_text(SEED_TEXT, "utf-8")
    return folder


def test_symlink_loops_and_dangling_links_are_gl012_and_the_run_goes_on(corpus: Path) -> None:
    (corpus / "self.md").symlink_to("self.md")
    (corpus / "ping.md").symlink_to("pong.md")
    (corpus / "pong.md").symlink_to("ping.md")
    (corpus / "gone.md").symlink_to("nowhere.md")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "up").symlink_to("..")  # a folder loop: walked once
    assert rows(corpus) == [
        ("gone.md", "GL012", "file cannot be read: No such file or directory"),
        ("ping.md", "GL012", "file cannot be read: Too many levels of symbolic links"),
        ("pong.md", "GL012", "file cannot be read: Too many levels of symbolic links"),
        ("self.md", "GL012", "file cannot be read: Too many levels of symbolic links"),
    ]


def test_folders_named_md_are_walked_not_read(corpus: Path) -> None:
    (corpus / "empty.md").mkdir()
    (corpus / "nested.md").mkdir()
    (corpus / "nested.md" / "x.md").write_bytes(b"## Scope\n")
    assert rows(corpus) == [
        (
            "x.md",
            "GL004",
            "no front matter: start the file with a line '---', the metadata, then another '---'",
        ),
    ]
    # Named on the command line, a folder called *.md is a folder too.
    result = run_cli("--format", "json", "--isolated", "--no-cache", corpus / "empty.md")
    assert (result.exit_code, result.json()) == (0, [])


@NOT_ROOT
def test_an_unreadable_file_is_gl012(corpus: Path) -> None:
    locked = corpus / "locked.md"
    locked.write_text(SEED_TEXT, "utf-8")
    locked.chmod(0)
    try:
        assert rows(corpus) == [("locked.md", "GL012", "file cannot be read: Permission denied")]
    finally:
        locked.chmod(0o644)


def test_a_read_error_is_gl012(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As unreadable as chmod 0 is to anyone but root: the open itself fails.
    real_open = os.open

    def refusing(path: str | Path, flags: int, *args: int) -> int:
        if Path(path).name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    (corpus / "locked.md").write_text(SEED_TEXT, "utf-8")
    monkeypatch.setattr(os, "open", refusing)
    assert rows(corpus) == [("locked.md", "GL012", "file cannot be read: Permission denied")]


def test_files_deleted_or_replaced_during_the_run(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between being listed and being read, one file goes, one becomes a folder and one a
    FIFO (which would block a reader forever), and one grows past the size limit."""
    real_discover = guidelint.engine.run.discover

    def racing(
        paths: list[Path],
        exclude: Exclude,
        walk: Walk,
    ) -> Iterator[Path]:
        listed = list(real_discover(paths, exclude, walk))
        for name in ("deleted.md", "folder.md", "fifo.md", "grown.md"):
            target = corpus / name
            if target.is_file():
                target.unlink()
        (corpus / "folder.md").mkdir(exist_ok=True)
        if not (corpus / "fifo.md").exists():
            os.mkfifo(corpus / "fifo.md")
        (corpus / "grown.md").write_bytes(b"x" * 3000)
        yield from listed

    for stage in (guidelint.engine.run, guidelint.engine.scope):  # checked files, the rest
        monkeypatch.setattr(stage, "discover", racing)
    (corpus.parent / "guidelint.toml").write_text("[limits]\nmax-file-bytes = 2400\n")
    config = ("--config", str(corpus.parent / "guidelint.toml"))
    found = []
    for cache in (["--no-cache"], ["--cache-dir", str(corpus.parent / "cache")]):
        for name in ("deleted.md", "folder.md", "fifo.md", "grown.md"):
            target = corpus / name
            if target.is_dir():
                target.rmdir()
            elif target.exists():
                target.unlink()
            target.write_text(SEED_TEXT, "utf-8")
        result = run_cli("--format", "json", "--today", TODAY, *config, *cache, corpus)
        assert result.exit_code == 1, result.stderr
        found.append(sorted((Path(str(r["path"])).name, str(r["code"])) for r in result.json()))
    assert found[0] == found[1]
    assert found[0] == [
        ("deleted.md", "GL012"),  # gone: No such file or directory
        ("fifo.md", "GL012"),  # not a regular file, and never waited on
        ("folder.md", "GL012"),
        ("grown.md", "GL011"),  # judged by what is read, not by the size listed
    ]


def test_reading_never_waits_on_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "x.md"
    os.mkfifo(fifo)
    outcome: list[BaseException | bytes] = []
    reader = threading.Thread(target=lambda: _record(outcome, fifo), daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # unblock the thread before failing
        with fifo.open("wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert isinstance(outcome[0], NotRegularFile)


def _record(outcome: list[BaseException | bytes], fifo: Path) -> None:
    try:
        outcome.append(read_bounded(fifo, 1000))
    except OSError as exc:
        outcome.append(exc)


def test_a_read_only_file_is_not_fixed(corpus: Path) -> None:
    target = corpus / "aan-als-2024.md"
    broken = SEED_TEXT.replace("has_pdf: false", "has_pdf: true").encode()
    target.write_bytes(broken)
    target.chmod(0o444)
    try:
        result = run_cli(
            "--isolated", "--no-cache", "--today", TODAY, "--fix", "--unsafe-fixes", target
        )
        assert target.read_bytes() == broken
        assert result.exit_code == 1
        assert "was not fixed: it is read-only; make it writable" in result.stderr
        target.chmod(0o644)
        result = run_cli(
            "--isolated", "--no-cache", "--today", TODAY, "--fix", "--unsafe-fixes", target
        )
        assert result.exit_code == 0, result.stdout
        assert target.read_bytes() != broken
    finally:
        target.chmod(0o644)
