"""Code actions: the fix engine's fixes as quick fixes (safe ones preferred, unsafe ones said),
every safe fix of a file as source.fixAll.guidelint, and suppression comments; each applied as
an editor applies it, and compared with what the command line writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.conftest import SEED_TEXT
from tests.server.conftest import apply_text_edits, change_file, diagnostics, open_file

pytestmark = pytest.mark.asyncio

NAME = "aan-als-2024.md"


def cli_fixed(root: Path, text: str, *flags: str) -> str:
    """What `guidelint --fix` writes for this text, in a copy of the workspace."""
    copy = root.parent / "fixed-by-the-cli"
    subprocess.run(["cp", "-r", str(root), str(copy)], check=True)
    (copy / NAME).write_text(text, "utf-8", newline="")
    done = subprocess.run(
        [sys.executable, "-m", "guidelint", "--fix", "--no-cache", *flags, NAME],
        capture_output=True,
        text=True,
        cwd=copy,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    return (copy / NAME).read_bytes().decode("utf-8")


async def actions(
    client: LanguageClient,
    uri: str,
    diagnostic: types.Diagnostic | None = None,
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    where = (
        diagnostic.range
        if diagnostic
        else types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
        )
    )
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=where,
            context=types.CodeActionContext(
                diagnostics=[diagnostic] if diagnostic else [], only=only
            ),
        )
    )
    return [action for action in found or [] if isinstance(action, types.CodeAction)]


def edited(action: types.CodeAction, uri: str, text: str) -> str:
    assert action.edit is not None and action.edit.changes is not None
    return apply_text_edits(text, action.edit.changes[uri])


async def test_a_safe_quick_fix_writes_what_the_command_line_writes(
    client: LanguageClient, workspace: Path
) -> None:
    # CRLF line endings and an emoji before the heading: the fix keeps both.
    text = SEED_TEXT.replace("### Diagnosis", "#### Diagnosis 🧠").replace("\n", "\r\n")
    uri = open_file(client, workspace / NAME, text)
    found = await diagnostics(client, uri, lambda found: len(found) > 0)
    heading = next(d for d in found if d.code == "GL503")
    offered = await actions(client, uri, heading)
    fixes = [a for a in offered if a.is_preferred]
    assert len(fixes) == 1
    assert fixes[0].kind == types.CodeActionKind.QuickFix
    assert "unsafe" not in fixes[0].title
    assert fixes[0].diagnostics and fixes[0].diagnostics[0].code == "GL503"
    assert edited(fixes[0], uri, text) == cli_fixed(workspace, text)


async def test_an_unsafe_fix_says_so_and_is_not_preferred(
    client: LanguageClient, workspace: Path
) -> None:
    text = SEED_TEXT.replace("guideline_type: clinical-practice", "guideline_type: clinical")
    uri = open_file(client, workspace / NAME, text)
    found = await diagnostics(client, uri, lambda found: len(found) > 0)
    wrong = next(d for d in found if d.code == "GL104")
    offered = [a for a in await actions(client, uri, wrong) if a.title.startswith("GL104")]
    assert len(offered) == 1
    assert "unsafe" in offered[0].title
    assert not offered[0].is_preferred
    assert edited(offered[0], uri, text) == cli_fixed(workspace, text, "--unsafe-fixes")


async def test_fix_all_applies_every_safe_fix_as_the_command_line_does(
    client: LanguageClient, workspace: Path
) -> None:
    text = (
        SEED_TEXT.replace("### Diagnosis", "#### Diagnosis:")
        .replace("country: United States", "country: NO")
        .replace("guideline_type: clinical-practice", "guideline_type: clinical")
    )
    uri = open_file(client, workspace / NAME, text)
    await diagnostics(client, uri, lambda found: len(found) >= 3)
    offered = await actions(client, uri, only=["source.fixAll.guidelint"])
    assert [a.kind for a in offered] == ["source.fixAll.guidelint"]
    fixed = edited(offered[0], uri, text)
    assert fixed == cli_fixed(workspace, text)
    assert "guideline_type: clinical\n" in fixed  # the unsafe fix is left out
    # A clean file offers none.
    change_file(client, uri, SEED_TEXT, 2)
    await diagnostics(client, uri, lambda found: len(found) == 0)
    assert await actions(client, uri, only=["source.fixAll.guidelint"]) == []


@pytest.mark.parametrize(
    ("old", "new", "code", "title"),
    [
        ("publication_date: 2024-06-01", "publication_date: 2024-02-30", "GL201", "on this line"),
        ("### Diagnosis", "#### Diagnosis", "GL503", "on the next line"),
        ("### Diagnosis", "#### Diagnosis", "GL503", "in this file"),
    ],
)
async def test_a_suppression_comment_silences_the_problem(
    client: LanguageClient, workspace: Path, old: str, new: str, code: str, title: str
) -> None:
    text = SEED_TEXT.replace(old, new)
    uri = open_file(client, workspace / NAME, text)
    found = await diagnostics(client, uri, lambda found: len(found) > 0)
    problem = next(d for d in found if d.code == code)
    offered = [a for a in await actions(client, uri, problem) if a.title.startswith("Suppress")]
    chosen = next(a for a in offered if a.title == f"Suppress {code} {title}")
    assert not chosen.is_preferred
    suppressed = edited(chosen, uri, text)
    change_file(client, uri, suppressed, 2)
    assert await diagnostics(client, uri) == []


async def test_a_lineage_fix_edits_the_other_file_as_the_command_line_does(
    client: LanguageClient, workspace: Path
) -> None:
    older = workspace / "aan-als-2009.md"
    one_sided = (
        older.read_text("utf-8")
        .replace("superseded_by: aan-als-2024", "superseded_by: null")
        .replace("status: superseded", "status: current")
    )
    older.write_text(one_sided, "utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=older.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    uri = open_file(client, workspace / NAME)
    found = await diagnostics(client, uri, lambda found: any(d.code == "GL403" for d in found))
    link = next(d for d in found if d.code == "GL403")
    [fix] = [a for a in await actions(client, uri, link) if a.title.startswith("GL403")]
    assert "unsafe" in fix.title and not fix.is_preferred
    assert fix.edit is not None and fix.edit.changes is not None
    assert list(fix.edit.changes) == [older.as_uri()]  # the other half of the link
    mended = edited(fix, older.as_uri(), one_sided)
    copy = workspace.parent / "fixed-by-the-cli"
    subprocess.run(["cp", "-r", str(workspace), str(copy)], check=True)
    done = subprocess.run(
        [sys.executable, "-m", "guidelint", "--fix", "--unsafe-fixes", "--no-cache", "."],
        capture_output=True,
        text=True,
        cwd=copy,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    assert mended == (copy / "aan-als-2009.md").read_text("utf-8")
