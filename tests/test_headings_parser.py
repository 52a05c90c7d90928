"""The runtime parser's heading outline (pyromark) agrees with markdown-it-py's, line for line."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from benchmarks.generate import generate
from guidelint.readers.document import parse_document
from guidelint.readers.outline import parse_outline
from tests.conftest import FIXTURES, SEED_TEXT, TODAY, run_cli, write_corpus

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


def reference(body: str, first_line: int) -> list[tuple[int, int, int]]:
    """Level, first and last line of each top-level heading (a setext heading's underline is
    its last line)."""
    tokens = MarkdownIt("commonmark").parse(body)
    return [
        (int(t.tag[1]), first_line + t.map[0], first_line + t.map[1] - 1)
        for t in tokens
        if t.type == "heading_open" and t.level == 0 and t.map
    ]


def ours(body: str, first_line: int) -> list[tuple[int, int, int]]:
    return [
        (h.level, h.span.line, h.span.end_line) for h in parse_outline(body, first_line).headings
    ]


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


def test_tabs_around_a_closing_sequence_end_the_heading() -> None:
    # CommonMark takes spaces or tabs around the closing #s; pulldown-cmark, spaces only.
    body = "## Scope\t##\n\n## Key ##\t\n\n## a ## ##\t\n\n### ##\t\n\n##\tb\t#\n"
    texts = [h.text for h in parse_outline(body, 1).headings]
    assert texts == ["Scope", "Key", "a ##", "", "b"]


def test_a_required_section_closed_with_a_tab_is_found(tmp_path: Path) -> None:
    text = SEED_TEXT.replace("## Scope\n", "## Scope\t##\n")
    corpus = write_corpus(tmp_path / "corpus", {"aan-als-2024.md": text})
    result = run_cli("--today", TODAY, "--format", "json", corpus)
    assert [row["code"] for row in result.json()] == []
    assert result.exit_code == 0


def test_a_link_reference_definition_is_content_of_its_section() -> None:
    # CommonMark makes no block of a definition; the section holding one is not empty, as
    # it was not to markdown-it.
    body = "## Scope\n\n[aan]: https://www.aan.com\n\n## Key Recommendations\n\n## Last\n"
    assert [h.has_content for h in parse_outline(body, 1).headings] == [True, False, False]
    body = "## Scope\n\n<!-- note -->\n[aan]: https://www.aan.com\n\n## Next\n"
    assert [h.has_content for h in parse_outline(body, 1).headings] == [True, False]
