"""The README's editor snippets are real: they parse, and start the command that exists."""

from __future__ import annotations

import json
import re
import tomllib

from tests.conftest import REPO, run_cli

README = (REPO / "README.md").read_text("utf-8")
EDITORS = README[README.index("## Editors") : README.index("## Security")]


def block(language: str) -> str:
    [found] = re.findall(rf"```{language}\n(.*?)```", EDITORS, re.DOTALL)
    return str(found)


def test_the_editor_snippets_start_guidelint_server() -> None:
    vscode = json.loads(block("json"))
    assert [vscode["glspc.server.command"], *vscode["glspc.server.commandArguments"]] == [
        "guidelint",
        "server",
    ]
    helix = tomllib.loads(block("toml"))
    server = helix["language-server"]["guidelint"]
    assert [server["command"], *server["args"]] == ["guidelint", "server"]
    assert "guidelint" in helix["language"][0]["language-servers"]
    assert 'cmd = { "guidelint", "server" }' in block("lua")
    assert "vim.lsp.start" in block("lua")
    assert run_cli("server", "--help").exit_code == 0
