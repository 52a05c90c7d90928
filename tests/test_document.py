"""Reading and splitting: agreement with python-frontmatter, and no traceback on bad bytes."""

from __future__ import annotations

from pathlib import Path

import frontmatter
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate
from guidelint.readers.document import parse_document
from tests.conftest import FIXTURES, REPO, TODAY, run_cli


def _ours(text: str) -> tuple[object, str]:
    result = parse_document(text.encode("utf-8"), "x.md")
    assert result.document is not None, result.diagnostics
    data = yaml.safe_load(result.document.front_matter)
    return data, result.document.body.strip()


def test_split_agrees_with_python_frontmatter_on_seed_and_generated_corpus(tmp_path: Path) -> None:
    generate(tmp_path, 60, seed=7)
    files = [REPO / "seeds" / "aan-als-2024.md", *sorted(tmp_path.glob("*.md"))]
    for file in files:
        text = file.read_text("utf-8")
        post = frontmatter.loads(text)
        assert _ours(text) == (post.metadata, post.content), file.name


def test_crlf_and_bom_keep_lines_and_columns() -> None:
    clean = (FIXTURES / "schema" / "gl104-fail.md").read_bytes()
    converted = b"\xef\xbb\xbf" + clean.replace(b"\n", b"\r\n")
    result = parse_document(converted, "x.md")
    assert result.document is not None
    assert result.document.front_matter_first_line == 2
    assert result.document.text == clean.decode("utf-8")


def test_blank_lines_before_front_matter_are_reported_where_the_dashes_are() -> None:
    result = parse_document(b"\n\n---\nid: x\n---\n", "x.md")
    assert [(d.code, d.line) for d in result.diagnostics] == [("GL004", 3)]
    assert "remove the 2 blank line(s)" in result.diagnostics[0].message


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "GL003"),
        (b"   \n\t\n", "GL003"),
        (b"\xff\xfe-\x00-\x00-\x00", "GL001"),
        (b"---\ntitle: caf\xe9\n---\n", "GL001"),
        (b"---\nid: a\x00\n---\n", "GL002"),
        (b"## Scope\n", "GL004"),
        (b"---\nid: x\n", "GL005"),
    ],
)
def test_bad_bytes_give_one_diagnostic(data: bytes, code: str) -> None:
    result = parse_document(data, "x.md")
    assert result.document is None
    assert [d.code for d in result.diagnostics] == [code]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_diagnostics_not_tracebacks(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    target = folder / "x.md"
    seed = (REPO / "seeds" / "aan-als-2024.md").read_bytes()
    target.write_bytes(seed[: len(data)] + data)
    result = run_cli("--format", "json", "--today", TODAY, target)
    assert result.exit_code in (0, 1)
    for row in result.json():
        assert int(str(row["line"])) >= 1 and int(str(row["column"])) >= 1


LINES = st.sampled_from(
    ["---", "----", "--- ", "---\t", " ---", "--", "--- x", "-- -", "a: 1", "", "## Scope", "x---"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=8), st.booleans())
def test_slicing_at_delimiters_agrees_with_splitting_into_lines(
    lines: list[str], trailing_newline: bool
) -> None:
    # Front matter and body are sliced out at the delimiters found, for speed; splitting the
    # file into lines is the reference, and both must give the same document or diagnostic.
    from guidelint.readers.document import _split, _split_lines

    text = "\n".join(lines) + ("\n" if trailing_newline else "")
    assert _split(text, "x.md") == _split_lines(text, "x.md")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(" \t>*-+1.)a", max_size=12), min_size=1, max_size=6))
def test_deep_nesting_is_found_on_any_line(lines: list[str]) -> None:
    # The first line is matched at the start of the body, the others after a line break.
    import re

    from guidelint.core.limits import Limits
    from guidelint.readers.document import CONTAINER_PREFIX, Document, _too_deep

    body = "\n".join(lines)
    limits = Limits(max_markdown_depth=8)
    widths = [
        len(m.group()) + 3 * m.group().count("\t")
        for m in re.finditer(f"^{CONTAINER_PREFIX}+", body, re.MULTILINE)
    ]
    document = Document("x.md", body, "", 2, body, 4, body.count("\n") + 1)
    found = _too_deep(document, limits)
    assert (found is not None) == any(width > 8 for width in widths)
