"""The two schema validators agree: jsonschema-rs decides, jsonschema explains.

A document jsonschema-rs calls valid is never explained, so the two must give the same verdict
on every document, or an error would go unreported (or a valid file be flagged with nothing to
say). They share the schema, and jsonschema's patterns and formats are read by jsonschema-rs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate
from guidelint.checks.validation import fast_validator, validator
from guidelint.core.limits import DEFAULT_LIMITS
from guidelint.readers.document import parse_document
from guidelint.readers.yamlpos import parse_front_matter
from tests.conftest import FIXTURES, REPO, SEED_TEXT, found


def _metadata(path: Path) -> dict[str, Any] | None:
    read = parse_document(path.read_bytes(), path.name)
    if read.document is None:
        return None
    document = read.document
    parsed = parse_front_matter(
        document.front_matter, path.name, document.front_matter_first_line, DEFAULT_LIMITS
    )
    return parsed.data if isinstance(parsed.data, dict) else None


def _assert_agree(meta: dict[str, Any]) -> None:
    decided = fast_validator().is_valid(meta)
    explained = list(validator().iter_errors(meta))
    assert decided == (not explained), (meta, [e.message for e in explained])


SEED_META = _metadata(REPO / "seeds" / "aan-als-2024.md")


def test_they_agree_on_every_fixture_and_seed() -> None:
    files = sorted(FIXTURES.rglob("*.md")) + sorted((REPO / "seeds").glob("*.md"))
    metas = [meta for meta in map(_metadata, files) if meta is not None]
    assert len(metas) > 80  # the fixtures were really read
    verdicts = set()
    for meta in metas:
        _assert_agree(meta)
        verdicts.add(fast_validator().is_valid(meta))
    assert verdicts == {True, False}


def test_they_agree_on_a_generated_corpus_with_defects(tmp_path: Path) -> None:
    generate(tmp_path, 600, defect_rate=0.3, seed=5)
    metas = [meta for meta in map(_metadata, sorted(tmp_path.glob("*.md"))) if meta]
    assert len(metas) > 500
    for meta in metas:
        _assert_agree(meta)


TRICKY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x1c",  # Python's \s matches the file separators; ECMA-262's does not
        "\ufeff",  # ECMA-262's \s matches the byte-order mark; Python's does not
        "\u00a0",
        "aan-als-2024\n",  # Python's $ matches before a final newline; ECMA-262's does not
        "aan-als-2024",
        "AAN-ALS-2024",
        "2024-06-01",
        "2024-6-1",
        "2024-06-01\n",
        "https://example.org/x",
        "https://exa mple.org",
        "http://",
        "current",
        "Current",
        "neurology",
    ]
)
VALUES = st.one_of(
    TRICKY_TEXT,
    st.text(max_size=12),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.lists(st.one_of(TRICKY_TEXT, st.integers(0, 3)), max_size=4),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.dictionaries(
        st.sampled_from([*(SEED_META or {}), "Status", "extra"]), VALUES, max_size=4
    ),
    removed=st.sets(st.sampled_from(sorted(SEED_META or {})), max_size=2),
)
def test_they_agree_on_mutated_seed_metadata(changes: dict[str, Any], removed: set[str]) -> None:
    assert SEED_META is not None
    meta = {k: v for k, v in {**SEED_META, **changes}.items() if k not in removed}
    try:
        fast_validator().is_valid(meta)
    except (ValueError, TypeError, OverflowError):
        return  # not representable for jsonschema-rs: check_schema explains it with jsonschema
    _assert_agree(meta)


def test_patterns_are_read_as_json_schema_specifies(tmp_path: Path) -> None:
    """An id with a final newline is not an id, though Python's `$` would let it pass."""
    target = tmp_path / "aan-als-2024.md"
    target.write_text(
        SEED_TEXT.replace("id: aan-als-2024", 'id: "aan-als-2024\\n"'), encoding="utf-8"
    )
    assert ("aan-als-2024.md", "GL105", 2, 5) in found(target)
