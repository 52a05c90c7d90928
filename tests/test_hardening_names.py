"""File names that are not UTF-8 (issue 7): shown escaped, in every format, never a crash."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.conftest import SEED_TEXT, run_cli, run_process

NON_UTF8 = os.fsdecode(b"caf\xe9-2024.md")


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_every_format(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / NON_UTF8).write_text(SEED_TEXT, "utf-8")
    for output_format in ("json", "sarif", "gitlab", "junit", "github", "text"):
        result = run_process("--isolated", "--no-cache", "--format", output_format, corpus)
        assert result.exit_code == 1, result.stderr
        if output_format in ("json", "sarif", "gitlab"):
            assert "caf\\\\xe9-2024.md" in result.stdout  # a backslash, escaped in JSON
            json.loads(result.stdout)
        else:
            assert "caf\\xe9-2024.md" in result.stdout
        if output_format == "junit":
            ElementTree.fromstring(result.stdout)
    rows_found = run_cli("--format", "json", "--isolated", "--no-cache", corpus).json()
    assert [Path(str(r["path"])).name for r in rows_found] == ["caf\\xe9-2024.md"]
    assert "file is named caf\\xe9-2024.md but id is aan-als-2024" in str(rows_found[0]["message"])
