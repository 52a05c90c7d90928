"""guidelint's columns (1-based code points) to LSP's (0-based code units) and back."""

from __future__ import annotations

import pytest

from guidelint.app.server.positions import (
    UTF8,
    UTF16,
    UTF32,
    Position,
    from_client,
    split_lines,
    to_client,
)

LINE = "é😀x"  # one unit, then two in UTF-16 (four in UTF-8), then the problem


@pytest.mark.parametrize(("encoding", "character"), [(UTF16, 3), (UTF8, 6), (UTF32, 2)])
def test_a_column_after_an_emoji_counts_its_code_units(encoding: str, character: int) -> None:
    assert to_client([LINE], 1, 3, encoding) == Position(0, character)
    assert from_client([LINE], Position(0, character), encoding) == (1, 3)


def test_lines_break_where_lsp_breaks_them() -> None:
    assert split_lines("a\r\nb\rc\nd\u2028e\x0cf") == ["a", "b", "c", "d\u2028e\x0cf"]


def test_positions_past_the_end_are_kept_at_the_end() -> None:
    lines = ["ab", "c"]
    assert to_client(lines, 9, 1) == Position(1, 1)
    assert to_client(lines, 1, 99) == Position(0, 2)
    assert from_client(lines, Position(9, 0)) == (2, 2)
    assert from_client(lines, Position(0, 99)) == (1, 3)
    assert to_client([], 1, 1) == Position(0, 0)


def test_inside_a_surrogate_pair_is_after_it() -> None:
    assert from_client(["😀x"], Position(0, 1)) == (1, 2)


def test_a_byte_order_mark_in_the_editors_text_is_counted_on_the_first_line() -> None:
    lines = ["\ufeff---", "id: x"]
    assert to_client(lines, 1, 1) == Position(0, 1)
    assert from_client(lines, Position(0, 1)) == (1, 1)
    assert to_client(lines, 2, 1) == Position(1, 0)
