"""The Rust CommonMark parser's outline agrees with markdown-it-py's, line for line."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from benchmarks.generate import generate
from guidelint.document import parse_document
from guidelint.headings import parse_outline
from tests.conftest import FIXTURES

TRICKY = """
## Scope

```
# fenced
```

~~~
## tilde fenced
~~~

    # indented code

<!--
## commented out
-->

Setext Title
============

Setext Two
----------

> ## quoted heading

- ## heading in a list item

## Trailing hashes ##

#NoSpace is a paragraph

##   Spaced   Out
"""


def reference(body: str, first_line: int) -> list[tuple[int, int]]:
    tokens = MarkdownIt("commonmark").parse(body)
    return [
        (int(t.tag[1]), first_line + t.map[0])
        for t in tokens
        if t.type == "heading_open" and t.level == 0 and t.map
    ]


def ours(body: str, first_line: int) -> list[tuple[int, int]]:
    return [(h.level, h.span.line) for h in parse_outline(body, first_line).headings]


def test_tricky_body() -> None:
    assert ours(TRICKY, 10) == reference(TRICKY, 10)
    texts = [h.text for h in parse_outline(TRICKY, 1).headings]
    assert texts == ["Scope", "Setext Title", "Setext Two", "Trailing hashes", "Spaced   Out"]


def test_fixtures_and_generated_bodies(tmp_path: Path) -> None:
    generate(tmp_path, 40, seed=3)
    files = [*FIXTURES.rglob("*.md"), *tmp_path.glob("*.md")]
    checked = 0
    for file in files:
        result = parse_document(file.read_bytes(), file.name)
        if result.document is None:
            continue
        body, first = result.document.body, result.document.body_first_line
        assert ours(body, first) == reference(body, first), file
        checked += 1
    assert checked > 60


def test_non_ascii_columns_and_lines() -> None:
    body = "é😀 para\n\n## Scöpe 😀\n"
    (heading,) = parse_outline(body, 5).headings
    assert (heading.span.line, heading.span.column, heading.span.end_column) == (7, 1, 11)


def test_spans_asked_in_any_order_agree() -> None:
    # Spans are placed when first asked for; rules ask in any order (GL504 looks back at the
    # first of two siblings), and each answer must be the same whatever came before.
    body = "intro é\n\n## Ä one\n\ntext\n\nSetext 😀\n---\n\n### three\n\n## Ä one\n"
    forward = [h.span for h in parse_outline(body, 7).headings]
    backward = [h.span for h in reversed(parse_outline(body, 7).headings)][::-1]
    assert forward == backward
    assert [(s.line, s.column, s.end_line, s.end_column) for s in forward] == [
        (9, 1, 9, 9),
        (13, 1, 14, 4),
        (16, 1, 16, 10),
        (18, 1, 18, 9),
    ]
