"""Extra vocabulary values from the configuration: each accepted once, however often listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEED_TEXT, TODAY, run_cli


@pytest.mark.parametrize(
    "listed",
    [
        '["neuromuscular-medicine", "neuromuscular-medicine"]',  # a repeat
        '["neurology", "neuromuscular-medicine"]',  # a value the schema already has
    ],
)
def test_a_value_listed_twice_is_still_accepted(tmp_path: Path, listed: str) -> None:
    (tmp_path / "c").mkdir()
    text = SEED_TEXT.replace("specialty: neurology", "specialty: neuromuscular-medicine")
    (tmp_path / "c" / "aan-als-2024.md").write_text(text, "utf-8")
    (tmp_path / "guidelint.toml").write_text(f"[extra-vocabulary]\nspecialty = {listed}\n")
    result = run_cli("--today", TODAY, "--format", "json", "--no-cache", tmp_path / "c")
    assert result.json() == []
    assert result.exit_code == 0
