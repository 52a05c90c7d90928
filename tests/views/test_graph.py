"""`guidelint graph`: Mermaid (rendered by the real mermaid library in a real browser), DOT
(read by the real Graphviz) and JSON, each snapshotted, through the real command line."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from tests.browser import chromium
from tests.conftest import run_cli, run_process
from tests.package_downloads import npm_file
from tests.views.corpus import guideline, shapes_corpus, write_corpus

# What GitHub renders Mermaid with is a release of mermaid 11.
MERMAID = (
    "mermaid",
    "11.17.2",
    "sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aCleBBg==",
    "package/dist/mermaid.min.js",
)


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shapes_corpus(tmp_path_factory.mktemp("corpus") / "shapes")


def graph(folder: Path, output_format: str) -> str:
    result = run_cli("graph", "--format", output_format, folder)
    assert result.exit_code == 0, result.stderr
    # Paths differ from run to run; the graph's shape does not.
    return result.stdout.replace(str(folder), "CORPUS")


@pytest.mark.parametrize("output_format", ["mermaid", "dot", "json"])
def test_graph_output(shapes: Path, output_format: str, snapshot: SnapshotAssertion) -> None:
    assert graph(shapes, output_format) == snapshot


def test_json_has_every_version_and_link(shapes: Path) -> None:
    data = json.loads(graph(shapes, "json"))
    versions = [v["id"] for lineage in data["lineages"] for v in lineage["versions"]]
    assert len(versions) == len(list(shapes.glob("*.md")))
    states = {e["state"] for lineage in data["lineages"] for e in lineage["edges"]}
    assert states == {"ok", "draft", "one-sided", "dangling", "cycle"}


HOSTILE_ID = 'x"]; click n0 call alert(1) %% <script>alert(1)</script> #quot; \\" -> y'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An id that would end a quoted label, start a comment or a tag in each format."""
    text = guideline("hostile-2020", "2020-01-01").replace(
        "id: hostile-2020", "id: " + json.dumps(HOSTILE_ID)
    )
    newer = guideline("newer-2022", "2022-01-01", supersedes="hostile-2020").replace(
        "supersedes: hostile-2020", "supersedes: " + json.dumps(HOSTILE_ID)
    )
    return write_corpus(tmp_path_factory.mktemp("hostile"), {"a.md": text, "b.md": newer})


def _dot(text: str, output: str) -> str:
    """The graph as the real Graphviz lays it out."""
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz is not installed (apt-get install graphviz, as .ci/run does)")
    done = subprocess.run(
        [dot, f"-T{output}"], input=text, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def _node_texts(svg: str) -> list[str]:
    """The text of each node Graphviz drew, its lines joined by a newline."""
    import xml.etree.ElementTree as ET

    ns = {"svg": "http://www.w3.org/2000/svg"}
    root = ET.fromstring(svg)
    assert root.findall(".//svg:script", ns) == []
    return [
        "\n".join(t.text or "" for t in g.findall("svg:text", ns))
        for g in root.iterfind(".//svg:g[@class='node']", ns)
    ]


def test_graphviz_draws_one_node_per_version(shapes: Path) -> None:
    texts = _node_texts(_dot(graph(shapes, "dot"), "svg"))
    ids = {text.split("\n")[0] for text in texts}
    assert ids == {p.stem for p in shapes.glob("*.md")} | {"aan-z-2099"}
    assert "uspstf-a-2016\n2016 · superseded" in texts
    assert "aan-z-2099\nno such file" in texts
    assert _dot(graph(shapes, "dot"), "plain").count("\nedge ") == 12


def test_graphviz_draws_a_hostile_id_as_its_text(hostile: Path) -> None:
    texts = _node_texts(_dot(graph(hostile, "dot"), "svg"))
    assert set(texts) == {HOSTILE_ID + "\n2020 · current", "newer-2022\n2022 · current"}


def _render_mermaid(text: str, folder: Path) -> dict[str, object]:
    """The diagram as mermaid renders it in chromium: node labels and edge count, or the error."""
    (folder / "mermaid.min.js").write_bytes(npm_file(*MERMAID))
    page = folder / "page.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><script src="mermaid.min.js"></script>'
        "</head><body><div id=out></div></body></html>",
        "utf-8",
    )
    with chromium() as driver:
        driver.get(page.as_uri())
        result: dict[str, object] = driver.execute_async_script(
            """
            const [text, done] = arguments;
            mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
            mermaid.render('graph', text).then(({svg}) => {
              const out = document.getElementById('out');
              out.innerHTML = svg;
              done({
                nodes: Array.from(out.querySelectorAll('g.node')).map(n => n.textContent.trim()),
                edges: out.querySelectorAll('path.flowchart-link').length,
                scripts: out.querySelectorAll('script').length,
              });
            }).catch(error => done({error: String(error)}));
            """,
            text,
        )
    return result


def test_mermaid_renders_one_node_per_version(shapes: Path, tmp_path: Path) -> None:
    rendered = _render_mermaid(graph(shapes, "mermaid"), tmp_path)
    assert "error" not in rendered, rendered
    nodes = rendered["nodes"]
    assert isinstance(nodes, list)
    assert len(nodes) == len(list(shapes.glob("*.md"))) + 1  # and the missing successor
    assert "uspstf-a-20162016 · superseded" in nodes
    assert rendered["edges"] == 12


def test_mermaid_renders_a_hostile_id_as_text(hostile: Path, tmp_path: Path) -> None:
    rendered = _render_mermaid(graph(hostile, "mermaid"), tmp_path)
    assert "error" not in rendered, rendered
    assert rendered["scripts"] == 0
    # Each label shows the id exactly as written, as text: no script, no click handler.
    assert set(rendered["nodes"]) == {HOSTILE_ID + "2020 · current", "newer-20222022 · current"}  # type: ignore[arg-type]
    assert rendered["edges"] == 1


def test_graph_as_a_real_process_writes_a_file(shapes: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "lineages.mmd"
    result = run_process("graph", shapes, "-o", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text("utf-8").startswith("flowchart LR\n")


def test_an_unknown_format_is_a_usage_error(shapes: Path) -> None:
    result = run_cli("graph", "--format", "svg", shapes)
    assert result.exit_code == 2
    assert "'svg' is not one of 'mermaid', 'dot', 'json'" in result.stderr
