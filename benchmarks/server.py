"""Time the language server: from `didChange` to the `publishDiagnostics` that answers it.

    python benchmarks/server.py [--n 10000] [--changes 40] [--dir DIR] [--python PATH]

Two workspaces, each a git repository's top with an empty guidelint.toml: the seed alone, and
a generated corpus of `--n` files (benchmarks/generate.py) with the seed's lineage in it. In
each, a real LSP client starts `python -m guidelint server` over stdio, opens the seed and
waits for its first diagnostics (the time to read the corpus into the index is reported too),
then sends `--changes` edits, each a whole new text that alternates between the seed and a copy
with a wrong date, and times each until the diagnostics for that version arrive. Edits are
spaced by more than the server's check interval, so each one is timed by itself, as the first
key after a pause is. Printed: the median and the slowest edit, against the goals of 50 ms
(seed) and 200 ms (corpus). Not a test: times are for reading.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = REPO / "seeds" / "aan-als-2024.md"
SPACING = 0.25  # seconds between edits: more than the server's check interval (0.15)


def workspace(folder: Path, corpus: int) -> Path:
    folder.mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "guidelint.toml").write_text("", "utf-8")
    if corpus:
        sys.path.insert(0, str(HERE))
        from generate import generate

        generate(folder / "generated", corpus)
    shutil.copy(SEED, folder / SEED.name)
    return folder


async def time_edits(python: str, root: Path, changes: int) -> tuple[float, list[float]]:
    """Seconds to the first diagnostics, and to the diagnostics of each edit."""
    client = LanguageClient("guidelint-benchmark", "1")
    arrived: dict[int, float] = {}
    event = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived.setdefault(params.version, time.perf_counter())
            event.set()

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        return None

    await client.start_io(python, "-m", "guidelint", "server", cwd=str(root))
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="bench")],
        )
    )
    client.initialized(types.InitializedParams())
    uri = (root / SEED.name).as_uri()
    good = SEED.read_text("utf-8")
    bad = good.replace("publication_date: 2024-06-01", "publication_date: 2024-02-30")

    async def wait_for(version: int) -> float:
        while version not in arrived:
            event.clear()
            await asyncio.wait_for(event.wait(), 600)
        return arrived[version]

    start = time.perf_counter()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=good
            )
        )
    )
    first = await wait_for(1) - start
    times = []
    for version in range(2, changes + 2):
        await asyncio.sleep(SPACING)
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangeWholeDocument(text=bad if version % 2 else good)
                ],
            )
        )
        times.append(await wait_for(version) - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return first, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="files in the large corpus")
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--dir", type=Path, help="where to write the workspaces (default: temp)")
    parser.add_argument("--python", default=sys.executable, help="the Python with guidelint")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="guidelint-server-", dir=args.dir))
    try:
        print("| workspace | first diagnostics | didChange -> publishDiagnostics | goal |")
        print("|---|---|---|---|")
        for label, corpus, goal in (("the seed", 0, 50), (f"{args.n} files", args.n, 200)):
            root = workspace(base / f"ws-{corpus}", corpus)
            first, times = asyncio.run(time_edits(args.python, root, args.changes))
            median, slowest = statistics.median(times) * 1000, max(times) * 1000
            print(
                f"| {label} | {first * 1000:.0f} ms | median {median:.1f} ms, "
                f"slowest {slowest:.1f} ms ({len(times)} edits) | {goal} ms |"
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
