"""Suppression comments in the body and the front matter, and reports about them."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO, TODAY, run_cli

SEED = (REPO / "seeds" / "aan-als-2024.md").read_text("utf-8")


def check(tmp_path: Path, text: str, *args: str) -> set[tuple[str, int]]:
    target = tmp_path / "aan-als-2024.md"
    target.write_text(text, "utf-8")
    result = run_cli("--today", TODAY, "--format", "json", *args, target)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    return {(str(row["code"]), int(str(row["line"]))) for row in result.json()}


SKIP = SEED.replace("### Diagnosis\n", "#### Diagnosis\n")  # GL503 on line 37
BAD_DATE = SEED.replace("publication_date: 2024-06-01", "publication_date: 2024-02-30")


def test_unsuppressed_problems_for_reference(tmp_path: Path) -> None:
    assert check(tmp_path, SKIP) == {("GL503", 37)}
    assert check(tmp_path, BAD_DATE) == {("GL201", 21)}


def test_disable_next_line_in_the_body(tmp_path: Path) -> None:
    text = SKIP.replace(
        "#### Diagnosis", "<!-- guidelint-disable-next-line GL503 -->\n#### Diagnosis"
    )
    assert check(tmp_path, text) == set()


def test_disable_next_line_accepts_several_codes_and_commas(tmp_path: Path) -> None:
    text = SKIP.replace(
        "#### Diagnosis", "<!-- guidelint-disable-next-line GL504, GL503 -->\n#### Diagnosis"
    )
    assert check(tmp_path, text) == {("GL901", 37)}  # GL504 silenced nothing


def test_disable_next_line_covers_only_the_next_line(tmp_path: Path) -> None:
    text = SKIP.replace(
        "#### Diagnosis", "<!-- guidelint-disable-next-line GL503 -->\n\n#### Diagnosis"
    )
    assert check(tmp_path, text) == {("GL503", 39), ("GL901", 37)}


def test_disable_file_in_the_body(tmp_path: Path) -> None:
    text = SKIP + "\n<!-- guidelint-disable-file GL503 -->\n"
    assert check(tmp_path, text) == set()


def test_a_comment_in_a_code_fence_is_not_a_suppression(tmp_path: Path) -> None:
    text = SKIP.replace(
        "## Scope\n",
        "## Scope\n\n```markdown\n<!-- guidelint-disable-file GL503 -->\n```\n",
    )
    assert check(tmp_path, text) == {("GL503", 41)}


def test_front_matter_comment_on_the_line(tmp_path: Path) -> None:
    text = BAD_DATE.replace("2024-02-30", "2024-02-30  # guidelint: disable=GL201")
    assert check(tmp_path, text) == set()


def test_front_matter_comment_on_another_line_does_not_apply(tmp_path: Path) -> None:
    text = BAD_DATE.replace("status: current", "status: current  # guidelint: disable=GL201")
    assert check(tmp_path, text) == {("GL201", 21), ("GL901", 23)}


def test_a_hash_inside_a_quoted_value_or_block_scalar_is_text(tmp_path: Path) -> None:
    quoted = BAD_DATE.replace(
        'short_title: "ALS Management"', 'short_title: "ALS # guidelint: disable=GL201"'
    )
    assert check(tmp_path, quoted) == {("GL201", 21)}
    block = BAD_DATE.replace(
        'short_title: "ALS Management"', "short_title: |\n  ALS # guidelint: disable=GL201"
    )
    assert check(tmp_path, block) == {("GL201", 22)}


def test_unknown_or_missing_codes_are_reported(tmp_path: Path) -> None:
    text = SEED.replace("## Scope\n", "<!-- guidelint-disable-next-line GL5O3 -->\n## Scope\n")
    assert check(tmp_path, text) == {("GL902", 31)}
    bare = SEED.replace("## Scope\n", "<!-- guidelint-disable-next-line -->\n## Scope\n")
    assert check(tmp_path, bare) == {("GL902", 31)}


def test_unused_is_not_judged_for_rules_the_run_does_not_check(tmp_path: Path) -> None:
    text = SEED.replace("status: current", "status: current  # guidelint: disable=GL201")
    assert check(tmp_path, text) == {("GL901", 23)}
    assert check(tmp_path, text, "--select", "GL5,GL9") == set()
    assert check(tmp_path, text, "--ignore", "GL901") == set()


def test_corpus_problems_can_be_suppressed_in_the_file_they_are_shown_in(tmp_path: Path) -> None:
    # The seed names a successor that no file has (GL402, a corpus rule), silenced on its line.
    text = SEED.replace("superseded_by: null", "superseded_by: aan-als-2042")
    assert check(tmp_path, text) == {("GL301", 23), ("GL402", 25)}
    silenced = text.replace("aan-als-2042", "aan-als-2042  # guidelint: disable=GL402")
    assert check(tmp_path, silenced) == {("GL301", 23)}
