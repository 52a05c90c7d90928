"""Rules whose trigger cannot live in a committed fixture file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from guidelint.checks import validation as schema_module
from tests.conftest import FIXTURES, found

SEED = FIXTURES / "reading" / "clean.md"


def test_gl011_file_over_the_size_limit_is_reported_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)  # sparse: costs no disk
    assert found(big) == {("big.md", "GL011", 1, 1)}


def test_gl012_unreadable_file_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "gone.md").symlink_to(tmp_path / "missing.md")
    (tmp_path / "clean.md").write_bytes(SEED.read_bytes())
    assert found(tmp_path) == {("gone.md", "GL012", 1, 1)}


def test_gl012_a_fifo_named_md_is_reported_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    assert found(tmp_path / "pipe.md") == {("pipe.md", "GL012", 1, 1)}


def test_gl100_reports_a_schema_constraint_without_a_rule_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema: dict[str, Any] = json.loads(json.dumps(schema_module.load_schema()))
    schema["properties"]["title"]["maxLength"] = 10
    monkeypatch.setattr(schema_module, "load_schema", lambda extra=(): schema)
    schema_module.validator.cache_clear()
    schema_module.fast_validator.cache_clear()
    try:
        target = tmp_path / "clean.md"
        target.write_bytes(SEED.read_bytes())
        assert found(target) == {("clean.md", "GL100", 3, 8)}
    finally:
        schema_module.validator.cache_clear()
        schema_module.fast_validator.cache_clear()
