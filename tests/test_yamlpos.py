"""Front matter with positions: safety bounds, duplicate keys, tags and YAML 1.1 surprises."""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from guidelint.core.limits import DEFAULT_LIMITS
from guidelint.readers import yamlpos
from guidelint.readers.yamlpos import parse_front_matter


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_front_matter(text, "x.md", 2, DEFAULT_LIMITS)


def test_spans_point_at_keys_and_values_in_file_lines() -> None:
    parsed = parse('id: x\ntags:\n  - a\n  - "b c"\n')
    assert (parsed.spans[("id",)].key.line, parsed.spans[("id",)].key.column) == (2, 1)
    assert (parsed.spans[("id",)].value.line, parsed.spans[("id",)].value.column) == (2, 5)
    item = parsed.spans[("tags", 1)].value
    assert (item.line, item.column, item.end_column) == (5, 5, 10)


def test_yaml_11_scalars_are_remembered_as_written() -> None:
    parsed = parse("country: NO\nversion: 1.10\nwhen: 2024-06-01\nempty: ~\n")
    assert parsed.data == {"country": False, "version": 1.1, "when": "2024-06-01", "empty": None}
    assert parsed.plain_scalars[("country",)] == "NO"
    assert parsed.plain_scalars[("version",)] == "1.10"


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    parsed = parse(f'a: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert [d.code for d in parsed.diagnostics] == ["GL009"]
    assert not marker.exists()


def test_alias_bomb_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    start = time.perf_counter()
    parsed = parse("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 5  # a billion values if expanded
    assert [d.code for d in parsed.diagnostics] == ["GL010"]
    assert parsed.data is None


def test_absurd_nesting_is_a_diagnostic_not_a_recursion_error() -> None:
    for text in ("a: " + "[" * 5000 + "]" * 5000 + "\n", "a: " + "[" * 80 + "]" * 80 + "\n"):
        parsed = parse(text)
        assert [d.code for d in parsed.diagnostics] == ["GL010"]


def test_duplicate_key_is_reported_at_the_second_with_the_first_line() -> None:
    parsed = parse("id: a\ntitle: t\nid: b\n")
    (diagnostic,) = parsed.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("GL008", 4, 1)
    assert "first on line 2" in diagnostic.message


def test_line_separator_characters_would_shift_lines_so_they_are_reported() -> None:
    parsed = parse("id: a\ntitle: one\u2028two\n")
    assert [(d.code, d.line, d.column) for d in parsed.diagnostics] == [("GL006", 3, 11)]


def test_syntax_error_hint_for_tabs() -> None:
    (diagnostic,) = parse("id: a\n\ttitle: b\n").diagnostics
    assert diagnostic.code == "GL006"
    assert "indent with spaces" in diagnostic.message


PLAIN_SCALARS = [
    "yes", "No", "on", "OFF", "~", "null", "", "1_000", "0x1F", "0o17", "017", "1:20",
    "190:20:30", ".inf", "-.Inf", ".NaN", "1e3", "6.8523015e+5", "2024-06-01", "2024-6-1",
    "2001-12-14t21:59:43.10-05:00", "aan-als-2024", "=", "true", "False", "y", "n", "12.", "+12",
    "-0",
]  # fmt: skip


def test_remembered_tags_are_those_pyyaml_resolves() -> None:
    """The tag memo of plain scalars gives what PyYAML's own resolver gives, every time."""
    text = "".join(f"k{i}: {value}\n" for i, value in enumerate(PLAIN_SCALARS))
    reference = yaml.compose(text, Loader=yaml.SafeLoader)
    for _ in range(2):  # the second time, from the memo
        composed = yaml.compose(text, Loader=yamlpos._Loader)
        assert [(k.value, v.tag) for k, v in composed.value] == [
            (k.value, v.tag) for k, v in reference.value
        ]


def test_every_node_gets_the_tag_pyyaml_gives() -> None:
    """Collections, quoted, block and '!'-tagged scalars take resolve's shortcuts."""
    text = (
        "a: 'yes'\nb: \"1\"\nc: |\n  12\nd: >\n  no\ne: ! 12\nf: !!str 3\ng: [1, 'x', {h: null}]\n"
        "i:\n  - - on\n    - ''\n  - j: ~\n    k: !!int '7'\n? [l]\n: m\nn: {}\no: []\n"
    )

    def tags(node: yaml.Node) -> list[object]:
        if isinstance(node, yaml.ScalarNode):
            return [node.tag]
        if isinstance(node, yaml.SequenceNode):
            return [node.tag, [tags(item) for item in node.value]]
        return [node.tag, [(tags(k), tags(v)) for k, v in node.value]]

    reference = yaml.compose(text, Loader=yaml.SafeLoader)
    assert tags(yaml.compose(text, Loader=yamlpos._Loader)) == tags(reference)
