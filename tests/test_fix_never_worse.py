"""Fixes never make things worse (issue 16): after `--fix --unsafe-fixes` the corpus has fewer
errors than before, and no kind of error in a file that it did not have."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, SEED_TEXT, TODAY, run_cli

Errors = Counter[tuple[str, str]]


def errors(folder: Path, *options: str) -> Errors:
    """(file name, code) of every error reported in `folder`, counted."""
    result = run_cli("--today", TODAY, "--no-cache", "--format", "json", *options, folder)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    return Counter(
        (Path(str(row["path"])).name, str(row["code"]))
        for row in result.json()
        if row["severity"] == "error"
    )


def texts(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.md"))}


def fix_unsafely(folder: Path, *options: str) -> None:
    result = run_cli("--today", TODAY, "--no-cache", "--fix", "--unsafe-fixes", *options, folder)
    assert result.exit_code in (0, 1), result.stdout + result.stderr


def assert_no_worse(before: Errors, after: Errors, changed: bool) -> None:
    assert not after - before, f"new errors: {after - before}"
    if changed:
        assert after.total() < before.total()


BACKWARDS = FIXTURES / "lineage" / "backwards-link"


def test_a_link_written_backwards_is_left_alone(tmp_path: Path) -> None:
    # aan-als-2024 (2024-06-01) says it is superseded by aan-als-2009 (2009-10-13).
    work = tmp_path / "c"
    shutil.copytree(BACKWARDS, work)
    before = errors(work)
    assert before == Counter(
        {
            ("aan-als-2009.md", "GL403"): 1,
            ("aan-als-2009.md", "GL407"): 1,
            ("aan-als-2009.md", "GL302"): 1,
            ("aan-als-2024.md", "GL403"): 1,
            ("aan-als-2024.md", "GL301"): 1,
        }
    )
    fix_unsafely(work)
    assert texts(work) == texts(BACKWARDS)
    listing = run_cli("--today", TODAY, "--no-cache", work).stdout
    assert "hidden fixes" not in listing  # the fix is not offered either


def test_the_fix_runner_undoes_an_unsafe_round_that_makes_things_worse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The net under the rules: were GL403 to offer the backwards fix again, the round that
    wrote it (GL202 in aan-als-2009.md) is undone."""
    from guidelint.rules import lineage

    monkeypatch.setattr(lineage, "_may_link", lambda *_: True)
    work = tmp_path / "c"
    shutil.copytree(BACKWARDS, work)
    assert "hidden fixes" in run_cli("--today", TODAY, "--no-cache", "--jobs", "1", work).stdout
    fix_unsafely(work, "--jobs", "1")
    assert texts(work) == texts(BACKWARDS)


def test_a_previous_date_from_a_later_predecessor_is_not_offered(tmp_path: Path) -> None:
    work = tmp_path / "c"
    shutil.copytree(FIXTURES / "lineage" / "gl406-fail", work)
    older = work / "gl-old-2009.md"
    text = older.read_text("utf-8")
    older.write_text(text.replace("publication_date: 2009-10-13", "publication_date: 2025-10-13"))
    before, files = errors(work), texts(work)
    assert ("gl-new-2024.md", "GL406") in before
    fix_unsafely(work)
    assert texts(work) == files  # setting 2025-10-13 would add GL202


UNSAFE_CASES = [
    FIXTURES / "fix" / "lineage-unsafe" / "before",
    *sorted(p for p in (FIXTURES / "lineage").iterdir() if p.is_dir()),
]


@pytest.mark.parametrize("case", UNSAFE_CASES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_every_unsafe_fix_of_the_fixtures_leaves_fewer_errors(tmp_path: Path, case: Path) -> None:
    work = tmp_path / "c"
    shutil.copytree(case, work)
    (work / "guidelint.toml").touch()
    before, files = errors(work), texts(work)
    fix_unsafely(work)
    assert_no_worse(before, errors(work), texts(work) != files)


# Property: generated lineages with injected faults ---------------------------------------------
YEARS = [2004, 2009, 2014, 2019, 2024]
FAULTS = ["none", "no supersedes", "no superseded_by", "backwards", "wrong previous date"]


def version(year: int, fields: dict[str, str]) -> str:
    text = SEED_TEXT
    seed = {
        "id": "aan-als-2024",
        "publication_date": "2024-06-01",
        "previous_version_date": "2009-10-13",
        "status": "current",
        "supersedes": "aan-als-2009",
        "superseded_by": "null",
        "last_reviewed": "2025-01-01",
    }
    values = {
        **seed,
        "id": f"aan-als-{year}",
        "publication_date": f"{year}-06-01",
        "previous_version_date": "null",
        "supersedes": "null",
        "last_reviewed": f"{year}-09-01",
        **fields,
    }
    for key, old in seed.items():
        text = text.replace(f"\n{key}: {old}\n", f"\n{key}: {values[key]}\n", 1)
    return text


@st.composite
def corpora(draw: st.DrawFn) -> dict[str, str]:
    """2 to 4 versions of one lineage, each link written right or with a fault."""
    years = sorted(draw(st.lists(st.sampled_from(YEARS), min_size=2, max_size=4, unique=True)))
    fields: list[dict[str, str]] = [{"status": "superseded"} for _ in years]
    fields[-1]["status"] = "current"
    for i in range(len(years) - 1):
        older, newer = fields[i], fields[i + 1]
        older_id, newer_id = f"aan-als-{years[i]}", f"aan-als-{years[i + 1]}"
        fault = draw(st.sampled_from(FAULTS))
        if fault == "backwards":
            newer["superseded_by"] = older_id
            continue
        if fault != "no supersedes":
            newer["supersedes"] = older_id
            newer["previous_version_date"] = (
                f"{years[i]}-01-01" if fault == "wrong previous date" else f"{years[i]}-06-01"
            )
        if fault != "no superseded_by":
            older["superseded_by"] = newer_id
    if draw(st.booleans()):
        fields[draw(st.integers(0, len(years) - 1))]["status"] = "current"
    return {
        f"aan-als-{year}.md": version(year, extra)
        for year, extra in zip(years, fields, strict=True)
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_unsafe_fixes_never_leave_more_errors(corpus: dict[str, str]) -> None:
    assert date.fromisoformat(TODAY) > date(2024, 9, 1)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "guidelint.toml").touch()
        for file, text in corpus.items():
            (folder / file).write_text(text, "utf-8")
        before, files = errors(folder), texts(folder)
        fix_unsafely(folder)
        assert_no_worse(before, errors(folder), texts(folder) != files)


# Property: merges and splits, whose links are lists -----------------------------------------
LIST_FAULTS = ["none", "left out of the list", "no back link", "backwards"]


def _listed(ids: list[str]) -> str:
    if not ids:
        return "null"
    return ids[0] if len(ids) == 1 else "[" + ", ".join(ids) + "]"


@st.composite
def branching_corpora(draw: st.DrawFn) -> dict[str, str]:
    """A merge (two versions replaced by one) or a split (one replaced by two), each of the
    two links written right or with a fault."""
    years = sorted(draw(st.lists(st.sampled_from(YEARS), min_size=3, max_size=3, unique=True)))
    ids = [f"aan-als-{year}" for year in years]
    merge = draw(st.booleans())
    olders, newers = ([0, 1], [2]) if merge else ([0], [1, 2])
    supersedes: dict[int, list[str]] = {i: [] for i in range(3)}
    superseded_by: dict[int, list[str]] = {i: [] for i in range(3)}
    for older in olders:
        for newer in newers:
            fault = draw(st.sampled_from(LIST_FAULTS))
            if fault == "backwards":
                superseded_by[newer].append(ids[older])
                continue
            if fault != "left out of the list":
                supersedes[newer].append(ids[older])
            if fault != "no back link":
                superseded_by[older].append(ids[newer])
    fields: list[dict[str, str]] = []
    for i in range(len(years)):
        named = [int(name[-4:]) for name in supersedes[i]]
        fields.append(
            {
                "status": "superseded" if i in olders else "current",
                "supersedes": _listed(supersedes[i]),
                "superseded_by": _listed(superseded_by[i]),
                "previous_version_date": f"{max(named)}-06-01" if named else "null",
            }
        )
    return {f"{ids[i]}.md": version(year, fields[i]) for i, year in enumerate(years)}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(branching_corpora())
def test_unsafe_fixes_of_list_links_never_leave_more_errors(corpus: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "guidelint.toml").touch()
        for file, text in corpus.items():
            (folder / file).write_text(text, "utf-8")
        before, files = errors(folder), texts(folder)
        fix_unsafely(folder)
        after = errors(folder)
        assert_no_worse(before, after, texts(folder) != files)
        for text in texts(folder).values():
            front = text.decode("utf-8").split("\n---\n", 1)[0]
            for key in ("supersedes:", "superseded_by:"):
                assert front.count(f"\n{key}") == 1, f"a second {key} key"


def test_the_missing_successor_is_added_to_the_list_keeping_the_other(tmp_path: Path) -> None:
    work = tmp_path / "c"
    shutil.copytree(FIXTURES / "lineage" / "gl403-list", work)
    (work / "guidelint.toml").touch()
    fix_unsafely(work)
    older = (work / "gl-whole-2004.md").read_text("utf-8")
    assert "\nsuperseded_by: [gl-adults-2015, gl-children-2015]\n" in older
    assert errors(work) == Counter()


def test_a_quoted_single_successor_becomes_a_list_not_a_text(tmp_path: Path) -> None:
    work = tmp_path / "c"
    shutil.copytree(FIXTURES / "lineage" / "gl403-list", work)
    (work / "guidelint.toml").touch()
    older = work / "gl-whole-2004.md"
    text = older.read_text("utf-8")
    older.write_text(
        text.replace("superseded_by: [gl-adults-2015]", "superseded_by: 'gl-adults-2015'")
    )
    fix_unsafely(work)
    assert "\nsuperseded_by: [gl-adults-2015, gl-children-2015]\n" in older.read_text("utf-8")
    assert errors(work) == Counter()


def test_a_link_the_dates_contradict_is_not_added_to_a_list(tmp_path: Path) -> None:
    work = tmp_path / "c"
    shutil.copytree(FIXTURES / "lineage" / "gl403-list", work)
    (work / "guidelint.toml").touch()
    newer = work / "gl-children-2015.md"
    newer.write_text(
        newer.read_text("utf-8")
        .replace("publication_date: 2015-08-01", "publication_date: 2003-08-01")
        .replace("previous_version_date: 2004-07-28", "previous_version_date: null")
    )
    files = texts(work)
    fix_unsafely(work)
    assert texts(work) == files
