"""A path through a symbolic link and '..' names, and is cached as, the file really read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import SEED_TEXT, TODAY, run_cli


@pytest.mark.parametrize("cache", [False, True])
def test_dot_dot_after_a_link_is_not_collapsed_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> None:
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    (elsewhere / "deep").mkdir(parents=True)
    work.mkdir()
    here = work / "aan-als-2024.md"
    there = elsewhere / "aan-als-2024.md"
    # The same size and modification time: only the name tells them apart.
    here.write_text(SEED_TEXT.replace("status: current", "status: Current"), "utf-8")
    there.write_text(SEED_TEXT.replace("status: current", "Status: current"), "utf-8")
    os.utime(there, ns=(here.stat().st_atime_ns, here.stat().st_mtime_ns))
    (work / "link").symlink_to(elsewhere / "deep")
    monkeypatch.chdir(work)
    options = ["--cache-dir", str(tmp_path / "cache")] if cache else ["--no-cache"]

    def found(name: str) -> set[tuple[str, str]]:
        result = run_cli("--today", TODAY, "--format", "json", "--isolated", *options, name)
        return {(str(row["path"]), str(row["code"])) for row in result.json()}

    assert found("aan-als-2024.md") == {("aan-als-2024.md", "GL104")}
    # link/.. is elsewhere/, whatever the name suggests; the file is named by its real path.
    real = os.path.realpath(there)
    assert found("link/../aan-als-2024.md") == {(real, "GL102")}
