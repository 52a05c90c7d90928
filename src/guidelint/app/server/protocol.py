"""`guidelint server`: the Language Server Protocol over standard input and output (pygls).

Diagnostics are published for every open guideline from its unsaved text, with the lineage
problems the corpus on disk and the other open files give it; an edit that changes a link
publishes the other open files' diagnostics again. Checks are coalesced: the first change after
a pause is checked at once, and while typing goes on the open files are checked at most once
every `CHECK_INTERVAL` seconds, always on the latest text, so no keystroke waits on a queue of
checks of texts already gone.

Nothing a workspace holds may stop the server: each handler's exception becomes a log message
to the editor, and the request gets no answer rather than a dead server.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from guidelint import __version__
from guidelint.app.fix import fix_in_memory
from guidelint.app.ruledocs import render_rule, rule_url
from guidelint.app.server import features
from guidelint.app.server.positions import (
    UTF16,
    Position,
    from_client,
    split_lines,
    to_client,
    units,
)
from guidelint.app.server.project import Buffer, Workspace, read_other
from guidelint.checks.validation import property_schema, vocabulary
from guidelint.core.diagnostic import Diagnostic, Severity
from guidelint.core.fixes import Edit
from guidelint.core.safe_text import shown as safe
from guidelint.rules.registry import rules_by_code

# Typing runs at about 5 to 10 keys a second; a check of a guideline takes a few milliseconds,
# the lineage pass of a 10,000-file corpus some tens. Checking at most every 150 ms keeps the
# diagnostics as fresh as the eye follows while sparing both cores from checking texts the
# next key replaces.
CHECK_INTERVAL = 0.15
FIX_ALL_KIND = "source.fixAll.guidelint"
SETTINGS_NAMES = frozenset({"pyproject.toml", "guidelint.toml", ".guidelint.toml"})
SCHEMA_NAME = "guideline.schema.json"
KEY_BEING_TYPED = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
}

Handler = TypeVar("Handler", bound=Callable[..., Any])


class GuidelintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "guidelint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.workspace_state = Workspace(None)
        self.uris: dict[str, str] = {}  # name shown -> the uri the editor opened it by
        self.published: dict[str, list[Diagnostic]] = {}
        # Buffers opened or changed since their diagnostics were last published: theirs are
        # published even when the same, for the new version; the others' only when changed.
        self.dirty: set[str] = set()
        self.index_ready: asyncio.Future[None] | None = None
        # Files the editor said changed on disk while the corpus was being read: the reading
        # may have seen them before the change, so they are read again once it is in.
        self.changed_while_reading: dict[Path, bool] = {}
        self.pending: asyncio.Task[None] | None = None
        self.last_check = -CHECK_INTERVAL

    @property
    def encoding(self) -> str:
        chosen = self.server_capabilities.position_encoding if self.protocol else None
        return str(chosen) if chosen else UTF16

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    # The workspace ---------------------------------------------------------------------------
    def start_workspace(self, root: Path | None) -> None:
        """Settings, then the corpus index, read in a thread while the editor goes on."""
        state = Workspace(root)
        if root is not None:
            # Diagnostics name files as `guidelint` run in the workspace's folder does.
            os.chdir(root)
        state.load_settings()
        if state.settings_problem:
            self.say_settings_problem(state.settings_problem)
        state.buffers = self.workspace_state.buffers
        self.workspace_state = state
        self.reindex()

    def say_settings_problem(self, problem: str) -> None:
        self.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning,
                message=f"guidelint: {safe(problem)}; checking with the default settings",
            )
        )

    def reindex(self) -> None:
        state = self.workspace_state
        loop = asyncio.get_running_loop()

        def read() -> tuple[dict[str, Any], dict[str, Path]]:
            scratch = Workspace(state.root, state.config, state.enabled)
            scratch.index_corpus()
            return scratch.corpus, scratch.files

        future = loop.run_in_executor(None, read)
        ready: asyncio.Future[None] = loop.create_future()
        self.index_ready = ready

        def done(finished: asyncio.Future[tuple[dict[str, Any], dict[str, Path]]]) -> None:
            try:
                corpus = finished.result()
            except Exception:
                self.log(f"guidelint: the corpus could not be read\n{traceback.format_exc()}")
                corpus = ({}, {})
            if self.index_ready is ready:  # not read with settings changed since
                state.set_corpus(*corpus)
                for file, deleted in self.changed_while_reading.items():
                    state.file_changed_on_disk(file, deleted)
                self.changed_while_reading.clear()
            if not ready.done():
                ready.set_result(None)
            self.request_check()

        future.add_done_callback(done)

    def settings_changed(self) -> None:
        state = self.workspace_state
        state.load_settings()
        if state.settings_problem:
            self.say_settings_problem(state.settings_problem)
        state.forget_results()
        self.reindex()

    def file_changed_on_disk(self, file: Path, deleted: bool) -> bool:
        """The index follows a file the editor says changed on disk; whether it mattered."""
        if self.index_ready is not None and not self.index_ready.done():
            self.changed_while_reading[file] = deleted
        return self.workspace_state.file_changed_on_disk(file, deleted)

    # Checking --------------------------------------------------------------------------------
    def request_check(self) -> None:
        if self.pending is not None and not self.pending.done():
            return  # the check waiting will read the latest text
        delay = max(0.0, self.last_check + CHECK_INTERVAL - time.monotonic())
        self.pending = asyncio.get_running_loop().create_task(self._check_later(delay))

    async def _check_later(self, delay: float) -> None:
        await asyncio.sleep(delay)
        # The corpus as the latest settings have it: a change may start another reading.
        while self.index_ready is not None and not self.index_ready.done():
            await self.index_ready
        self.last_check = time.monotonic()
        try:
            self.publish_all()
        except Exception:
            self.log(f"guidelint: internal error while checking\n{traceback.format_exc()}")

    def publish_all(self) -> None:
        state = self.workspace_state
        found = state.check()
        for shown, buffer in state.buffers.items():
            diagnostics = found.get(shown, [])
            if self.published.get(shown) == diagnostics and shown not in self.dirty:
                continue
            self.published[shown] = diagnostics
            lines = split_lines(buffer.text)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=self.uris.get(shown, from_fs_path(str(buffer.path)) or ""),
                    diagnostics=[self.lsp_diagnostic(d, lines) for d in diagnostics],
                    version=buffer.version,
                )
            )
        self.dirty.clear()

    def lsp_range(
        self, lines: list[str], line: int, column: int, end_line: int, end_column: int
    ) -> types.Range:
        start = to_client(lines, line, column, self.encoding)
        end = to_client(lines, end_line, end_column, self.encoding)
        return types.Range(
            start=types.Position(line=start.line, character=start.character),
            end=types.Position(line=end.line, character=end.character),
        )

    def lsp_diagnostic(self, diagnostic: Diagnostic, lines: list[str]) -> types.Diagnostic:
        d = diagnostic
        rule = rules_by_code().get(d.code)
        return types.Diagnostic(
            range=self.lsp_range(lines, d.line, d.column, d.end_line, d.end_column),
            message=safe(d.message),
            severity=SEVERITIES[d.severity],
            code=d.code,
            code_description=types.CodeDescription(href=rule_url(rule)) if rule else None,
            source="guidelint",
        )

    def buffer(self, uri: str) -> Buffer | None:
        path = to_fs_path(uri)
        if path is None:
            return None
        return self.workspace_state.buffers.get(self.workspace_state.shown(Path(path)))

    def guideline_position(self, buffer: Buffer, position: types.Position) -> tuple[int, int]:
        lines = split_lines(buffer.text)
        return from_client(lines, Position(position.line, position.character), self.encoding)

    def text_edit(self, lines: list[str], edit: Edit) -> types.TextEdit:
        return types.TextEdit(
            range=self.lsp_range(lines, edit.line, edit.column, edit.end_line, edit.end_column),
            new_text=edit.text,
        )

    def uri_of(self, shown: str) -> str | None:
        if shown in self.uris:
            return self.uris[shown]
        file = self.workspace_state.files.get(shown)
        return from_fs_path(str(file.absolute())) if file is not None else None


def guarded(handler: Handler) -> Handler:
    """The handler, with any exception it raises told to the editor as a log message."""

    @functools.wraps(handler)
    def run(ls: GuidelintServer, params: Any) -> Any:
        try:
            return handler(ls, params)
        except Exception:
            ls.log(
                f"guidelint: internal error in {handler.__name__}\n{traceback.format_exc()}",
                types.MessageType.Error,
            )
            return None

    return run  # type: ignore[return-value]


server = GuidelintServer()


@server.feature(types.INITIALIZED)
@guarded
def initialized(ls: GuidelintServer, params: types.InitializedParams) -> None:
    folders = ls.workspace.folders
    uri = next(iter(folders.values())).uri if folders else ls.workspace.root_uri
    path = to_fs_path(uri) if uri else None
    root = Path(os.path.realpath(path)) if path and Path(path).is_dir() else None
    ls.start_workspace(root)
    watching = ls.client_capabilities.workspace
    dynamic = watching and watching.did_change_watched_files
    if dynamic and dynamic.dynamic_registration:
        globs = ["**/*.md", "**/pyproject.toml", "**/guidelint.toml", "**/.guidelint.toml"]
        globs.append(f"**/{SCHEMA_NAME}")
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in globs]
        )
        ls.client_register_capability(
            types.RegistrationParams(
                registrations=[
                    types.Registration(
                        id="guidelint-watched-files",
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=options,
                    )
                ]
            )
        )


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded
def did_open(ls: GuidelintServer, params: types.DidOpenTextDocumentParams) -> None:
    document = params.text_document
    path = to_fs_path(document.uri)
    if path is None:
        return  # not a file (an untitled buffer): nothing to place it in the corpus
    buffer = ls.workspace_state.open(Path(path), document.text, document.version)
    ls.uris[buffer.shown] = document.uri
    ls.dirty.add(buffer.shown)
    ls.request_check()


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded
def did_change(ls: GuidelintServer, params: types.DidChangeTextDocumentParams) -> None:
    buffer = ls.buffer(params.text_document.uri)
    if buffer is None:
        return
    for change in params.content_changes:
        if isinstance(change, types.TextDocumentContentChangeWholeDocument):
            buffer.text = change.text
    buffer.version = params.text_document.version
    ls.workspace_state.changed(buffer.shown)
    ls.dirty.add(buffer.shown)
    ls.request_check()


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded
def did_close(ls: GuidelintServer, params: types.DidCloseTextDocumentParams) -> None:
    path = to_fs_path(params.text_document.uri)
    if path is None:
        return
    state = ls.workspace_state
    shown = state.shown(Path(path))
    state.close(Path(path))
    ls.uris.pop(shown, None)
    if ls.published.pop(shown, None):
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )
    # What the file says on disk counts again for the lineage of the others.
    ls.file_changed_on_disk(Path(path), deleted=False)
    ls.request_check()


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@guarded
def did_save(ls: GuidelintServer, params: types.DidSaveTextDocumentParams) -> None:
    path = to_fs_path(params.text_document.uri)
    if path is not None and Path(path).name in SETTINGS_NAMES:
        ls.settings_changed()


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@guarded
def did_change_watched_files(
    ls: GuidelintServer, params: types.DidChangeWatchedFilesParams
) -> None:
    state = ls.workspace_state
    settings = schema = corpus = False
    for change in params.changes:
        path = to_fs_path(change.uri)
        if path is None:
            continue
        file = Path(path)
        if file.name in SETTINGS_NAMES:
            settings = True
        elif file.name == SCHEMA_NAME:
            schema = True
        elif file.name.endswith(".md") and state.shown(file) not in state.buffers:
            deleted = change.type == types.FileChangeType.Deleted
            corpus = ls.file_changed_on_disk(file, deleted) or corpus
    if schema:
        forget_schema()
        state.forget_results()
    if settings:
        ls.settings_changed()
    elif schema or corpus:
        ls.request_check()


def forget_schema() -> None:
    """The schema file changed (guidelint installed from a working copy): read it again."""
    from guidelint.checks import validation as schema

    for cached in (schema.load_schema, schema.fast_validator, schema.validator):
        cached.cache_clear()


# Code actions ----------------------------------------------------------------------------------
@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND],
        resolve_provider=False,
    ),
)
@guarded
def code_action(
    ls: GuidelintServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    buffer = ls.buffer(params.text_document.uri)
    if buffer is None:
        return None
    only = params.context.only
    wanted_fixes = not only or any(
        str(kind) in (types.CodeActionKind.QuickFix, "quickfix") for kind in only
    )
    wanted_all = not only or any(
        FIX_ALL_KIND.startswith(str(kind)) or str(kind) == FIX_ALL_KIND for kind in only
    )
    actions: list[types.CodeAction] = []
    published = ls.published.get(buffer.shown, [])
    if wanted_fixes:
        start = ls.guideline_position(buffer, params.range.start)
        end = ls.guideline_position(buffer, params.range.end)
        for diagnostic in published:
            if (diagnostic.end_line, diagnostic.end_column) < start or (
                diagnostic.line,
                diagnostic.column,
            ) > end:
                continue
            actions += _actions_for(ls, buffer, diagnostic)
    if wanted_all:
        fixed = _fix_all(ls, buffer)
        if fixed is not None:
            actions.append(fixed)
    return actions


def _actions_for(
    ls: GuidelintServer, buffer: Buffer, diagnostic: Diagnostic
) -> list[types.CodeAction]:
    lines = split_lines(buffer.text)
    shown_diagnostic = ls.lsp_diagnostic(diagnostic, lines)
    actions = []
    fix = diagnostic.fix
    if fix is not None:
        target = fix.target(diagnostic.path)
        data = read_other(ls.workspace_state, target)
        uri = ls.uri_of(target)
        planned = features.fix_edits(fix, target, data) if data is not None else None
        if planned is not None and uri is not None and data is not None:
            # The text as the editor has it, a byte-order mark included.
            target_lines = split_lines(data.decode("utf-8", "replace"))
            safe_fix = fix.applicability == "safe"
            title = f"{diagnostic.code}: {safe(fix.description)}"
            actions.append(
                types.CodeAction(
                    title=title if safe_fix else f"{title} (unsafe: check the result)",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[shown_diagnostic],
                    is_preferred=safe_fix,
                    edit=types.WorkspaceEdit(
                        changes={uri: [ls.text_edit(target_lines, e) for e in planned.edits]}
                    ),
                )
            )
    uri = ls.uris.get(buffer.shown)
    if uri is not None:
        limits = ls.workspace_state.config.limits
        for title, edit in features.suppression_edits(diagnostic, buffer.text, limits):
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[shown_diagnostic],
                    is_preferred=False,
                    edit=types.WorkspaceEdit(changes={uri: [ls.text_edit(lines, edit)]}),
                )
            )
    return actions


def _fix_all(ls: GuidelintServer, buffer: Buffer) -> types.CodeAction | None:
    """Every safe fix of the file, by the rounds --fix makes, as one edit of the whole text."""
    uri = ls.uris.get(buffer.shown)
    published = ls.published.get(buffer.shown, [])
    if uri is None or not any(d.fix and d.fix.applicability == "safe" for d in published):
        return None
    state = ls.workspace_state
    data = buffer.text.encode("utf-8", "surrogatepass")
    contents, fixed = fix_in_memory(
        state.run_result, {buffer.shown: data}, state.config.limits, unsafe=False
    )
    new = contents.get(buffer.shown, data)
    if new == data or not fixed:
        return None
    lines = split_lines(buffer.text)
    whole = types.Range(
        start=types.Position(line=0, character=0),
        end=types.Position(line=len(lines) - 1, character=units(lines[-1], ls.encoding)),
    )
    return types.CodeAction(
        title="guidelint: fix all safe problems in this file",
        kind=FIX_ALL_KIND,
        edit=types.WorkspaceEdit(
            changes={uri: [types.TextEdit(range=whole, new_text=new.decode("utf-8", "replace"))]}
        ),
    )


# Hover and completion --------------------------------------------------------------------------
@server.feature(types.TEXT_DOCUMENT_HOVER)
@guarded
def hover(ls: GuidelintServer, params: types.HoverParams) -> types.Hover | None:
    buffer = ls.buffer(params.text_document.uri)
    if buffer is None:
        return None
    line, column = ls.guideline_position(buffer, params.position)
    pages = []
    for d in ls.published.get(buffer.shown, []):
        if (d.line, d.column) <= (line, column) < (d.end_line, d.end_column) or (
            (d.line, d.column) == (line, column)
        ):
            rule = rules_by_code().get(d.code)
            if rule is not None and render_rule(rule) not in pages:
                pages.append(render_rule(rule))
    if not pages:
        text = _key_hover(ls, buffer, line, column)
        if text is None:
            return None
        pages.append(text)
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(pages)
        )
    )


def _key_hover(ls: GuidelintServer, buffer: Buffer, line: int, column: int) -> str | None:
    from guidelint.checks.validation import load_schema

    lines = split_lines(buffer.text)
    extent = features.front_matter_lines(lines)
    if extent is None or not extent[0] <= line <= extent[1]:
        return None
    match = features.KEY_AT_LINE_START.match(lines[line - 1])
    if match is None or not column <= len(match.group(1)) + 1:
        return None
    schema = load_schema(ls.workspace_state.config.extra_vocabulary)
    return features.key_description(schema, match.group(1))


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":", " "])
)
@guarded
def completion(ls: GuidelintServer, params: types.CompletionParams) -> types.CompletionList | None:
    from guidelint.checks.validation import load_schema

    buffer = ls.buffer(params.text_document.uri)
    if buffer is None:
        return None
    lines = split_lines(buffer.text)
    line, column = ls.guideline_position(buffer, params.position)
    extent = features.front_matter_lines(lines)
    if extent is None or not extent[0] <= line <= extent[1]:
        return None
    before = lines[line - 1][: column - 1]
    schema = load_schema(ls.workspace_state.config.extra_vocabulary)
    items: list[types.CompletionItem] = []
    key = features.KEY_AT_LINE_START.match(before)
    if key is None:
        if before and not KEY_BEING_TYPED.fullmatch(before):
            return None  # inside a list, a nested value or a comment
        written = features.keys_written(lines, *extent)
        for name, prop in schema.get("properties", {}).items():
            if name in written:
                continue
            items.append(
                types.CompletionItem(
                    label=name,
                    kind=types.CompletionItemKind.Property,
                    documentation=prop.get("description"),
                    insert_text=f"{name}: ",
                )
            )
        return types.CompletionList(is_incomplete=False, items=items)
    name = key.group(1)
    typed = before[key.end() :].lstrip(" \t")
    value_start = len(before) - len(typed)
    replace = ls.lsp_range(lines, line, value_start + 1, line, column)
    values = vocabulary(schema, name)
    if name in features.LINEAGE_ID_KEYS and property_known(schema, name):
        own = _own_id(ls, buffer)
        values = [(i, "an id in this corpus") for i in ls.workspace_state.known_ids() if i != own]
    # Right after the colon, a value needs its space: `status:current` is one text to YAML.
    space = "" if typed or before.endswith((" ", "\t")) else " "
    for value, about in values:
        items.append(
            types.CompletionItem(
                label=value,
                kind=types.CompletionItemKind.Value,
                documentation=about,
                text_edit=types.TextEdit(range=replace, new_text=space + value),
            )
        )
    return types.CompletionList(is_incomplete=False, items=items)


def property_known(schema: dict[str, Any], key: str) -> bool:
    return property_schema(schema, key) is not None


def _own_id(ls: GuidelintServer, buffer: Buffer) -> str | None:
    result = buffer.result
    return result.entry.id if result is not None and result.entry is not None else None


def main() -> None:
    server.start_io()
