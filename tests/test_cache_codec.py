"""The cache's codec for corpus index entries is read off Entry's fields: a new field is one
edit (the field), not four (Entry, the encoder, the decoder and a format number)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from guidelint.cache.codec import EntryCodec
from guidelint.core.corpus_index import Entry

ENTRY = Entry(
    path="a.md",
    id="aan-als-2024",
    status="current",
    supersedes=("aan-als-2010",),
    superseded_by=(),
    amends=(),
    amended_by=("aan-als-2025",),
    publication_date=date(2024, 6, 1),
    previous_version_date=None,
    span_keys=("id", "status"),
    span_numbers=(2, 5, 2, 17, 3, 9, 3, 16),
)


@dataclass(frozen=True, slots=True)
class WiderEntry(Entry):
    """Entry with a field added, as the lifecycle work adds several."""

    review_date: date | None
    replaced_in_part_by: str | None


def test_an_entry_goes_through_the_cache_as_it_was() -> None:
    codec = EntryCodec(Entry)
    raw = codec.encode(ENTRY)
    assert codec.decode(raw, "a.md") == ENTRY
    assert codec.decode(None, "a.md") is None


def test_a_new_entry_field_is_stored_without_editing_the_codec() -> None:
    codec = EntryCodec(WiderEntry)
    wider = WiderEntry(
        *(getattr(ENTRY, name) for name in Entry.__dataclass_fields__),
        review_date=date(2027, 6, 1),
        replaced_in_part_by="aan-als-2026",
    )
    assert codec.decode(codec.encode(wider), "a.md") == wider


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-1],  # a field short
        lambda raw: [*raw[:5], "2024-13-01", *raw[6:]],  # no such date
        lambda raw: [*raw[:6], None, ["status"], raw[7]],  # no id among the keys
        lambda raw: [*raw[:7], ["id", 5], [1, 2, 3, 4, 5, 6, 7, 8]],  # a key that is no text
        lambda raw: [*raw[:7], ["id"], [1, 2, 3]],  # numbers for no whole span
        lambda raw: [*raw[:7], ["id"], [1, 2, 3, 4.5]],  # a number that is not whole
        lambda raw: [7, *raw[1:]],  # an id that is no text
    ],
)
def test_an_entry_of_another_shape_is_refused(damage: object) -> None:
    codec = EntryCodec(Entry)
    raw = codec.encode(ENTRY)
    with pytest.raises((TypeError, ValueError)):
        codec.decode(damage(raw), "a.md")  # type: ignore[operator]


def test_an_entry_with_a_field_added_crosses_processes_whole() -> None:
    """Entry.__reduce__ is read off the fields too: a worker sends every field, new ones too."""
    import pickle

    wider = WiderEntry(
        **{f: getattr(ENTRY, f) for f in ENTRY.__dataclass_fields__},
        review_date=date(2025, 1, 1),
        replaced_in_part_by="x",
    )
    assert pickle.loads(pickle.dumps(wider)) == wider
    assert pickle.loads(pickle.dumps(ENTRY)) == ENTRY
