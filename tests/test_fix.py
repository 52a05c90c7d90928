"""guidelint --fix, --diff, --unsafe-fixes: each fix before and after, and how fixing behaves."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

import guidelint.app.fix
from tests.conftest import PREDECESSOR_TEXT, SEED_TEXT, TODAY, run_cli, run_process

SEED_NAME = "aan-als-2024.md"


def check(*args: str | Path) -> tuple[int, str, str]:
    result = run_cli("--today", TODAY, "--isolated", "--no-cache", *args)
    return result.exit_code, result.stdout, result.stderr


def fixed(tmp_path: Path, text: str, *args: str, name: str = SEED_NAME) -> tuple[str, str]:
    """Write `text`, run --fix on it, return the file's new text and the output."""
    file = tmp_path / name
    file.write_bytes(text.encode("utf-8"))
    _, out, _ = check("--fix", *args, file)
    return file.read_bytes().decode("utf-8"), out


def seed(old: str, new: str, text: str = SEED_TEXT) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# Each fix: before and after ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Status: current  # lifecycle\n", "status: current  # lifecycle\n"),
        ("STATUS: current\n", "status: current\n"),
        ('"Status": current\n', '"status": current\n'),
        ("status: current\n", "status: current\n"),  # already right: no change
    ],
)
def test_wrongly_cased_key_is_renamed(tmp_path: Path, before: str, after: str) -> None:
    text, _ = fixed(tmp_path, seed("status: current\n", before))
    assert text == seed("status: current\n", after)


def test_hyphenated_and_misspelled_keys_are_renamed(tmp_path: Path) -> None:
    before = seed("publication_date: 2024-06-01", "publication-date: 2024-06-01")
    before = seed("specialty: neurology", "specialy: neurology", before)
    before = seed("tags:", "tgs:", before)
    text, out = fixed(tmp_path, before)
    assert text == SEED_TEXT
    assert out.endswith("Found 3 problems in 1 file (3 fixed, 0 remaining).\n")


def test_a_key_that_would_appear_twice_or_is_a_guess_is_not_renamed(tmp_path: Path) -> None:
    twice = seed("short_title:", "Title: Other\nshort_title:")  # `title` is already there
    guess = seed("has_pdf: false", "pdf: false")  # has_pdf or pdf_path? a guess
    for before in (twice, guess):
        text, out = fixed(tmp_path, before)
        assert text == before
        assert "GL102 unknown key" in out  # reported, not marked fixable


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("country: United States", 'country: "NO"'),
        ("country: United States", 'country: "yes"'),
        (
            'title: "AAN Practice Guideline: Management of Amyotrophic Lateral Sclerosis"',
            'title: "2024"',
        ),
        ("  - ALS\n  - Motor", '  - "off"\n  - Motor'),
    ],
)
def test_yaml_11_words_and_numbers_in_text_fields_are_quoted(
    tmp_path: Path, before: str, after: str
) -> None:
    unquoted = seed(before, after.replace('"', ""))
    text, _ = fixed(tmp_path, unquoted)
    assert text == seed(before, after)


def test_an_empty_text_value_is_not_quoted(tmp_path: Path) -> None:
    before = seed('short_title: "ALS Management"', "short_title: ~")
    text, out = fixed(tmp_path, before)
    assert text == before
    assert "GL103 short_title must be text" in out


@pytest.mark.parametrize(
    ("before", "after", "unsafe"),
    [
        ("status: Current", "status: current", False),
        ("guideline_type: Clinical Practice", "guideline_type: clinical-practice", False),
        ('evidence_system: "AAN_Grade"', 'evidence_system: "aan-grade"', False),
        ("guideline_type: clinical", "guideline_type: clinical-practice", True),
    ],
)
def test_vocabulary_values_are_written_the_known_way(
    tmp_path: Path, before: str, after: str, unsafe: bool
) -> None:
    key = before.split(":")[0]
    original = next(line for line in SEED_TEXT.splitlines() if line.startswith(f"{key}:"))
    source = seed(original, before)
    text, out = fixed(tmp_path, source)
    if unsafe:
        assert text == source
        assert "1 hidden fix can be enabled" in out
        text, out = fixed(tmp_path, source, "--unsafe-fixes")
    assert text == seed(original, after)


def test_a_repeated_list_item_line_is_removed(tmp_path: Path) -> None:
    before = seed("  - riluzole\n", "  - riluzole\n  - ALS\n  - riluzole\n")
    text, out = fixed(tmp_path, before)
    assert text == SEED_TEXT
    assert out == "Found 2 problems in 1 file (2 fixed, 0 remaining).\n"
    commented = seed("  - riluzole\n", "  - riluzole\n  - ALS  # again\n")
    assert fixed(tmp_path, commented)[0] == commented  # the comment would be lost


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2024-6-1", "2024-06-01"),
        ("2024/06/01", "2024-06-01"),
        ("2024.6.1", "2024-06-01"),
        ('"1 June 2024"', '"2024-06-01"'),
        ("June 1, 2024", "2024-06-01"),
        ("1st Jun 2024", "2024-06-01"),
        ("Sept. 3 2024", "2024-09-03"),
        ("25/12/2024", "2024-12-25"),
        ("12/25/2024", "2024-12-25"),
        ("'06/06/2024'", "'2024-06-06'"),
    ],
)
def test_dates_written_another_way_become_yyyy_mm_dd(
    tmp_path: Path, written: str, iso: str
) -> None:
    text, _ = fixed(tmp_path, seed("last_reviewed: 2025-01-01", f"last_reviewed: {written}"))
    assert text == seed("last_reviewed: 2025-01-01", f"last_reviewed: {iso}")


@pytest.mark.parametrize("written", ["03/04/2024", "2024-02-30", "31 Juny 2024", "spring 2024"])
def test_ambiguous_or_impossible_dates_are_left_alone(tmp_path: Path, written: str) -> None:
    before = seed("last_reviewed: 2025-01-01", f"last_reviewed: {written}")
    text, out = fixed(tmp_path, before)
    assert text == before
    assert "last_reviewed" in out


def test_has_pdf_follows_pdf_path(tmp_path: Path) -> None:
    before = seed("pdf_path: null", "pdf_path: pdfs/aan-als-2024.pdf")
    text, _ = fixed(tmp_path, before)
    assert text == seed("has_pdf: false", "has_pdf: true", before)


def test_has_pdf_true_without_a_path_is_an_unsafe_fix(tmp_path: Path) -> None:
    before = seed("has_pdf: false", "has_pdf: true")
    text, out = fixed(tmp_path, before)
    assert text == before
    assert out.splitlines()[-1] == (
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option)."
    )
    text, _ = fixed(tmp_path, before, "--unsafe-fixes")
    assert text == SEED_TEXT


def test_skipped_heading_levels_are_raised_with_their_subsections(tmp_path: Path) -> None:
    body = (
        "## Scope\n\nText.\n\n## Key Recommendations\n\n"
        "#### A\n\nx\n\n##### B\n\ny\n\n#### C\n\nz\n"
    )
    want = (
        "## Scope\n\nText.\n\n## Key Recommendations\n\n### A\n\nx\n\n#### B\n\ny\n\n### C\n\nz\n"
    )
    front = SEED_TEXT[: SEED_TEXT.index("## Scope")]
    text, out = fixed(tmp_path, front + body)
    assert text == front + want
    assert "Found 1 problem in 1 file (1 fixed, 0 remaining)." in out


def test_deeper_skips_are_raised_in_later_rounds(tmp_path: Path) -> None:
    body = "## Scope\n\nText.\n\n## Key Recommendations\n\n#### A\n\nx\n\n###### B ######\n\ny\n"
    want = "## Scope\n\nText.\n\n## Key Recommendations\n\n### A\n\nx\n\n#### B ######\n\ny\n"
    front = SEED_TEXT[: SEED_TEXT.index("## Scope")]
    text, _ = fixed(tmp_path, front + body)
    assert text == front + want


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("### Diagnosis:\n", "### Diagnosis\n"),
        ("### Diagnosis.  \n", "### Diagnosis\n"),
        ("### Diagnosis \t\n", "### Diagnosis\n"),
        ("### Diagnosis! ###\n", "### Diagnosis ###\n"),
        ("Diagnosis:\n---------\n", "Diagnosis\n---------\n"),
        ("### Diagnosis?\n", "### Diagnosis?\n"),  # a question is a fine heading
    ],
)
def test_trailing_punctuation_and_blanks_leave_headings(
    tmp_path: Path, before: str, after: str
) -> None:
    source = seed("### Diagnosis\n", before)
    text, _ = fixed(tmp_path, source)
    assert text == seed("### Diagnosis\n", after)


def test_key_order_is_opt_in_and_keeps_comments_with_their_keys(tmp_path: Path) -> None:
    moved = seed("status: current\n", "")
    moved = seed("id: aan-als-2024\n", "# lifecycle\nstatus: current\nid: aan-als-2024\n", moved)
    text, out = fixed(tmp_path, moved)
    assert text == moved and "GL108" not in out  # off by default
    text, out = fixed(tmp_path, moved, "--select", "GL108")
    assert text == seed("status: current\n", "# lifecycle\nstatus: current\n")
    assert out == "Found 1 problem in 1 file (1 fixed, 0 remaining).\n"


def test_key_order_fixtures(tmp_path: Path) -> None:
    fixtures = Path("tests/fixtures/schema")
    _, out, _ = check("--select", "GL108", fixtures / "gl108-pass.md")
    assert out == "All checks passed (1 file checked).\n"
    code, out, _ = check("--select", "GL108", fixtures / "gl108-fail.md")
    assert code == 0  # a warning
    assert out.splitlines()[0] == (
        "tests/fixtures/schema/gl108-fail.md:21:1: GL108 [*] warning: key 'publication_date' "
        "usually comes before 'status'; keep the keys in the usual order (id, title, and so on "
        "to last_reviewed)"
    )


# Lineage: fixes in the other file, unsafe --------------------------------------------------------
def corpus(tmp_path: Path, newer: str, older: str) -> tuple[Path, Path]:
    (tmp_path / "aan-als-2024.md").write_text(newer, "utf-8")
    (tmp_path / "aan-als-2009.md").write_text(older, "utf-8")
    return tmp_path / "aan-als-2024.md", tmp_path / "aan-als-2009.md"


def test_the_missing_half_of_a_link_is_written_in_the_older_file(tmp_path: Path) -> None:
    older_before = seed("status: superseded", "status: current", PREDECESSOR_TEXT)
    older_before = seed("superseded_by: aan-als-2024", "superseded_by: null", older_before)
    newer, older = corpus(tmp_path, SEED_TEXT, older_before)
    code, out, _ = check(tmp_path)
    assert code == 1
    assert ": GL403 supersedes names aan-als-2009" in out  # not marked: the fix is unsafe
    assert "[*]" not in out
    assert out.splitlines()[-1] == (
        "No fixes available (2 hidden fixes can be enabled with the `--unsafe-fixes` option)."
    )
    check("--fix", tmp_path)
    assert older.read_text("utf-8") == older_before
    code, out, _ = check("--fix", "--unsafe-fixes", tmp_path)
    assert older.read_text("utf-8") == PREDECESSOR_TEXT
    assert newer.read_text("utf-8") == SEED_TEXT
    assert code == 0, out


def test_a_missing_key_is_added_at_the_end_of_the_front_matter(tmp_path: Path) -> None:
    older_before = seed("superseded_by: aan-als-2024\n", "", PREDECESSOR_TEXT)
    older_before = seed("status: superseded", "status: current", older_before)
    older_before = seed("has_pdf: false\n", "has_pdf: false  # no PDF\n", older_before)
    _, older = corpus(tmp_path, SEED_TEXT, older_before)
    code, out, _ = check("--fix", "--unsafe-fixes", tmp_path)
    after = seed("status: current", "status: superseded", older_before)
    after = seed(
        "last_reviewed: 2012-01-01\n",
        "last_reviewed: 2012-01-01\nsuperseded_by: aan-als-2024\n",
        after,
    )
    assert older.read_text("utf-8") == after
    # What remains is reported at its line in the file as it is now.
    assert code == 0 and "remaining" in out


def test_the_newer_file_gets_supersedes_and_the_previous_date(tmp_path: Path) -> None:
    newer_before = seed("supersedes: aan-als-2009", "supersedes: null")
    newer_before = seed("previous_version_date: 2009-10-13", "previous_version_date:", newer_before)
    newer, _ = corpus(tmp_path, newer_before, PREDECESSOR_TEXT)
    check("--fix", "--unsafe-fixes", tmp_path)
    assert newer.read_text("utf-8") == SEED_TEXT


def test_previous_version_date_is_set_from_the_predecessor(tmp_path: Path) -> None:
    newer_before = seed("previous_version_date: 2009-10-13", "previous_version_date: '2009-10-31'")
    newer, _ = corpus(tmp_path, newer_before, PREDECESSOR_TEXT)
    code, out, _ = check("--diff", "--unsafe-fixes", tmp_path)
    assert code == 1
    assert "-previous_version_date: '2009-10-31'\n+previous_version_date: '2009-10-13'\n" in out
    assert newer.read_text("utf-8") == newer_before  # --diff writes nothing
    check("--fix", "--unsafe-fixes", tmp_path)
    assert newer.read_text("utf-8") == seed("2009-10-31", "2009-10-13", newer_before)


def test_only_checked_files_are_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    older_before = seed("superseded_by: aan-als-2024", "superseded_by: null", PREDECESSOR_TEXT)
    newer, older = corpus(tmp_path, SEED_TEXT, older_before)
    (tmp_path / "guidelint.toml").write_text('corpus-root = "."\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("--today", TODAY, "--no-cache", "--fix", "--unsafe-fixes", newer.name)
    assert older.read_text("utf-8") == older_before  # not named, so not touched
    # Reported, but not offered as fixable: the fix is in a file that is not being checked.
    assert result.stdout.splitlines() == [
        "aan-als-2024.md:24:13: GL403 supersedes names aan-als-2009, but aan-als-2009.md names "
        "no successor; set superseded_by: aan-als-2024 there",
        "Found 1 error, 0 warnings in 1 file.",
    ]


# How fixing behaves -------------------------------------------------------------------------
def test_crlf_bom_comments_and_quoting_are_kept_byte_for_byte(tmp_path: Path) -> None:
    before = seed("status: current\n", "Status: current # keep me\n")
    before = seed("country: United States", "country: NO  # Norway", before)
    before = seed('title: "AAN', "title: 'AAN", before).replace('Sclerosis"\n', "Sclerosis'\n", 1)
    raw = b"\xef\xbb\xbf" + before.replace("\n", "\r\n").encode("utf-8")
    file = tmp_path / SEED_NAME
    file.write_bytes(raw)
    check("--fix", file)
    want = seed("Status: current", "status: current", before)
    want = seed("country: NO", 'country: "NO"', want)
    assert file.read_bytes() == b"\xef\xbb\xbf" + want.replace("\n", "\r\n").encode("utf-8")


def test_a_second_fix_changes_nothing_and_a_clean_file_keeps_its_mtime(tmp_path: Path) -> None:
    broken = tmp_path / SEED_NAME
    clean = tmp_path / "aan-ms-2024.md"
    for file, text in (
        (broken, seed("status:", "Status:")),
        (clean, SEED_TEXT.replace("-als-", "-ms-")),
    ):
        file.write_text(text, "utf-8")
        os.utime(file, ns=(1_000_000_000, 1_000_000_000))
    check("--fix", tmp_path)
    assert broken.read_text("utf-8") == SEED_TEXT
    assert clean.stat().st_mtime_ns == 1_000_000_000
    first = broken.stat().st_mtime_ns
    code, out, _ = check("--fix", tmp_path)
    assert (code, out) == (0, "All checks passed (2 files checked).\n")
    assert broken.stat().st_mtime_ns == first
    assert clean.stat().st_mtime_ns == 1_000_000_000


def test_what_remains_is_reported_at_its_line_after_fixing(tmp_path: Path) -> None:
    older_before = seed("superseded_by: aan-als-2024\n", "", PREDECESSOR_TEXT)
    older_before = seed("### Diagnosis\n", "### Diagnosis\n\n### Diagnosis\n", older_before)
    _, older = corpus(tmp_path, SEED_TEXT, older_before)
    before = check(tmp_path)[1]
    assert (
        "aan-als-2009.md:38:1: GL504 heading 'Diagnosis' repeats the heading on line 36" in before
    )
    _, out, _ = check("--fix", "--unsafe-fixes", tmp_path)
    # One line was added to the front matter: the repeated heading is one line lower now.
    assert "aan-als-2009.md:39:1: GL504 heading 'Diagnosis' repeats the heading on line 37" in out
    assert out.splitlines()[-1] == (
        "Found 4 problems in 2 files (2 fixed, 2 remaining: 2 errors, 0 warnings)."
    )
    assert "superseded_by: aan-als-2024\n---\n" in older.read_text("utf-8")


def test_diff_shows_the_change_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    file = tmp_path / SEED_NAME
    file.write_text(seed("country: United States", "country: NO"), "utf-8")
    os.utime(file, ns=(1_000_000_000, 1_000_000_000))
    code, out, err = check("--diff", file)
    assert code == 1
    shown = str(file)
    assert out.startswith(f"--- {shown}\n+++ {shown}\n@@ -3,7 +3,7 @@\n")
    assert '-country: NO\n+country: "NO"\n' in out
    assert err == "Would fix 1 problem.\n"
    assert file.stat().st_mtime_ns == 1_000_000_000
    file.write_text(SEED_TEXT, "utf-8")
    assert check("--diff", file)[:2] == (0, "")


def test_fix_only_and_show_fixes(tmp_path: Path) -> None:
    file = tmp_path / SEED_NAME
    file.write_text(seed("status:", "Status:"), "utf-8")
    code, out, _ = check("--fix-only", "--show-fixes", file)
    assert code == 0
    assert out == f"Fixed 1 problem:\n- {file}:\n    1 × GL102 (unknown-key)\n\n"  # noqa: RUF001
    code, out, _ = check("--fix-only", file)
    assert (code, out) == (0, "No problems fixed.\n")


def test_file_changed_on_disk_while_fixing_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / SEED_NAME
    file.write_text(seed("status:", "Status:"), "utf-8")
    edited = seed("country: United States", "country: NO")
    real = guidelint.app.fix.apply_fixes

    def editor_saves_meanwhile(data: bytes, path: str, fixes: object) -> object:
        file.write_text(edited, "utf-8")
        return real(data, path, fixes)  # type: ignore[arg-type]

    monkeypatch.setattr(guidelint.app.fix, "apply_fixes", editor_saves_meanwhile)
    code, out, err = check("--fix", file)
    assert file.read_text("utf-8") == edited
    assert err == (
        f"guidelint: {file} was not fixed: it changed on disk while guidelint was fixing it; "
        "run guidelint --fix again\n"
    )
    # The report is about the file as it is on disk.
    assert f"{file}:6:10: GL103 [*] country must be text" in out
    assert "fixed" not in out.splitlines()[-2]
    assert code == 1


def test_a_warm_cache_does_not_hide_fixes(tmp_path: Path) -> None:
    file = tmp_path / "g" / SEED_NAME
    file.parent.mkdir()
    file.write_text(seed("country: United States", "country: NO"), "utf-8")
    cache = ["--cache-dir", str(tmp_path / "cache"), "--isolated", "--today", TODAY]
    assert "[*] 1 fixable with `--fix`." in run_cli(*cache, file).stdout
    warm = run_cli(*cache, file)
    assert "[*] 1 fixable with `--fix`." in warm.stdout
    result = run_cli(*cache, "--fix", file)
    assert file.read_text("utf-8") == seed("country: United States", 'country: "NO"')
    assert result.stdout == "Found 1 problem in 1 file (1 fixed, 0 remaining).\n"
    assert run_cli(*cache, file).stdout == "All checks passed (1 file checked).\n"


def test_the_file_keeps_its_permissions(tmp_path: Path) -> None:
    file = tmp_path / SEED_NAME
    file.write_text(seed("status:", "Status:"), "utf-8")
    file.chmod(0o640)
    check("--fix", file)
    assert stat.S_IMODE(file.stat().st_mode) == 0o640
    assert file.read_text("utf-8") == SEED_TEXT
    assert [p.name for p in tmp_path.iterdir()] == [SEED_NAME]  # no temporary file left


def test_nothing_is_written_without_fix(tmp_path: Path) -> None:
    file = tmp_path / SEED_NAME
    before = seed("status:", "Status:")
    file.write_text(before, "utf-8")
    os.utime(file, ns=(1_000_000_000, 1_000_000_000))
    for args in ((), ("--unsafe-fixes",), ("--format", "json"), ("--statistics",)):
        check(*args, file)
    assert file.read_text("utf-8") == before
    assert file.stat().st_mtime_ns == 1_000_000_000


def test_json_output_after_fix_keeps_its_contract(tmp_path: Path) -> None:
    file = tmp_path / SEED_NAME
    file.write_text(
        seed("status:", "Status:").replace("### Diagnosis", "### Diagnosis\n\n### Diagnosis", 1),
        "utf-8",
    )
    code, out, _ = check("--fix", "--format", "json", file)
    assert code == 1
    assert '"code": "GL504"' in out and "GL102" not in out and "fixed" not in out


def test_fix_as_a_real_subprocess(tmp_path: Path) -> None:
    file = tmp_path / SEED_NAME
    file.write_text(seed("country: United States", "country: NO"), "utf-8")
    result = run_process("--today", TODAY, "--isolated", "--no-cache", "--fix", file)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Found 1 problem in 1 file (1 fixed, 0 remaining).\n"
    assert file.read_text("utf-8") == seed("country: United States", 'country: "NO"')


def test_readme_fix_sample_is_what_guidelint_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = Path("README.md").read_text("utf-8")
    start = readme.index("```text\n$ guidelint guidelines/\n") + len("```text\n")
    sample = readme[start : readme.index("```\n", start)]
    folder = tmp_path / "guidelines"
    folder.mkdir()
    (folder / "aan-als-2024.md").write_text(seed("country: United States", "country: NO"))
    older = seed("status: superseded", "status: current", PREDECESSOR_TEXT)
    older = seed("superseded_by: aan-als-2024", "superseded_by: null", older)
    (folder / "aan-als-2009.md").write_text(seed("2012-01-01", "2025-01-01", older))
    monkeypatch.chdir(tmp_path)
    first = check("guidelines/")[1]
    second = check("guidelines/", "--fix", "--unsafe-fixes")[1]
    assert sample == (
        f"$ guidelint guidelines/\n{first}$ guidelint guidelines/ --fix --unsafe-fixes\n{second}"
    )


def test_a_suppressed_or_ignored_problem_is_not_fixed(tmp_path: Path) -> None:
    before = seed("country: United States", "country: NO  # guidelint: disable=GL103")
    text, out = fixed(tmp_path, before)
    assert text == before
    assert out == "All checks passed (1 file checked).\n"
    before = seed("country: United States", "country: NO")
    text, _ = fixed(tmp_path, before, "--ignore", "GL103")
    assert text == before


def test_a_line_added_to_a_crlf_file_ends_in_crlf(tmp_path: Path) -> None:
    older_before = seed("superseded_by: aan-als-2024\n", "", PREDECESSOR_TEXT)
    raw = b"\xef\xbb\xbf" + older_before.replace("\n", "\r\n").encode("utf-8")
    (tmp_path / "aan-als-2024.md").write_text(SEED_TEXT, "utf-8")
    older = tmp_path / "aan-als-2009.md"
    older.write_bytes(raw)
    check("--fix", "--unsafe-fixes", tmp_path)
    want = seed(
        "last_reviewed: 2012-01-01\n",
        "last_reviewed: 2012-01-01\nsuperseded_by: aan-als-2024\n",
        older_before,
    )
    assert older.read_bytes() == b"\xef\xbb\xbf" + want.replace("\n", "\r\n").encode("utf-8")


def test_old_mac_line_endings_are_kept(tmp_path: Path) -> None:
    file = tmp_path / SEED_NAME
    file.write_bytes(seed("### Diagnosis", "#### Diagnosis").replace("\n", "\r").encode("utf-8"))
    check("--fix", file)
    assert file.read_bytes() == SEED_TEXT.replace("\n", "\r").encode("utf-8")


def test_a_symlinked_file_is_fixed_under_its_real_name(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # one repository: a link out of it is never followed
    real = tmp_path / "store" / SEED_NAME
    real.parent.mkdir()
    real.write_text(seed("status:", "Status:"), "utf-8")
    link = tmp_path / "guidelines" / SEED_NAME
    link.parent.mkdir()
    link.symlink_to(real)
    check("--fix", link.parent)
    assert link.is_symlink()
    assert real.read_text("utf-8") == SEED_TEXT


def _seed_whose_fix_breaks_the_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, str]:
    """The seed with `Status:`, and a fix round that breaks its YAML while mending it."""
    file = tmp_path / SEED_NAME
    before = seed("status:", "Status:")
    file.write_text(before, "utf-8")
    real = guidelint.app.fix.apply_fixes

    def buggy(data: bytes, path: str, fixes: object) -> tuple[bytes, object]:
        new, applied = real(data, path, fixes)  # type: ignore[arg-type]
        return new.replace(b"status: current", b"status: [current"), applied

    monkeypatch.setattr(guidelint.app.fix, "apply_fixes", buggy)
    return file, before


def test_a_fix_that_would_break_the_yaml_is_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file, before = _seed_whose_fix_breaks_the_yaml(tmp_path, monkeypatch)
    code, out, err = check("--fix", file)
    assert file.read_text("utf-8") == before
    assert err == (
        f"guidelint: a fix would have made {file} unreadable, so it was not applied; please "
        "report this as a bug\n"
    )
    assert f"{file}:23:1: GL102 [*] unknown key 'Status'" in out
    assert code == 1


def test_exit_non_zero_on_fix(tmp_path: Path) -> None:
    file = tmp_path / SEED_NAME
    file.write_text(seed("status:", "Status:"), "utf-8")
    assert check("--fix", "--exit-non-zero-on-fix", file)[0] == 1
    assert file.read_text("utf-8") == SEED_TEXT
    assert check("--fix", "--exit-non-zero-on-fix", file)[0] == 0


def test_key_order_in_a_crlf_file_with_a_bom(tmp_path: Path) -> None:
    moved = seed("status: current\n", "")
    moved = "---\nstatus: current  # set by the editor\n\n" + moved.removeprefix("---\n")
    file = tmp_path / SEED_NAME
    file.write_bytes(b"\xef\xbb\xbf" + moved.replace("\n", "\r\n").encode("utf-8"))
    check("--fix", "--select", "GL108", file)
    # The key moves with its comment and the blank line after it; the rest keeps its bytes.
    want = seed("status: current\n", "status: current  # set by the editor\n\n")
    assert file.read_bytes() == b"\xef\xbb\xbf" + want.replace("\n", "\r\n").encode("utf-8")


def test_key_order_leaves_a_header_comment_at_the_top(tmp_path: Path) -> None:
    moved = seed("status: current\n", "")
    moved = "---\n# Reviewed by the board\n\nstatus: current\n" + moved.removeprefix("---\n")
    text, _ = fixed(tmp_path, moved, "--select", "GL108")
    want = seed("status: current\n", "status: current\n")
    assert text == "---\n# Reviewed by the board\n\n" + want.removeprefix("---\n")


@pytest.mark.parametrize(
    "args", [("--select", "GL102"), ("--ignore", "GL0"), ("--ignore", "GL006")]
)
def test_a_fix_that_would_break_the_yaml_is_undone_whatever_is_selected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, str]
) -> None:
    file, before = _seed_whose_fix_breaks_the_yaml(tmp_path, monkeypatch)
    _, out, err = check("--fix", *args, file)
    assert file.read_text("utf-8") == before
    assert "unreadable, so it was not applied" in err
    assert "fixed" not in out


def test_a_repeated_list_item_carrying_an_anchor_is_not_removed(tmp_path: Path) -> None:
    before = seed(
        "  - Motor Neuron Disease\n", "  - Motor Neuron Disease\n  - &a Motor Neuron Disease\n"
    )
    before = seed("  - palliative care\n", "  - palliative care\n  - *a\n", before)
    text, out = fixed(tmp_path, before, "--select", "GL107")
    assert text == before  # removing it would leave `*a` naming no anchor
    assert out == (
        f"{tmp_path / SEED_NAME}:15:5: GL107 conditions item 4 'Motor Neuron Disease' repeats "
        "item 3; remove the repeat\nFound 1 error, 0 warnings in 1 file.\n"
    )


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_a_file_whose_name_is_not_utf8_is_fixed(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.md")  # shown as caf\xe9.md, which names no file
    file = tmp_path / name
    before = seed("country: United States", "country: NO")
    file.write_text(before, "utf-8")
    code, out, err = check("--diff", tmp_path)
    assert code == 1 and err == "Would fix 1 problem.\n"
    assert '-country: NO\n+country: "NO"\n' in out
    code, out, err = check("--fix", tmp_path)
    assert file.read_text("utf-8") == seed("country: United States", 'country: "NO"')
    assert err == ""
    assert out.splitlines()[-1] == (
        "Found 2 problems in 1 file (1 fixed, 1 remaining: 1 error, 0 warnings)."
    )
    assert "caf\\xe9.md:2:5: GL307 file is named caf\\xe9.md" in out
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_repeated_items_written_differently_are_not_removed(tmp_path: Path) -> None:
    # YAML reads both 1.10 and 1.1 as the number 1.1: the same item to it, not to the author.
    before = seed("  - palliative care\n", "  - palliative care\n  - 1.10\n  - 1.1\n")
    text, out = fixed(tmp_path, before, "--select", "GL107")
    assert text == before
    assert out == (
        f"{tmp_path / SEED_NAME}:22:5: GL107 tags item 7 1.1 repeats item 6; remove the repeat\n"
        "Found 1 error, 0 warnings in 1 file.\n"
    )
    text, _ = fixed(tmp_path, before)
    assert text == seed("  - palliative care\n", '  - palliative care\n  - "1.10"\n  - "1.1"\n')
    # The same text, quoted or not, is the same item: the repeat goes.
    before = seed("  - palliative care\n", '  - palliative care\n  - "ALS"\n  - 1.1\n  - 1.1\n')
    text, _ = fixed(tmp_path, before, "--select", "GL107")
    assert text == seed("  - palliative care\n", "  - palliative care\n  - 1.1\n")


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [
        ("### Care at the Caf&eacute;.\n", "### Care at the Caf&eacute;\n", "Care at the Café."),
        ("### Risk &amp;;\n", "### Risk &amp;\n", "Risk &;"),
        ("### Risk &#38;:\n", "### Risk &#38;\n", "Risk &:"),
        ("### Risk &#x26;!\n", "### Risk &#x26;\n", "Risk &!"),
    ],
)
def test_trailing_punctuation_leaves_a_character_reference_whole(
    tmp_path: Path, before: str, after: str, shown: str
) -> None:
    source = seed("### Diagnosis\n", before)
    (tmp_path / SEED_NAME).write_text(source, "utf-8")
    _, out, _ = check(tmp_path / SEED_NAME)
    assert f"GL506 [*] warning: heading '{shown}' ends with '{shown[-1]}'" in out
    text, _ = fixed(tmp_path, source)
    assert text == seed("### Diagnosis\n", after)


def test_a_heading_ending_in_a_character_reference_is_fine(tmp_path: Path) -> None:
    source = seed("### Diagnosis\n", "### Diagnosis at the Caf&eacute;\n")
    (tmp_path / SEED_NAME).write_text(source, "utf-8")
    assert check(tmp_path / SEED_NAME)[:2] == (0, "All checks passed (1 file checked).\n")


def test_two_missing_keys_of_one_link_are_both_added(tmp_path: Path) -> None:
    newer_before = seed("supersedes: aan-als-2009\n", "")
    newer_before = seed("previous_version_date: 2009-10-13\n", "", newer_before)
    newer, _ = corpus(tmp_path, newer_before, PREDECESSOR_TEXT)
    code, out, _ = check("--fix", "--unsafe-fixes", tmp_path)
    assert newer.read_text("utf-8") == seed(
        "last_reviewed: 2025-01-01\n",
        "last_reviewed: 2025-01-01\nsupersedes: aan-als-2009\nprevious_version_date: 2009-10-13\n",
        newer_before,
    )
    assert (code, out) == (0, "Found 2 problems in 2 files (2 fixed, 0 remaining).\n")


def test_superseded_by_and_status_are_both_added(tmp_path: Path) -> None:
    older_before = seed("superseded_by: aan-als-2024\n", "", PREDECESSOR_TEXT)
    older_before = seed("status: superseded\n", "", older_before)
    _, older = corpus(tmp_path, SEED_TEXT, older_before)
    check("--fix", "--unsafe-fixes", tmp_path)
    assert older.read_text("utf-8") == seed(
        "last_reviewed: 2012-01-01\n",
        "last_reviewed: 2012-01-01\nsuperseded_by: aan-als-2024\nstatus: superseded\n",
        older_before,
    )


@pytest.mark.parametrize("output_format", ["json", "sarif", "junit", "gitlab", "github"])
def test_show_fixes_goes_to_stderr_beside_machine_readable_output(
    tmp_path: Path, output_format: str
) -> None:
    file = tmp_path / SEED_NAME
    file.write_text(seed("status:", "Status:").replace("### Diagnosis", "#### Diagnosis"))
    code, out, err = check("--fix", "--show-fixes", "--format", output_format, file)
    assert file.read_text("utf-8") == SEED_TEXT
    assert err == (
        f"Fixed 2 problems:\n- {file}:\n    1 × GL102 (unknown-key)\n"  # noqa: RUF001
        "    1 × GL503 (skipped-heading-level)\n\n"  # noqa: RUF001
    )
    assert "Fixed" not in out
    if output_format in ("json", "sarif", "gitlab"):
        json.loads(out)
    elif output_format == "junit":
        ElementTree.fromstring(out)
    else:
        assert out == ""
    assert code == 0


def test_fix_only_with_json_prints_valid_json(tmp_path: Path) -> None:
    file = tmp_path / SEED_NAME
    file.write_text(seed("status:", "Status:").replace("## Scope", "## Scope\n## Scope"))
    code, out, err = check("--fix-only", "--format", "json", file)
    assert file.read_text("utf-8") == SEED_TEXT.replace("## Scope", "## Scope\n## Scope")
    # The problems that remain are not reported, as with text output.
    assert (code, json.loads(out), err) == (0, [], "Fixed 1 problem.\n")


def test_fix_summary_goes_to_stderr_when_the_report_goes_to_a_file(tmp_path: Path) -> None:
    file = tmp_path / SEED_NAME
    file.write_text(seed("status:", "Status:"))
    report = tmp_path / "report.json"
    code, out, err = check("--fix", "--show-fixes", "--format", "json", "-o", report, file)
    assert (code, out) == (0, "")
    assert err == f"Fixed 1 problem:\n- {file}:\n    1 × GL102 (unknown-key)\n\n"  # noqa: RUF001
    assert json.loads(report.read_text("utf-8")) == []
    file.write_text(seed("status:", "Status:"))
    report = tmp_path / "report.txt"
    code, out, err = check("--fix", "--show-fixes", "-o", report, file)
    assert (code, out) == (0, "")
    assert err == f"Fixed 1 problem:\n- {file}:\n    1 × GL102 (unknown-key)\n\n"  # noqa: RUF001
    assert report.read_text("utf-8") == "Found 1 problem in 1 file (1 fixed, 0 remaining).\n"


def test_diff_applies_when_lines_hold_other_breaks(tmp_path: Path) -> None:
    # Python's splitlines() also breaks at these; git, patch and the file do not.
    odd = "a\u2028b\u2029c\x85d\x0ce\x0bf\x1cg\x1dh\x1ei"
    before = seed("- Monitor LFTs\n", f"- Monitor LFTs {odd}\n").replace(
        "### Diagnosis", "#### Diagnosis"
    )
    after = before.replace("#### Diagnosis", "### Diagnosis")
    for name, text in (("lf.md", before), ("crlf.md", before.replace("\n", "\r\n"))):
        (tmp_path / name).write_bytes(text.encode("utf-8"))
    # A real process, read as bytes: the diff's own line endings are part of what is tested.
    command = [sys.executable, "-m", "guidelint", "--isolated", "--no-cache", "--today", TODAY]
    diff = subprocess.run(
        [*command, "--diff", "lf.md", "crlf.md"],
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert diff.returncode == 1, diff.stderr
    (tmp_path / "fixes.diff").write_bytes(diff.stdout)
    subprocess.run(["git", "apply", "-p0", "fixes.diff"], check=True, cwd=tmp_path)
    assert (tmp_path / "lf.md").read_bytes() == after.encode("utf-8")
    assert (tmp_path / "crlf.md").read_bytes() == after.replace("\n", "\r\n").encode("utf-8")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("### Diagnosis :\n", "### Diagnosis\n"),
        ("### Diagnosis \t. \n", "### Diagnosis\n"),
        ("### Diagnosis : ###\n", "### Diagnosis ###\n"),
        ("Diagnosis :\n---------\n", "Diagnosis\n---------\n"),
    ],
)
def test_blanks_before_trailing_punctuation_go_with_it_in_one_fix(
    tmp_path: Path, before: str, after: str
) -> None:
    text, out = fixed(tmp_path, seed("### Diagnosis\n", before))
    assert text == seed("### Diagnosis\n", after)
    assert "(1 fixed, " in out.splitlines()[-1]  # one problem, not two fixes


def test_punctuation_after_a_hash_is_reported_not_fixed(tmp_path: Path) -> None:
    # Without ' :', the '#' would become a closing sequence and leave the heading's text.
    before = seed("### Diagnosis\n", "### Diagnosis # :\n")
    text, out = fixed(tmp_path, before)
    assert text == before
    assert "GL506 warning: heading 'Diagnosis # :' ends with ':'" in out


@pytest.mark.parametrize("how", ["per-file-ignores", "suppression"])
def test_a_fix_is_not_made_in_a_file_that_ignores_its_rule(tmp_path: Path, how: str) -> None:
    older_before = seed("superseded_by: aan-als-2024", "superseded_by: null", PREDECESSOR_TEXT)
    options: list[str | Path] = []
    if how == "suppression":
        older_before = seed(
            "superseded_by: null", "superseded_by: null  # guidelint: disable=GL403", older_before
        )
    else:
        config = tmp_path / "guidelint.toml"
        config.write_text('[per-file-ignores]\n"aan-als-2009.md" = ["GL4"]\n', "utf-8")
        options = ["--config", config]
    newer, older = corpus(tmp_path, SEED_TEXT, older_before)
    result = run_cli("--today", TODAY, "--no-cache", *options, "--fix", "--unsafe-fixes", tmp_path)
    assert older.read_text("utf-8") == older_before
    # Reported where it is not ignored, but not as fixable: its fix is in the other file.
    assert result.stdout.splitlines() == [
        f"{older}:23:9: GL302 status is superseded but superseded_by is empty; set "
        "superseded_by to the id of the version that replaces this one",
        f"{newer}:24:13: GL403 supersedes names aan-als-2009, but {older} names no successor; "
        "set superseded_by: aan-als-2024 there",
        "Found 2 errors, 0 warnings in 2 files.",
    ]
