"""Hover, completion and settings: the rule's documentation on a problem, the schema's on a
key, keys and vocabulary values and corpus ids completed, and a settings change re-checking."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.conftest import SEED_TEXT
from tests.server.conftest import diagnostics, open_file

pytestmark = pytest.mark.asyncio

NAME = "aan-als-2024.md"


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n")) if line.startswith(start))


async def hover_text(client: LanguageClient, uri: str, line: int, character: int) -> str | None:
    found = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
        )
    )
    if found is None:
        return None
    assert isinstance(found.contents, types.MarkupContent)
    return found.contents.value


async def completions(client: LanguageClient, uri: str, line: int, character: int) -> list[str]:
    found = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
        )
    )
    assert isinstance(found, types.CompletionList)
    return [item.label for item in found.items]


async def test_hover_on_a_problem_shows_the_rules_documentation(
    client: LanguageClient, workspace: Path
) -> None:
    text = SEED_TEXT.replace("publication_date: 2024-06-01", "publication_date: 2024-02-30")
    uri = open_file(client, workspace / NAME, text)
    found = await diagnostics(client, uri, lambda found: len(found) > 0)
    problem = next(d for d in found if d.code == "GL201")
    shown = await hover_text(
        client, uri, problem.range.start.line, problem.range.start.character + 2
    )
    assert shown is not None
    assert shown.startswith("# not-a-calendar-date (GL201)")


async def test_hover_on_a_key_shows_the_schema_fields_description(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_file(client, workspace / NAME)
    await diagnostics(client, uri)
    shown = await hover_text(client, uri, line_of(SEED_TEXT, "status:"), 2)
    assert shown is not None
    assert "Lifecycle status of this version." in shown
    assert "`superseded`" in shown  # its vocabulary
    # Not on a key, not on a problem: nothing.
    assert await hover_text(client, uri, line_of(SEED_TEXT, "## Scope") + 2, 3) is None


async def test_completion_of_keys_values_and_ids(client: LanguageClient, workspace: Path) -> None:
    text = (
        SEED_TEXT.replace('short_title: "ALS Management"\n', "\n")
        .replace("status: current", "status: ")
        .replace("has_pdf: false\n", "has_pdf: false\namended_by: \nreferred_to: \n")
    )
    uri = open_file(client, workspace / NAME, text)
    await diagnostics(client, uri)
    keys = await completions(client, uri, line_of(text, "title:") + 1, 0)
    assert "short_title" in keys
    assert "title" not in keys  # written already
    status = line_of(text, "status:")
    values = await completions(client, uri, status, len("status: "))
    assert values == ["current", "superseded", "withdrawn", "draft"]
    ids = await completions(client, uri, line_of(text, "supersedes:"), len("supersedes: "))
    assert ids == ["aan-als-2009"]  # the corpus's ids, not the file's own
    for key in ("amended_by", "referred_to"):  # every key that names another version
        found = await completions(client, uri, line_of(text, f"{key}:"), len(f"{key}: "))
        assert found == ["aan-als-2009"], key
    # A key half typed is completed; right after a colon, the value comes with its space.
    assert "short_title" in await completions(client, uri, line_of(text, "title:"), 2)
    glued = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=status, character=len("status:")),
        )
    )
    assert isinstance(glued, types.CompletionList)
    assert glued.items[0].text_edit is not None
    assert glued.items[0].text_edit.new_text == " current"
    # In the body, nothing is completed.
    assert (
        await client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=line_of(text, "## Scope"), character=3),
            )
        )
        is None
    )


@pytest.mark.parametrize("told_by", ["watched file", "save"])
async def test_a_settings_change_rechecks_the_open_files(
    client: LanguageClient, workspace: Path, told_by: str
) -> None:
    text = SEED_TEXT.replace("specialty: neurology", "specialty: neuromuscular-medicine").replace(
        "### Diagnosis", "#### Diagnosis"
    )
    uri = open_file(client, workspace / NAME, text)
    found = await diagnostics(client, uri, lambda found: len(found) > 0)
    assert {d.code for d in found} == {"GL104", "GL503"}
    registered = client.registered  # type: ignore[attr-defined]
    assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in registered)
    settings = workspace / "guidelint.toml"
    settings.write_text(
        'ignore = ["GL503"]\n[extra-vocabulary]\nspecialty = ["neuromuscular-medicine"]\n', "utf-8"
    )
    client.diagnostics.pop(uri, None)
    if told_by == "save":
        client.text_document_did_save(
            types.DidSaveTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=settings.as_uri())
            )
        )
    else:
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=settings.as_uri(), type=types.FileChangeType.Changed)]
            )
        )
    assert await diagnostics(client, uri) == []
    # The extra value is completed too.
    values = await completions(client, uri, line_of(text, "specialty:"), len("specialty: "))
    assert "neuromuscular-medicine" in values


async def test_settings_that_cannot_be_used_are_said_and_the_defaults_used(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "guidelint.toml").write_text("ignore = [\n", "utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(workspace / "guidelint.toml").as_uri(), type=types.FileChangeType.Changed
                )
            ]
        )
    )
    text = SEED_TEXT.replace("### Diagnosis", "#### Diagnosis")
    uri = open_file(client, workspace / NAME, text)
    found = await diagnostics(client, uri, lambda found: len(found) > 0)
    assert [d.code for d in found] == ["GL503"]
    assert any("is not valid TOML" in m.message for m in client.messages)


async def test_a_file_changed_on_disk_updates_the_corpus(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_file(client, workspace / NAME)
    assert await diagnostics(client, uri) == []
    older = workspace / "aan-als-2009.md"

    def told(kind: types.FileChangeType) -> None:
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=older.as_uri(), type=kind)]
            )
        )

    older.write_text(
        older.read_text("utf-8")
        .replace("superseded_by: aan-als-2024", "superseded_by: null")
        .replace("status: superseded", "status: withdrawn"),
        "utf-8",
    )
    told(types.FileChangeType.Changed)
    found = await diagnostics(client, uri, lambda found: len(found) > 0)
    assert {d.code for d in found} == {"GL403"}
    # Gone: a supersedes naming an id outside the corpus is allowed (old versions are often
    # not archived), so nothing is left to say.
    older.unlink()
    told(types.FileChangeType.Deleted)
    assert await diagnostics(client, uri, lambda found: len(found) == 0) == []
