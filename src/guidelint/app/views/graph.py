"""`guidelint graph`: the lineages as Mermaid (GitHub renders it), Graphviz DOT, or JSON.

Nodes show id, year and status; replacement, amendment and draft links look different; a broken
link (one-sided, to a missing id, in a loop) is drawn red with its problem in the label, so the
picture shows what the check reports. Ids come from the checked files: every one is escaped
for the format it is written in, never trusted to be a name the format allows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from guidelint.app.views.lineages import AMENDMENT, Edge, EdgeState, Lineage, Version

FORMATS = ("mermaid", "dot", "json")

# The words a link is drawn with: older --label--> newer.
LINK_LABEL = {"supersedes": "replaced by", "amends": "amended by"}
PROBLEM_WORDS = {
    EdgeState.ONE_SIDED: "one-sided",
    EdgeState.DANGLING: "missing id",
    EdgeState.CYCLE: "loop",
}
STATUS_FILL = {
    "current": "#e6f4ea",
    "superseded": "#f1f3f4",
    "withdrawn": "#fce8e6",
    "draft": "#e8f0fe",
}
PROBLEM_COLOUR = "#d93025"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _plain(text: str) -> str:
    return _CONTROL.sub(" ", text)


def node_caption(version: Version) -> tuple[str, str]:
    """The two lines a node shows: its id, then year and status."""
    year = str(version.year) if version.year else "no date"
    return version.id, f"{year} · {version.status or 'no status'}"


def missing_caption(lineage: Lineage, missing: str) -> tuple[str, str]:
    """How an id no file has is shown: an error as a successor, else an earlier version."""
    if lineage.dangling(missing):
        return "no such file", "missing"
    return "not in this corpus", "outside"


def edge_label(edge: Edge) -> str:
    label = "draft of" if edge.state is EdgeState.DRAFT else LINK_LABEL[edge.kind]
    problem = PROBLEM_WORDS.get(edge.state)
    return f"{label} ({problem})" if problem else label


# Mermaid -------------------------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: entity codes for what would end or mark it up."""
    text = _plain(text)
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text


MERMAID_CLASSES = {
    **{
        status: f"fill:{fill},stroke:#5f6368"
        + (",stroke-dasharray:4 3" if status == "draft" else "")
        for status, fill in STATUS_FILL.items()
    },
    "missing": f"fill:#fff,stroke:{PROBLEM_COLOUR},stroke-dasharray:2 2",
    "outside": "fill:#fff,stroke:#9aa0a6,stroke-dasharray:2 2,color:#5f6368",
}


def to_mermaid(lineages: Sequence[Lineage]) -> str:
    body: list[str] = []
    used: set[str] = set()
    names: dict[str, str] = {}
    styled: list[tuple[int, str]] = []  # links drawn apart: problems red, drafts blue
    link_count = 0
    for number, lineage in enumerate(lineages):
        many = len(lineage.versions) + len(lineage.missing) > 1
        indent = "    " if many else "  "
        if many:
            body.append(f'  subgraph lineage{number} ["{_mermaid_text(lineage.key)}"]')
        for version in lineage.versions:
            names[version.id] = name = f"n{len(names)}"
            first, second = node_caption(version)
            css = version.status if version.status in STATUS_FILL else "superseded"
            used.add(css)
            body.append(
                f'{indent}{name}["{_mermaid_text(first)}<br/>{_mermaid_text(second)}"]:::{css}'
            )
        for missing in lineage.missing:
            names[missing] = name = f"n{len(names)}"
            caption, css = missing_caption(lineage, missing)
            used.add(css)
            body.append(f'{indent}{name}["{_mermaid_text(missing)}<br/>{caption}"]:::{css}')
        for edge in lineage.edges:
            arrow = "-.->" if edge.kind == AMENDMENT or edge.state is EdgeState.DRAFT else "-->"
            label = _mermaid_text(edge_label(edge))
            body.append(f'{indent}{names[edge.older]} {arrow}|"{label}"| {names[edge.newer]}')
            if edge.state in PROBLEM_WORDS:
                styled.append((link_count, f"stroke:{PROBLEM_COLOUR},stroke-width:3px"))
            elif edge.state is EdgeState.DRAFT:
                styled.append((link_count, "stroke:#1a73e8,stroke-dasharray:2 4"))
            link_count += 1
        if many:
            body.append("  end")
    classes = [f"  classDef {css} {style}" for css, style in MERMAID_CLASSES.items() if css in used]
    links = [f"  linkStyle {link} {style}" for link, style in styled]
    return "\n".join(["flowchart LR", *classes, *body, *links]) + "\n"


# Graphviz DOT --------------------------------------------------------------------------------


def _dot_text(text: str) -> str:
    """Text for a quoted DOT label (an escString): backslash and quote escaped."""
    return _plain(text).replace("\\", "\\\\").replace('"', '\\"')


def _dot_label(*lines: str) -> str:
    """A DOT label of several lines, each escaped on its own."""
    return '"' + "\\n".join(_dot_text(line) for line in lines) + '"'


def to_dot(lineages: Sequence[Lineage]) -> str:
    # Nodes are named n0, n1, ...: a DOT name cannot hold every text an id may hold (a
    # backslash before the closing quote), a label can.
    out = [
        "digraph lineages {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fillcolor="#ffffff"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    names: dict[str, str] = {}
    for number, lineage in enumerate(lineages):
        out.append(f"  subgraph cluster_{number} {{")
        out.append(f'    label={_dot_label(lineage.key)}; color="#dadce0";')
        for version in lineage.versions:
            names[version.id] = name = f"n{len(names)}"
            fill = STATUS_FILL.get(version.status, "#ffffff")
            dashed = ', style="rounded,filled,dashed"' if version.status == "draft" else ""
            label = _dot_label(*node_caption(version))
            out.append(f'    {name} [label={label}, fillcolor="{fill}"{dashed}];')
        for missing in lineage.missing:
            names[missing] = name = f"n{len(names)}"
            caption, css = missing_caption(lineage, missing)
            colour = PROBLEM_COLOUR if css == "missing" else "#9aa0a6"
            out.append(
                f'    {name} [label={_dot_label(missing, caption)}, style="rounded,dashed", '
                f'color="{colour}", fontcolor="{colour}"];'
            )
        out.append("  }")
        for edge in lineage.edges:
            style = ["label=" + _dot_label(edge_label(edge))]
            if edge.kind == AMENDMENT:
                style.append("style=dashed")
            elif edge.state is EdgeState.DRAFT:
                style.append('style=dotted, color="#1a73e8"')
            if edge.state in PROBLEM_WORDS:
                style.append(f'color="{PROBLEM_COLOUR}", fontcolor="{PROBLEM_COLOUR}", penwidth=2')
            out.append(f"  {names[edge.older]} -> {names[edge.newer]} [{', '.join(style)}];")
    out.append("}")
    return "\n".join(out) + "\n"


# JSON ----------------------------------------------------------------------------------------


def lineage_data(lineage: Lineage) -> dict[str, object]:
    return {
        "lineage": lineage.key,
        "versions": [
            {
                "id": v.id,
                "path": v.path,
                "line": v.line,
                "status": v.status,
                "publication_date": v.publication_date.isoformat() if v.publication_date else None,
            }
            for v in lineage.versions
        ],
        "missing": lineage.missing,
        "edges": [
            {"older": e.older, "newer": e.newer, "kind": e.kind, "state": e.state.value}
            for e in lineage.edges
        ],
    }


def to_json(lineages: Sequence[Lineage]) -> str:
    data = {"lineages": [lineage_data(lineage) for lineage in lineages]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


RENDER = {"mermaid": to_mermaid, "dot": to_dot, "json": to_json}
