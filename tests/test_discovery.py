"""Which files are checked."""

from __future__ import annotations

from pathlib import Path

from guidelint.discovery import discover


def names(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in discover([root])]


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
    (tmp_path / "env" / "pyvenv.cfg").write_text("")
    assert names(tmp_path) == ["a.md", "sub/b.md"]


def test_symlink_loops_terminate_and_files_are_seen_once(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.md").write_text("x")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    (tmp_path / "alias.md").symlink_to(tmp_path / "d" / "a.md")
    assert names(tmp_path) == ["alias.md"]


def test_a_file_named_explicitly_is_checked_whatever_its_name(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_text("x")
    assert list(discover([target, target])) == [target]
