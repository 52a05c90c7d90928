"""Real lineages from the public record (tests/fixtures/lineages-real/README.md): clean, and
one defect injected into each is reported at the key it concerns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

REAL = FIXTURES / "lineages-real"
TODAY = "2025-04-01"  # after every publication in the corpus but the draft's planned date
# Overdue on the record: reaffirmed in 2015, and no review recorded since 2015.
WARNINGS = {
    ("aan-ivig-neuromuscular-2012.md", "GL206"),
    ("nice-diabetes-children-ng18-2015.md", "GL206"),
}


def diagnostics(folder: Path) -> list[dict[str, object]]:
    result = run_cli(
        "--today", TODAY, "--no-cache", "--format", "json",
        "--config", REAL / "guidelint.toml", folder,
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    rows: list[dict[str, object]] = result.json()
    return rows


def test_the_real_lineages_have_no_errors() -> None:
    rows = diagnostics(REAL)
    assert {(Path(str(r["path"])).name, str(r["code"])) for r in rows} == WARNINGS
    assert {r["severity"] for r in rows} == {"warning"}


def _position(text: str, key: str) -> tuple[int, int]:
    """The line and column of `key`'s value in the front matter."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number, len(key) + 3
    raise AssertionError(key)


# (lineage, file to change, (old, new) text, file reported, code, key the code is at)
DEFECTS = [
    (
        "merge: CG137 forgets TA79",
        "nice-epilepsy-cg137-2012.md",
        ("\n  - nice-epilepsy-ta79-2004", ""),
        "nice-epilepsy-ta79-2004.md",
        "GL403",
        "superseded_by",
    ),
    (
        "split: CG15 names only NG17",
        "nice-type-1-diabetes-cg15-2004.md",
        (", nice-diabetes-children-ng18-2015]", "]"),
        "nice-diabetes-children-ng18-2015.md",
        "GL403",
        "supersedes",
    ),
    (
        "amendments: the 2017 update dated before its 2013 base",
        "acc-aha-heart-failure-update-2017.md",
        ("publication_date: 2017-04-28", "publication_date: 2012-04-28"),
        "acc-aha-heart-failure-update-2017.md",
        "GL407",
        "publication_date",
    ),
    (
        "reaffirmation: a later review than last_reviewed",
        "aan-ivig-neuromuscular-2012.md",
        ("  - date: 2015-07-01", "  - date: 2016-07-01"),
        "aan-ivig-neuromuscular-2012.md",
        "GL208",
        "last_reviewed",
    ),
    (
        "chain of three: 2021 dated before 2016",
        "uspstf-colorectal-cancer-screening-2021.md",
        ("publication_date: 2021-05-18", "publication_date: 2015-05-18"),
        "uspstf-colorectal-cancer-screening-2021.md",
        "GL407",
        "publication_date",
    ),
    (
        "withdrawal: no withdrawn_date",
        "uspstf-childhood-immunizations-1996.md",
        ("withdrawn_date: 2002-01-01\n", ""),
        "uspstf-childhood-immunizations-1996.md",
        "GL310",
        "status",
    ),
    (
        "draft successor: the current version names the draft",
        "aan-als-2024.md",
        ("superseded_by: null", "superseded_by: aan-als-2027"),
        "aan-als-2024.md",
        "GL408",
        "superseded_by",
    ),
]


@pytest.mark.parametrize(
    ("changed", "edit", "reported", "code", "key"),
    [defect[1:] for defect in DEFECTS],
    ids=[defect[0] for defect in DEFECTS],
)
def test_one_defect_in_each_lineage_is_reported_where_it_is(
    tmp_path: Path, changed: str, edit: tuple[str, str], reported: str, code: str, key: str
) -> None:
    work = tmp_path / "real"
    shutil.copytree(REAL, work)
    file = work / changed
    text = file.read_text("utf-8")
    assert edit[0] in text
    file.write_text(text.replace(edit[0], edit[1], 1), "utf-8")
    line, column = _position((work / reported).read_text("utf-8"), key)
    found = {
        (Path(str(r["path"])).name, str(r["code"]), r["line"], r["column"])
        for r in diagnostics(work)
    }
    assert (reported, code, line, column) in found
    # The defect is all that is new: nothing else but its companions is reported.
    assert {(name, c) for name, c, _, _ in found} - WARNINGS <= {
        (reported, code),
        *COMPANIONS.get(code, set()),
    }


# Defects that by their nature break another rule too.
COMPANIONS = {
    # The other half of the one-sided link.
    "GL403": {
        ("nice-epilepsy-cg137-2012.md", "GL403"),
        ("nice-type-1-diabetes-cg15-2004.md", "GL403"),
    },
    # previous_version_date is then after publication, the id's year is not the date's, the
    # review is due from the earlier date; the 2022 guideline's previous_version_date no
    # longer matches the latest of its predecessors.
    "GL407": {
        ("uspstf-colorectal-cancer-screening-2021.md", "GL202"),
        ("uspstf-colorectal-cancer-screening-2021.md", "GL308"),
        ("uspstf-colorectal-cancer-screening-2021.md", "GL206"),
        ("acc-aha-heart-failure-update-2017.md", "GL308"),
        ("acc-aha-heart-failure-2022.md", "GL406"),
    },
    # A current version naming a successor.
    "GL408": {("aan-als-2024.md", "GL301")},
}
