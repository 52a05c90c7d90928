"""Hardening (issue 7): crashes the fuzzers found, resource bounds, and no code run from data.

Each crash test names the input that once raised inside guidelint (an internal error, exit 2)
and checks the diagnostic it gives now.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from guidelint.document import parse_document
from guidelint.limits import DEFAULT_LIMITS
from guidelint.yamlpos import parse_front_matter
from tests.conftest import FIXTURES, found

HARDENING = FIXTURES / "hardening"


def codes_at(text: str) -> list[tuple[str, int, int]]:
    parsed = parse_front_matter(text, "x.md", 2, DEFAULT_LIMITS)
    return [(d.code, d.line, d.column) for d in parsed.diagnostics]


# Crashes found by the fuzzers -------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        'a: !!int ""\n',  # IndexError in PyYAML's int constructor
        "a: !!int x\n",  # ValueError
        "a: !!float _\n",  # IndexError
        "a: !!bool maybe\n",  # KeyError
        "a: 0x_\n",  # a plain scalar YAML 1.1 resolves as an int, and PyYAML cannot build
        "a: +0b_\n",
    ],
)
def test_a_value_that_is_not_the_number_its_tag_says_is_gl009(text: str) -> None:
    assert codes_at(text) == [("GL009", 2, 4)]


def test_a_number_of_thousands_of_digits_is_gl010_not_a_traceback() -> None:
    # Python refuses int() of more than 4300 digits (ValueError).
    assert codes_at("a: " + "1" * 5000 + "\n") == [("GL010", 2, 4)]


def test_a_long_sexagesimal_number_is_refused_before_quadratic_work() -> None:
    start = time.perf_counter()
    assert codes_at("a: " + ":".join(["1"] * 100_000) + "\n") == [("GL010", 2, 4)]
    assert time.perf_counter() - start < 2  # PyYAML alone takes seconds


def test_numbers_within_bounds_are_still_numbers() -> None:
    parsed = parse_front_matter("a: !!int 12\nb: 1:20\nc: !!float 1.5\n", "x.md", 2, DEFAULT_LIMITS)
    assert parsed.data == {"a": 12, "b": 80, "c": 1.5}
    assert parsed.diagnostics == []


@pytest.mark.parametrize(
    ("name", "code", "line", "column"),
    [
        ("gl009-tagged-number.md", "GL009", 27, 10),
        ("gl009-odd-hex.md", "GL009", 26, 11),
        ("gl010-long-number.md", "GL010", 26, 11),
    ],
)
def test_fixtures_report_where_the_value_is(
    tmp_path: Path, name: str, code: str, line: int, column: int
) -> None:
    target = tmp_path / "aan-als-2024.md"
    shutil.copyfile(HARDENING / name, target)
    assert found(target) == {("aan-als-2024.md", code, line, column)}


def test_a_control_character_after_multibyte_text_is_shown_at_its_column() -> None:
    # libyaml gives this position in UTF-8 bytes: it once pointed past the end of the line.
    assert codes_at("a: \U0001f9e0\U0001f9e0\x08\n") == [("GL006", 2, 6)]
    assert codes_at("x: é\nab: é\x08\n") == [("GL006", 3, 6)]


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"\xef\xbb\xbf\x80", 1, 1),  # the byte order mark is not a column
        (b"\xef\xbb\xbf---\ntitle: caf\xe9\n", 2, 11),
        (b"---\rid: x\rtitle: caf\xe9\r", 3, 11),  # old Mac line ends are line ends
        (b"---\r\nid: x\r\ntitle: caf\xe9\r\n", 3, 11),
    ],
)
def test_an_undecodable_byte_is_shown_where_the_text_has_it(
    data: bytes, line: int, column: int
) -> None:
    (diagnostic,) = parse_document(data, "x.md").diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("GL001", line, column)
