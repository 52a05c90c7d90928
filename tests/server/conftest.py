"""A real language client (pytest-lsp) against the real server process, `python -m guidelint
server`, in a workspace folder of the test's own: a git repository's top with a settings file
and copies of the seed."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.conftest import PREDECESSOR_TEXT, SEED_TEXT

WAIT_SECONDS = 20.0

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "guidelint", "server"])


def make_workspace(folder: Path, files: dict[str, str], settings: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".git").mkdir(exist_ok=True)
    (folder / "guidelint.toml").write_text(settings, "utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8", newline="")
    return folder


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The seed and its predecessor, linked both ways, on disk."""
    root = tmp_path / "guidelines"
    return make_workspace(root, {"aan-als-2024.md": SEED_TEXT, "aan-als-2009.md": PREDECESSOR_TEXT})


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, workspace: Path):  # type: ignore[no-untyped-def]
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                    dynamic_registration=True
                )
            )
        ),
        root_uri=workspace.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="guidelines")],
    )
    registered: list[types.Registration] = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        registered.extend(params.registrations)

    lsp_client.registered = registered  # type: ignore[attr-defined]
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


def open_file(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id="markdown",
                version=1,
                text=path.read_text("utf-8") if text is None else text,
            )
        )
    )
    return uri


def change_file(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics(
    client: LanguageClient,
    uri: str,
    until: Callable[[Sequence[types.Diagnostic]], bool] = lambda _: True,
) -> list[types.Diagnostic]:
    """The diagnostics last published for `uri`, once they satisfy `until`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while loop.time() < deadline:
        found = client.diagnostics.get(uri)
        if found is not None and until(found):
            return list(found)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no diagnostics as wanted for {uri}: {client.diagnostics.get(uri)}")


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def lsp_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def cli_json(root: Path, *args: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "guidelint", "--format", "json", "--no-cache", *args],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    rows: list[dict[str, object]] = json.loads(done.stdout)
    return rows


def cli_expected(
    root: Path, name: str, text: str
) -> list[tuple[str, int, int, int, int, str, int]]:
    """What the command line reports for the file, as LSP ranges (0-based, UTF-16 units,
    converted here without the server's code), sorted."""
    lines = lsp_lines(text)
    out = []
    for row in cli_json(root, name):
        if row["path"] != name:
            continue
        line, column = int(row["line"]), int(row["column"])  # type: ignore[call-overload]
        end_line, end_column = int(row["end_line"]), int(row["end_column"])  # type: ignore[call-overload]
        severity = 1 if row["severity"] == "error" else 2
        out.append(
            (
                str(row["code"]),
                line - 1,
                utf16(lines[line - 1][: column - 1]),
                end_line - 1,
                utf16(lines[end_line - 1][: end_column - 1]),
                str(row["message"]),
                severity,
            )
        )
    return sorted(out)


def as_rows(found: Sequence[types.Diagnostic]) -> list[tuple[str, int, int, int, int, str, int]]:
    return sorted(
        (
            str(d.code),
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
            d.message,
            int(d.severity or 0),
        )
        for d in found
    )


def apply_text_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions) as an editor does, last first."""
    lines = text.splitlines(keepends=True) if text else [""]
    # Offsets of each line start, by LSP's line breaks.
    import re

    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def offset(position: types.Position) -> int:
        if position.line >= len(starts):
            return len(text)
        start = starts[position.line]
        end = starts[position.line + 1] if position.line + 1 < len(starts) else len(text)
        line = text[start:end].rstrip("\r\n")
        counted = 0
        for index, character in enumerate(line):
            if counted >= position.character:
                return start + index
            counted += utf16(character)
        return start + len(line)

    del lines
    ordered = sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    )
    for edit in ordered:
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text
