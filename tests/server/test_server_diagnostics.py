"""Diagnostics from the server: the command line's codes, messages, severities and positions,
in UTF-16 units, from the unsaved text, with lineage across open files and the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.conftest import SEED_TEXT
from tests.server.conftest import (
    as_rows,
    change_file,
    cli_expected,
    cli_json,
    diagnostics,
    open_file,
)

pytestmark = pytest.mark.asyncio

BROKEN = SEED_TEXT.replace("publication_date: 2024-06-01", "publication_date: 2024-02-30").replace(
    "### Diagnosis", "#### Diagnosis"
)


async def test_open_gives_the_command_lines_diagnostics(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "aan-als-2024.md").write_text(BROKEN, "utf-8")
    uri = open_file(client, workspace / "aan-als-2024.md")
    found = await diagnostics(client, uri, lambda found: len(found) > 0)
    expected = cli_expected(workspace, "aan-als-2024.md", BROKEN)
    assert {row[0] for row in expected} >= {"GL201", "GL503"}
    assert as_rows(found) == expected
    assert all(d.source == "guidelint" for d in found)
    first = next(d for d in found if d.code == "GL201")
    assert first.code_description is not None
    assert first.code_description.href.endswith("docs/rules.md#not-a-calendar-date-gl201")


async def test_a_change_gives_the_new_set_from_the_unsaved_text(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_file(client, workspace / "aan-als-2024.md")
    assert await diagnostics(client, uri) == []
    change_file(client, uri, BROKEN, 2)
    found = await diagnostics(client, uri)
    # The file on disk was still clean: what is reported is the buffer's text, as the
    # command line reports it once the text is saved.
    (workspace / "aan-als-2024.md").write_text(BROKEN, "utf-8")
    assert as_rows(found) == cli_expected(workspace, "aan-als-2024.md", BROKEN)
    change_file(client, uri, SEED_TEXT, 3)
    assert await diagnostics(client, uri) == []


async def test_non_ascii_before_the_problem_gives_utf16_columns(
    client: LanguageClient, workspace: Path
) -> None:
    # An accented letter is one UTF-16 unit and one code point; an emoji is two units.
    text = SEED_TEXT.replace(
        "conditions:\n  - Amyotrophic Lateral Sclerosis\n  - ALS\n  - Motor Neuron Disease\n",
        'conditions: ["Sclérose 😀 latérale", "ALS 🧠", "ALS 🧠"]\n',
    ).replace("### Diagnosis", "### Diagnosis 😀 é!")
    name = "aan-als-2024.md"
    (workspace / name).write_text(text, "utf-8")
    uri = open_file(client, workspace / name)
    found = await diagnostics(client, uri, lambda found: len(found) >= 2)
    expected = cli_expected(workspace, name, text)
    assert {row[0] for row in expected} == {"GL107", "GL506"}
    assert as_rows(found) == expected
    # Two emoji before the repeated item: two UTF-16 units more than the code points.
    raw = next(row for row in cli_json(workspace, name) if row["code"] == "GL107")
    repeated = next(d for d in found if d.code == "GL107")
    assert repeated.range.start.character == int(raw["column"]) - 1 + 2  # type: ignore[call-overload]


async def test_editing_one_buffer_updates_the_other_files_lineage(
    client: LanguageClient, workspace: Path
) -> None:
    newer, older = workspace / "aan-als-2024.md", workspace / "aan-als-2009.md"
    newer_uri = open_file(client, newer)
    older_uri = open_file(client, older)
    assert await diagnostics(client, older_uri) == []
    assert await diagnostics(client, newer_uri) == []
    one_sided = SEED_TEXT.replace("supersedes: aan-als-2009", "supersedes: null").replace(
        "previous_version_date: 2009-10-13", "previous_version_date: null"
    )
    change_file(client, newer_uri, one_sided, 2)
    found = await diagnostics(client, older_uri, lambda found: len(found) > 0)
    # What the command line says of the older file once the newer one is saved so.
    newer.write_text(one_sided, "utf-8")
    expected = cli_expected(workspace, "aan-als-2009.md", older.read_text("utf-8"))
    assert {row[0] for row in expected} == {"GL403"}
    assert as_rows(found) == expected
    newer.write_text(SEED_TEXT, "utf-8")
    change_file(client, newer_uri, SEED_TEXT, 3)
    assert await diagnostics(client, older_uri, lambda found: len(found) == 0) == []


async def test_lineage_from_the_corpus_on_disk(client: LanguageClient, workspace: Path) -> None:
    # The predecessor is not open: its superseded_by on disk counts, as the editor says it is
    # now (the server may have read the file before the change).
    older = workspace / "aan-als-2009.md"
    older.write_text(
        older.read_text("utf-8")
        .replace("superseded_by: aan-als-2024", "superseded_by: null")
        .replace("status: superseded", "status: withdrawn"),
        "utf-8",
    )
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=older.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    uri = open_file(client, workspace / "aan-als-2024.md")
    found = await diagnostics(client, uri, lambda found: len(found) > 0)
    expected = cli_expected(workspace, "aan-als-2024.md", SEED_TEXT)
    assert "GL403" in {row[0] for row in expected}
    assert as_rows(found) == expected


async def test_a_byte_order_mark_kept_in_the_editors_text(
    client: LanguageClient, workspace: Path
) -> None:
    # Missing title: reported at the opening '---', which the editor's text has after a BOM.
    text = "\ufeff" + SEED_TEXT.replace('title: "AAN Practice Guideline', 'name: "AAN Practice')
    (workspace / "aan-als-2024.md").write_text(text, "utf-8")
    uri = open_file(client, workspace / "aan-als-2024.md", text)
    found = await diagnostics(client, uri, lambda found: len(found) > 0)
    rows = cli_json(workspace, "aan-als-2024.md")
    assert {(row["code"], row["line"], row["column"]) for row in rows} >= {("GL101", 1, 1)}
    missing = next(d for d in found if d.code == "GL101")
    assert (missing.range.start.line, missing.range.start.character) == (0, 1)
    assert (missing.range.end.line, missing.range.end.character) == (0, 4)
