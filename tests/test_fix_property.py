"""Property: for generated documents, fixing twice equals fixing once, and lines that held no
fixable problem come out byte for byte as they went in (BOM and line endings included)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidelint.app.fix import FixOutcome, fix_run
from guidelint.core.settings import Config, Settings
from guidelint.engine.run import RunOptions
from guidelint.rules.registry import select_codes
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


def fix_folder(folder: Path, unsafe: bool) -> FixOutcome:
    return fix_run(
        [folder],
        Settings(today=TODAY),
        select_codes(None, None),
        Config(root=folder),
        RunOptions(),
        unsafe=unsafe,
        write=True,
    )


def fix_once(folder: Path) -> list[str]:
    outcome = fix_folder(folder, unsafe=False)
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


@st.composite
def lineages(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """A predecessor and its successor with one half of their link, or a wrong date, missing."""
    from tests.conftest import PREDECESSOR_TEXT

    newer, older = SEED_TEXT, PREDECESSOR_TEXT
    broken = draw(st.sampled_from(["older link", "older key", "newer link", "newer date"]))
    if broken == "older link":
        older = older.replace("superseded_by: aan-als-2024", "superseded_by: null")
        older = older.replace("status: superseded", draw(st.sampled_from(["status: current"])))
    elif broken == "older key":
        older = older.replace("superseded_by: aan-als-2024\n", "")
    elif broken == "newer link":
        newer = newer.replace("supersedes: aan-als-2009", "supersedes: null")
        newer = newer.replace(
            "previous_version_date: 2009-10-13",
            draw(st.sampled_from(["previous_version_date: null", "previous_version_date: ~"])),
        )
    else:
        newer = newer.replace(
            "previous_version_date: 2009-10-13", "previous_version_date: 2009-1-3"
        )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return (
        bom + newer.replace("\n", newline).encode("utf-8"),
        older.replace("\n", newline).encode("utf-8"),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lineages())
def test_unsafe_lineage_fixes_settle_in_one_run(pair: tuple[bytes, bytes]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        newer, older = folder / "aan-als-2024.md", folder / "aan-als-2009.md"
        newer.write_bytes(pair[0])
        older.write_bytes(pair[1])
        outcome = fix_folder(folder, unsafe=True)
        assert outcome.changed
        assert not {"GL403", "GL406"} & {d.code for d in outcome.result.diagnostics}
        once = newer.read_bytes(), older.read_bytes()
        assert fix_once(folder) == []
        again = fix_folder(folder, unsafe=True)
        assert again.changed == []
        assert (newer.read_bytes(), older.read_bytes()) == once
    for before, after in zip(pair, once, strict=True):
        assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
        assert (b"\r\n" in after) == (b"\r\n" in before)
        assert after.count(b"\n") - before.count(b"\n") in (0, 1)  # at most a key added
        assert after.count(b"\r\n") == after.count(b"\n") or b"\r\n" not in before
        assert _other_lines(after) == _other_lines(before)


LINEAGE_LINES = (b"status:", b"superseded_by:", b"supersedes:", b"previous_version_date:")


def _other_lines(data: bytes) -> list[bytes]:
    """Every line but those of the lineage keys a lineage fix may set."""
    return [line for line in data.split(b"\n") if not line.startswith(LINEAGE_LINES)]
