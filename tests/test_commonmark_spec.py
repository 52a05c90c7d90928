"""The heading outline agrees with the CommonMark specification's own examples.

Every example of the spec (tests/fixtures/commonmark, CC-BY-SA 4.0, see the README.txt there):
the outline has exactly the headings the spec's HTML shows outside block quotes and lists, with
their levels and texts, so headings in code, HTML blocks and paragraphs are never found and
every ATX and setext heading is; and each heading's first and last line are markdown-it-py's.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

import pytest
from markdown_it import MarkdownIt

from guidelint.readers.outline import parse_outline
from tests.conftest import FIXTURES

SPEC = json.loads((FIXTURES / "commonmark" / "spec-0.31.2.json").read_text("utf-8"))
EXAMPLES: list[dict[str, Any]] = SPEC["examples"]
# Elements a heading can be nested in; the outline takes only the body's own headings.
CONTAINERS = {"blockquote", "ul", "ol", "li"}
HEADING_TAGS = {f"h{level}": level for level in range(1, 7)}


class _Headings(HTMLParser):
    """The top-level headings of the spec's HTML: level, and text as a reader sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.open: tuple[int, list[str]] | None = None
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in CONTAINERS:
            self.depth += 1
        elif tag in HEADING_TAGS and self.depth == 0:
            self.open = (HEADING_TAGS[tag], [])
        elif self.open is not None and tag == "img":
            self.open[1].append(dict(attrs).get("alt") or "")
        elif self.open is not None and tag == "br":
            self.open[1].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in CONTAINERS:
            self.depth -= 1
        elif self.open is not None and HEADING_TAGS.get(tag) == self.open[0]:
            self.found.append((self.open[0], _spaced("".join(self.open[1]))))
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.open[1].append(data)


def _spaced(text: str) -> str:
    # Line breaks in a heading are spaces in its text; how many does not matter to a heading.
    return " ".join(text.split())


def spec_headings(html: str) -> list[tuple[int, str]]:
    parser = _Headings()
    parser.feed(html)
    parser.close()
    return parser.found


def reference_lines(markdown: str) -> list[tuple[int, int, int]]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [
        (int(t.tag[1]), 1 + t.map[0], t.map[1])
        for t in tokens
        if t.type == "heading_open" and t.level == 0 and t.map
    ]


def test_the_fixture_is_the_whole_spec() -> None:
    assert len(EXAMPLES) == 652
    assert [e["example"] for e in EXAMPLES] == list(range(1, 653))
    sections = [e["section"] for e in EXAMPLES]
    assert (sections.count("ATX headings"), sections.count("Setext headings")) == (18, 27)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e['example']}-{e['section']}")
def test_headings_are_the_ones_the_spec_shows(example: dict[str, Any]) -> None:
    outline = parse_outline(example["markdown"], 1)
    found = [(h.level, _spaced(h.text)) for h in outline.headings]
    assert found == spec_headings(example["html"])
    lines = [(h.level, h.span.line, h.span.end_line) for h in outline.headings]
    assert lines == reference_lines(example["markdown"])


def test_the_examples_hold_headings_of_every_kind() -> None:
    # A guard on the test above: it would pass on examples without headings.
    found = [h for e in EXAMPLES for h in parse_outline(e["markdown"], 1).headings]
    assert {h.level for h in found} == {1, 2, 3, 4, 5, 6}
    assert {h.setext for h in found} == {True, False}
    assert len(found) >= 50
