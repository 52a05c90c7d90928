"""Which files are checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guidelint.readers.discovery import discover


def names(root: Path) -> list[str]:
    return [Path(p).relative_to(root).as_posix() for p in discover([root])]


def test_walks_markdown_recursively_skipping_hidden_venv_and_docs(tmp_path: Path) -> None:
    for rel in [
        "a.md",
        "sub/b.md",
        "sub/c.txt",
        ".git/x.md",
        ".hidden/y.md",
        "node_modules/z.md",
        "env/lib.md",
        "README.md",
    ]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    # A virtual environment of any name, as `python -m venv` makes one.
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.11.7\n")
    (tmp_path / "env" / "bin").mkdir()
    (tmp_path / "env" / "bin" / "python").symlink_to("/usr/bin/python3")
    assert names(tmp_path) == ["a.md", "sub/b.md"]


def test_symlink_loops_terminate_and_files_are_seen_once(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.md").write_text("x")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    (tmp_path / "alias.md").symlink_to(tmp_path / "d" / "a.md")
    assert names(tmp_path) == ["d/a.md"]  # by its real name, whichever name came first


def test_a_file_named_explicitly_is_checked_whatever_its_name(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_text("x")
    assert list(discover([target, target])) == [str(target)]


@pytest.mark.parametrize("top", ["corpus", "./corpus", "corpus/../corpus", "ABSOLUTE"])
def test_walked_names_are_the_listed_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, top: str
) -> None:
    # Files found in a folder are named as text, without pathlib; the names must be exactly
    # those pathlib gives the listed entries, relative, absolute or with '..'.
    monkeypatch.chdir(tmp_path)
    for name in ("corpus/a.md", "corpus/sub/b.md", "corpus/sub/deeper/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    start = Path(str(tmp_path / "corpus") if top == "ABSOLUTE" else top)
    found = list(discover([start]))
    # A folder named with '..' is walked by its real path, as a walk from above names it.
    walked = Path(os.path.realpath(start)) if ".." in start.parts else start
    expected = [
        Path(os.path.join(root, name))  # noqa: PTH118 - the public way, for comparison
        for root, _, names in sorted(os.walk(walked))
        for name in sorted(names)
    ]
    assert [Path(name) for name in found] == expected
    assert found == [str(path) for path in expected]
