"""Hints that must not mislead (issue 16): each message at its line, column and exact words."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PREDECESSOR_TEXT, SEED_TEXT, TODAY, run_cli, write_corpus

Row = tuple[str, str, int, int, str]


def reported(path: Path, *options: str) -> set[Row]:
    """(file name relative to `path`, code, line, column, message) of every diagnostic."""
    result = run_cli("--today", TODAY, "--no-cache", "--format", "json", *options, path)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    base = path if path.is_dir() else path.parent
    rows = set()
    for row in result.json():
        absolute = os.path.abspath(str(row["path"]))  # noqa: PTH100
        name = Path(absolute).relative_to(os.path.abspath(base)).as_posix()  # noqa: PTH100
        rows.add(
            (
                name,
                str(row["code"]),
                int(str(row["line"])),
                int(str(row["column"])),
                str(row["message"]),
            )
        )
    return rows


def of(rows: set[Row], code: str) -> set[Row]:
    return {row for row in rows if row[1] == code}


# GL501 ----------------------------------------------------------------------------------------
def test_a_punctuated_required_heading_is_pointed_at_not_called_missing() -> None:
    rows = reported(FIXTURES / "headings" / "gl501-near-miss.md")
    assert of(rows, "GL501") == {
        (
            "gl501-near-miss.md",
            "GL501",
            31,
            1,
            "heading '## Scope:' should be '## Scope' (a required section); remove the ':'",
        )
    }


def test_a_required_heading_at_the_wrong_level_or_spelt_otherwise_is_pointed_at() -> None:
    rows = reported(FIXTURES / "headings" / "gl501-near-miss-level.md")
    assert of(rows, "GL501") == {
        (
            "gl501-near-miss-level.md",
            "GL501",
            31,
            1,
            "heading '### Scope:' should be '## Scope' (a required section); remove the ':' "
            "and make it a level-2 heading",
        ),
        (
            "gl501-near-miss-level.md",
            "GL501",
            35,
            1,
            "heading '## Key-Recommendations' should be '## Key Recommendations' (a required "
            "section); write it 'Key Recommendations'",
        ),
    }


def test_a_required_heading_at_the_wrong_level_keeps_its_message(tmp_path: Path) -> None:
    corpus = write_corpus(
        tmp_path / "c", {"aan-als-2024.md": SEED_TEXT.replace("## Scope\n", "### Scope\n")}
    )
    assert of(reported(corpus), "GL501") == {
        (
            "aan-als-2024.md",
            "GL501",
            31,
            1,
            "section 'Scope' is a level-3 heading; make it '## Scope'",
        )
    }


def test_fixing_the_near_miss_clears_it_without_adding_a_section(tmp_path: Path) -> None:
    corpus = write_corpus(
        tmp_path / "c", {"aan-als-2024.md": SEED_TEXT.replace("## Scope\n", "## Scope:\n")}
    )
    run_cli("--today", TODAY, "--no-cache", "--fix", corpus)
    assert (corpus / "aan-als-2024.md").read_text("utf-8") == SEED_TEXT
    assert reported(corpus) == set()


# GL402 ----------------------------------------------------------------------------------------
def test_did_you_mean_never_names_the_file_itself() -> None:
    # aan-als-2023 is closest to the file's own id, aan-als-2024.
    assert reported(FIXTURES / "lineage" / "gl402-not-itself") == {
        (
            "aan-als-2024.md",
            "GL402",
            25,
            16,
            "superseded_by names aan-als-2023, which is not an id in this corpus; correct the "
            "id or add the newer version",
        )
    }


def test_did_you_mean_never_names_a_version_the_file_replaces() -> None:
    # aan-als-2008 is closest to aan-als-2009, which the file supersedes: a loop.
    assert reported(FIXTURES / "lineage" / "gl402-not-an-ancestor") == {
        (
            "aan-als-2024.md",
            "GL402",
            25,
            16,
            "superseded_by names aan-als-2008, which is not an id in this corpus; correct the "
            "id or add the newer version",
        )
    }


def test_did_you_mean_still_names_a_version_that_would_not_loop(tmp_path: Path) -> None:
    older = PREDECESSOR_TEXT.replace("superseded_by: aan-als-2024", "superseded_by: aan-als-2025")
    corpus = write_corpus(tmp_path / "c", {"aan-als-2009.md": older, "aan-als-2024.md": SEED_TEXT})
    assert of(reported(corpus), "GL402") == {
        (
            "aan-als-2009.md",
            "GL402",
            25,
            16,
            "superseded_by names aan-als-2025, which is not an id in this corpus (did you mean "
            "'aan-als-2024'?); correct the id or add the newer version",
        )
    }


# GL206 ----------------------------------------------------------------------------------------
def test_an_unreadable_review_date_is_not_replaced_by_the_publication_date() -> None:
    assert reported(FIXTURES / "dates" / "gl206-unreadable-review-2020.md") == {
        (
            "gl206-unreadable-review-2020.md",
            "GL201",
            28,
            16,
            "last_reviewed 2025-13-01 is not a calendar date: there is no month 13",
        )
    }


def test_a_review_date_of_the_wrong_type_is_not_replaced_either(tmp_path: Path) -> None:
    text = SEED_TEXT.replace("last_reviewed: 2025-01-01", "last_reviewed: [2025]").replace(
        "publication_date: 2024-06-01", "publication_date: 2020-06-01"
    )
    rows = reported(write_corpus(tmp_path / "c", {"aan-als-2024.md": text}))
    assert of(rows, "GL206") == set()
    assert {row[1] for row in rows} == {"GL103", "GL308"}


def test_without_a_review_date_the_publication_date_still_counts(tmp_path: Path) -> None:
    text = SEED_TEXT.replace("last_reviewed: 2025-01-01", "last_reviewed: null").replace(
        "publication_date: 2024-06-01", "publication_date: 2020-06-01"
    )
    rows = reported(write_corpus(tmp_path / "c", {"aan-als-2024.md": text}))
    assert {row[:4] for row in of(rows, "GL206")} == {("aan-als-2024.md", "GL206", 21, 19)}


# GL308 ----------------------------------------------------------------------------------------
ADA = "ada-standards-of-care-2025.md"


def test_the_id_year_warning_says_how_to_silence_it_for_an_organisation() -> None:
    assert reported(FIXTURES / "lifecycle" / ADA) == {
        (
            ADA,
            "GL308",
            2,
            5,
            "id ada-standards-of-care-2025 ends in 2025 but publication_date is in 2024; check "
            'the id and the date (if ada dates its ids this way on purpose, add "ada-*" = '
            '["GL308"] under [tool.guidelint.per-file-ignores] in the configuration)',
        )
    }


def test_the_setting_the_message_gives_silences_it(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {ADA: (FIXTURES / "lifecycle" / ADA).read_text("utf-8")})
    (corpus / "guidelint.toml").write_text('[per-file-ignores]\n"ada-*" = ["GL308"]\n', "utf-8")
    assert reported(corpus) == set()


# GL102 and the lineage fixes: never a second copy of a key ------------------------------------
def _keys() -> list[str]:
    from guidelint.checks.validation import known_keys

    return known_keys()


# Keys the seed does not use, with a value each (the lifecycle keys of issue 15).
NOT_IN_SEED = {
    "amends": "[aan-als-2022]",
    "amended_by": "[aan-als-2025]",
    "review_history": "\n  - {date: 2025-01-01, outcome: reaffirmed}",
    "next_review_date": "2027-06-01",
    "withdrawn_date": "2025-02-01",
    "withdrawal_reason": "outdated",
    "referred_to": "https://www.cdc.gov/acip/",
}


@pytest.mark.parametrize("key", _keys())
def test_a_doubled_letter_in_any_schema_key_is_renamed_by_the_fix(tmp_path: Path, key: str) -> None:
    seed = SEED_TEXT
    if key in NOT_IN_SEED:
        seed = seed.replace("\nlast_reviewed:", f"\n{key}: {NOT_IN_SEED[key]}\nlast_reviewed:", 1)
    middle = len(key) // 2
    slip = key[:middle] + key[middle] + key[middle:]
    text, count = re.subn(rf"^{key}:", f"{slip}:", seed, flags=re.MULTILINE)
    assert count == 1
    corpus = write_corpus(tmp_path / "c", {"aan-als-2024.md": text})
    assert {row[1] for row in reported(corpus)} >= {"GL102"}
    run_cli("--today", TODAY, "--no-cache", "--fix", corpus)
    assert (corpus / "aan-als-2024.md").read_text("utf-8") == seed


MISSPELT = PREDECESSOR_TEXT.replace("superseded_by: aan-als-2024", "superseeded_by: null")


@pytest.mark.parametrize("select", [[], ["--select", "GL403"]], ids=["all", "GL403 only"])
def test_the_lineage_fix_renames_a_misspelt_key_instead_of_adding_a_second(
    tmp_path: Path, select: list[str]
) -> None:
    corpus = write_corpus(
        tmp_path / "c", {"aan-als-2009.md": MISSPELT, "aan-als-2024.md": SEED_TEXT}
    )
    run_cli("--today", TODAY, "--no-cache", "--fix", "--unsafe-fixes", *select, corpus)
    assert (corpus / "aan-als-2009.md").read_text("utf-8") == PREDECESSOR_TEXT
    assert reported(corpus) == set()


def test_a_misspelt_key_holding_another_value_is_not_overwritten(tmp_path: Path) -> None:
    older = MISSPELT.replace("superseeded_by: null", "superseeded_by: aan-als-2030")
    corpus = write_corpus(tmp_path / "c", {"aan-als-2009.md": older, "aan-als-2024.md": SEED_TEXT})
    for select in (["--select", "GL403"], []):
        run_cli("--today", TODAY, "--no-cache", "--fix", "--unsafe-fixes", *select, corpus)
        text = (corpus / "aan-als-2009.md").read_text("utf-8")
        assert re.findall(r"^supers\w*_by: .*$", text, flags=re.MULTILINE) == [
            "superseded_by: aan-als-2030" if not select else "superseeded_by: aan-als-2030"
        ]
