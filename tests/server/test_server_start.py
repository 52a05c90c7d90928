"""How the server starts: only when asked (the command line never imports pygls), with one
line saying what to install when the extra is missing, and never stopped by a handler's error
or by what the workspace holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.conftest import SEED_TEXT
from tests.server.conftest import diagnostics, make_workspace, open_file

NAME = "aan-als-2024.md"


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_the_command_line_does_not_import_the_server_packages() -> None:
    probe = (
        "import sys; sys.argv = ['guidelint', '--help']\n"
        "from guidelint.app.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = {'pygls', 'lsprotocol', 'guidelint.app.server.protocol'} & set(sys.modules)\n"
        "assert not loaded, loaded"
    )
    done = python(probe)
    assert done.returncode == 0, done.stderr
    assert "server" in done.stdout  # the command is listed all the same


def test_without_the_extra_one_line_says_how_to_install_it() -> None:
    probe = (
        "import sys; sys.modules['pygls'] = None; sys.argv = ['guidelint', 'server']\n"
        "from guidelint.launcher import main; main()"
    )
    done = python(probe)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "guidelint: guidelint server needs the language server packages: "
        "pip install 'guidelint[server]'\n"
    )


def test_a_handlers_exception_is_logged_and_the_server_goes_on() -> None:
    from guidelint.app.server.protocol import guarded

    logged: list[str] = []

    class Server:
        def log(self, message: str, kind: object = None) -> None:
            logged.append(message)

    @guarded
    def broken(ls: Server, params: object) -> object:
        raise RuntimeError("a bug")

    assert broken(Server(), None) is None
    assert "internal error in broken" in logged[0]
    assert "RuntimeError: a bug" in logged[0]


def test_the_index_never_reads_outside_the_workspace_nor_waits_on_a_fifo(tmp_path: Path) -> None:
    from guidelint.app.server.project import Workspace

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "aan-als-2009.md").write_text(SEED_TEXT.replace("aan-als-2024", "aan-als-2009"))
    root = make_workspace(tmp_path / "ws", {NAME: SEED_TEXT})
    (root / "linked.md").symlink_to(outside / "aan-als-2009.md")
    os.mkfifo(root / "waiting.md")
    state = Workspace(root.resolve())
    cwd = Path.cwd()
    os.chdir(state.root or root)
    try:
        state.load_settings()
        state.index_corpus()
    finally:
        os.chdir(cwd)
    assert sorted(state.corpus) == [NAME, "waiting.md"]
    assert state.corpus["waiting.md"].entry is None  # reported unreadable, never opened to wait
    assert not state.is_checked(root / "linked.md")


@pytest.mark.asyncio
async def test_hostile_text_gets_diagnostics_not_a_dead_server(
    client: LanguageClient, workspace: Path
) -> None:
    # A lone surrogate (not UTF-8 once encoded) and an escape character, then a deep nesting.
    hostile = SEED_TEXT.replace("title: ", "title: \ud800\x1b ") + "\n" + "> " * 5000 + "x\n"
    uri = open_file(client, workspace / NAME, hostile)
    found = await diagnostics(client, uri, lambda found: len(found) > 0)
    assert found
    assert all("\x1b" not in d.message for d in found)
    assert {d.code for d in found} == {"GL001"}
    # Still answering. The buffer stands for the file, so its id is gone from the corpus, as
    # for the command line once the text is saved so.
    second = open_file(client, workspace / "aan-als-2009.md")
    assert {d.code for d in await diagnostics(client, second)} == {"GL402"}
    far = types.Position(line=10**6, character=10**6)
    where = types.TextDocumentIdentifier(uri=uri)
    assert (
        await client.text_document_hover_async(types.HoverParams(text_document=where, position=far))
        is None
    )
    assert (
        await client.text_document_completion_async(
            types.CompletionParams(text_document=where, position=far)
        )
        is None
    )


def test_a_schema_change_forgets_the_schema_read() -> None:
    from guidelint.app.server.protocol import forget_schema
    from guidelint.checks.validation import fast_validator, load_schema

    load_schema()
    fast_validator()
    assert load_schema.cache_info().currsize and fast_validator.cache_info().currsize
    forget_schema()
    assert load_schema.cache_info().currsize == 0
    assert fast_validator.cache_info().currsize == 0
