"""Property: for generated documents, fixing twice equals fixing once, and lines that held no
fixable problem come out byte for byte as they went in (BOM and line endings included)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidelint.config import Config
from guidelint.context import Settings
from guidelint.engine import RunOptions
from guidelint.fix import fix_run
from guidelint.registry import select_codes
from tests.conftest import SEED_TEXT

LINES = SEED_TEXT.split("\n")
TODAY = date(2026, 11, 24)


def line_of(start: str) -> int:
    return next(i for i, line in enumerate(LINES) if line.startswith(start))


def cased(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda upper: "".join(c.upper() if u else c for c, u in zip(word, upper, strict=True))
    )


def written_date(day: date) -> st.SearchStrategy[str]:
    y, m, d = day.year, day.month, day.day
    month = day.strftime("%B")
    return st.sampled_from(
        [
            f"{y}-{m}-{d}",
            f"{y}/{m:02d}/{d:02d}",
            f"{d} {month} {y}",
            f"{month} {d}, {y}",
            f'"{y}.{m}.{d}"',
        ]
    ).filter(lambda text: text != day.isoformat())


# One strategy per defect: (line index, strategy for the new line, other lines the fix may touch).
DEFECTS: dict[str, tuple[int, st.SearchStrategy[str], tuple[int, ...]]] = {
    "key case": (
        line_of("status:"),
        cased("status").filter(lambda key: key != "status").map(lambda key: f"{key}: current"),
        (),
    ),
    "yaml 1.1 word": (
        line_of("country:"),
        st.sampled_from(["NO", "no", "yes", "Off", "ON", "1.10", "12"]).map(
            lambda word: f"country: {word}"
        ),
        (),
    ),
    "date": (
        line_of("last_reviewed:"),
        st.dates(date(2024, 6, 1), date(2026, 11, 24))
        .flatmap(written_date)
        .map(lambda text: f"last_reviewed: {text}"),
        (),
    ),
    "vocabulary": (
        line_of("specialty:"),
        st.sampled_from(["Neurology", "NEUROLOGY", '"Neurology"', "'neuroLogy'"]).map(
            lambda value: f"specialty: {value}"
        ),
        (),
    ),
    "vocabulary spacing": (
        line_of("guideline_type:"),
        st.sampled_from(["Clinical Practice", "clinical_practice", "Clinical-Practice"]).map(
            lambda value: f"guideline_type: {value}"
        ),
        (),
    ),
    "pdf": (
        line_of("pdf_path:"),
        st.just("pdf_path: pdfs/aan-als-2024.pdf"),
        (line_of("has_pdf:"),),
    ),
    "heading level": (
        line_of("### Diagnosis"),
        st.sampled_from(["#### Diagnosis", "##### Diagnosis ##"]),
        (),
    ),
    "heading end": (
        line_of("### Disease-Modifying Therapy"),
        st.sampled_from([":", ".", "  ", ". \t", "!"]).map(
            lambda end: f"### Disease-Modifying Therapy{end}"
        ),
        (),
    ),
}


def front_matter_lines() -> list[int]:
    close = LINES.index("---", 1)
    return [i for i in range(1, close) if not LINES[i].startswith("  -")]


@st.composite
def documents(draw: st.DrawFn) -> tuple[bytes, set[int]]:
    lines = list(LINES)
    touched: set[int] = set()
    for name in draw(st.sets(st.sampled_from(sorted(DEFECTS)))):
        index, new, also = DEFECTS[name]
        lines[index] = draw(new)
        touched |= {index, *also}
    for index in draw(st.sets(st.sampled_from(front_matter_lines()), max_size=4)):
        lines[index] += draw(st.sampled_from(["  # checked", " # NO", "\t# 2024-6-1"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + newline.join(lines).encode("utf-8"), touched


def fix_once(folder: Path) -> list[str]:
    outcome = fix_run(
        [folder],
        Settings(today=TODAY),
        select_codes(None, None),
        Config(root=folder),
        RunOptions(),
        unsafe=False,
        write=True,
    )
    assert outcome.not_written == {}
    return outcome.changed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fixing_twice_is_fixing_once_and_untouched_lines_stay(
    document: tuple[bytes, set[int]],
) -> None:
    data, touched = document
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "aan-als-2024.md"
        file.write_bytes(data)
        changed = fix_once(Path(folder))
        once = file.read_bytes()
        assert fix_once(Path(folder)) == []
        assert file.read_bytes() == once
    assert bool(changed) == (once != data)
    assert once.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
    before, after = data.split(b"\n"), once.split(b"\n")
    assert len(after) == len(before)
    for index, (old, new) in enumerate(zip(before, after, strict=True)):
        if index not in touched:
            assert new == old, f"line {index + 1} changed though it held nothing to fix"
        assert new.endswith(b"\r") == old.endswith(b"\r")
    if touched:
        assert once != data  # every generated defect is one --fix mends
