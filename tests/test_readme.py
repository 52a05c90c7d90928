"""The README's examples are real: its output sample, settings and snippets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from guidelint.app.config import _Checker, load_config
from tests.conftest import REPO, TODAY, run_cli

README = (REPO / "README.md").read_text("utf-8")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def test_terminal_sample_is_what_guidelint_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = next(block for block in blocks("text") if block.startswith("$ guidelint drafts/"))
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    seed = (REPO / "seeds" / "aan-als-2024.md").read_text("utf-8")
    broken = seed.replace("publication_date: 2024-06-01", "publication_date: 2024-02-30")
    (drafts / "aan-als-2024.md").write_text(broken.replace("### Diagnosis", "#### Diagnosis"))
    monkeypatch.chdir(tmp_path)
    result = run_cli("--today", TODAY, "--color", "always", "drafts/")
    assert "$ guidelint drafts/\n" + ANSI.sub("", result.stdout) == sample


def test_configuration_example_is_valid_and_the_table_lists_every_key(tmp_path: Path) -> None:
    # The settings example is the TOML block of the Configuration section (the Editors
    # section has one of Helix's).
    section = README[README.index("## Configuration") : README.index("## Fixes")]
    [example] = [block for block in blocks("toml") if f"```toml\n{block}```" in section]
    (tmp_path / "guidelines").mkdir()
    (tmp_path / "pyproject.toml").write_text(example, "utf-8")
    config = load_config(tmp_path / "pyproject.toml")
    assert config.stale_after_years == 5 and config.limits.max_file_bytes == 20_000_000
    section = README[README.index("## Configuration") : README.index("## Suppressing")]
    table_keys = set(re.findall(r"^\| `([a-z-]+)` \|", section, re.MULTILINE))
    assert table_keys == set(_Checker("x", tmp_path / "guidelint.toml").handlers())


def test_yaml_snippets_parse() -> None:
    for snippet in blocks("yaml"):
        yaml.compose(snippet, Loader=yaml.SafeLoader)
