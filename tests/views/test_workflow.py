"""The editors' workflow through the real command line: each command makes the smallest edit,
leaves the corpus clean, or refuses and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SEED_TEXT, run_process, write_corpus
from tests.views.corpus import clean_corpus, guideline

DAY = "2026-12-03"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return clean_corpus(tmp_path / "corpus")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def guidelint(folder: Path, *args: str) -> tuple[int, str, str]:
    result = run_process(*args, "--corpus", folder, "--today", DAY, cwd=folder)
    return result.exit_code, result.stdout, result.stderr


def errors(folder: Path) -> list[dict[str, object]]:
    result = run_process("--today", DAY, "--format", "json", folder, cwd=folder)
    assert result.exit_code in (0, 1), result.stderr
    return [d for d in json.loads(result.stdout) if d["severity"] == "error"]


def changed_lines(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    """The lines only the old text has, and those only the new one has."""
    old, new = before.decode().splitlines(), after.decode().splitlines()
    return [line for line in old if line not in new], [line for line in new if line not in old]


def test_supersede_starts_a_draft_copied_from_the_old_version(corpus: Path) -> None:
    before = snapshot(corpus)
    code, out, err = guidelint(corpus, "supersede", "uspstf-a-2024", "uspstf-a-2027")
    assert code == 0, err
    assert "started uspstf-a-2027.md, a draft" in out
    after = snapshot(corpus)
    assert {k: v for k, v in after.items() if k != "uspstf-a-2027.md"} == before
    removed, added = changed_lines(before["uspstf-a-2024.md"], after["uspstf-a-2027.md"])
    assert sorted(added) == sorted(
        [
            "id: uspstf-a-2027",
            "status: draft",
            "supersedes: uspstf-a-2024",
            "previous_version_date: 2024-04-30",
            f"publication_date: {DAY}",
        ]
    )
    assert "last_reviewed: 2024-04-30" in removed  # a new version starts unreviewed
    assert errors(corpus) == []


def test_publish_makes_the_draft_current_and_the_old_superseded(corpus: Path) -> None:
    assert guidelint(corpus, "supersede", "uspstf-a-2024", "uspstf-a-2027")[0] == 0
    before = snapshot(corpus)
    code, out, err = guidelint(corpus, "publish", "uspstf-a-2027")
    assert code == 0, err
    assert out.splitlines()[:2] == [
        f"published uspstf-a-2027.md (uspstf-a-2027 is current from {DAY})",
        "marked uspstf-a-2024.md superseded by uspstf-a-2027",
    ]
    after = snapshot(corpus)
    assert changed_lines(before["uspstf-a-2024.md"], after["uspstf-a-2024.md"]) == (
        ["status: current", "superseded_by: null"],
        ["status: superseded", "superseded_by: uspstf-a-2027"],
    )
    assert changed_lines(before["uspstf-a-2027.md"], after["uspstf-a-2027.md"]) == (
        ["status: draft"],
        ["status: current"],
    )
    assert errors(corpus) == []


def test_a_merge_and_a_split(corpus: Path) -> None:
    code, _, err = guidelint(
        corpus, "supersede", "nice-ng17-2015", "nice-t1d-2026", "nice-ng18-2015"
    )
    assert code == 0, err
    new = (corpus / "nice-t1d-2026.md").read_text("utf-8")
    assert "supersedes: [nice-ng17-2015, nice-ng18-2015]" in new
    assert "previous_version_date: 2015-08-26" in new  # the latest of the two
    assert guidelint(corpus, "publish", "nice-t1d-2026")[0] == 0
    assert errors(corpus) == []
    # A split: one version replaced by two, each started and published in turn.
    for successor in ("uspstf-a-adults-2026", "uspstf-a-children-2026"):
        assert guidelint(corpus, "supersede", "uspstf-a-2024", successor)[0] == 0
    assert guidelint(corpus, "publish", "uspstf-a-adults-2026")[0] == 0
    code, _, err = guidelint(corpus, "publish", "uspstf-a-children-2026")
    assert code == 0, err
    old = (corpus / "uspstf-a-2024.md").read_text("utf-8")
    assert "superseded_by: [uspstf-a-adults-2026, uspstf-a-children-2026]" in old
    assert errors(corpus) == []


def test_amend_then_publish_keeps_both_current(corpus: Path) -> None:
    assert guidelint(corpus, "amend", "uspstf-a-2024", "uspstf-a-2025")[0] == 0
    assert "amends: [uspstf-a-2024]" in (corpus / "uspstf-a-2025.md").read_text("utf-8")
    assert guidelint(corpus, "publish", "uspstf-a-2025")[0] == 0
    base = (corpus / "uspstf-a-2024.md").read_text("utf-8")
    assert "status: current" in base and "amended_by: [uspstf-a-2025]" in base
    assert errors(corpus) == []


def test_withdraw_records_date_reason_and_referral(corpus: Path) -> None:
    before = (corpus / "acc-hf-2013.md").read_bytes()
    code, _, err = guidelint(
        corpus,
        "withdraw",
        "nice-cg137-2012",
        "--reason",
        "outdated",
        "--referred-to",
        "https://www.nice.org.uk/guidance/ng217",
    )
    assert code == 0, err
    text = (corpus / "nice-cg137-2012.md").read_text("utf-8")
    assert "status: withdrawn" in text
    assert f"withdrawn_date: {DAY}" in text
    assert "withdrawal_reason: outdated" in text
    assert "referred_to: https://www.nice.org.uk/guidance/ng217" in text
    assert (corpus / "acc-hf-2013.md").read_bytes() == before
    assert errors(corpus) == []


def test_reaffirm_appends_to_review_history(corpus: Path) -> None:
    assert guidelint(corpus, "reaffirm", "uspstf-a-2024")[0] == 0
    text = (corpus / "uspstf-a-2024.md").read_text("utf-8")
    assert f"review_history:\n  - date: {DAY}\n    outcome: reaffirmed\n---\n" in text
    assert f"last_reviewed: {DAY}" in text
    result = run_process(
        "reaffirm",
        "uspstf-a-2024",
        "--corpus",
        corpus,
        "--today",
        DAY,
        "--date",
        "2027-01-05",
        cwd=corpus,
    )
    assert result.exit_code == 1, "a review in the future is refused"
    assert errors(corpus) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("supersede", "uspstf-a-2016", "uspstf-a-2030"),
            "uspstf-a-2016 is superseded, not current",
        ),
        (("supersede", "uspstf-a-2024", "uspstf-a-2016"), "uspstf-a-2016 is already the id of"),
        (
            ("supersede", "uspstf-a-2099", "uspstf-a-2030"),
            "uspstf-a-2099 is not the id of any guideline",
        ),
        (("publish", "uspstf-a-2024"), "uspstf-a-2024 is current, not draft"),
        (("new", "../outside"), "'../outside' cannot be an id"),
        (("new", "Bad_Id"), "'Bad_Id' cannot be an id"),
        (("reaffirm", "aan-x-2027"), "aan-x-2027 is draft, not current"),
    ],
)
def test_refusals_change_nothing(corpus: Path, args: tuple[str, ...], message: str) -> None:
    before = snapshot(corpus)
    before_parent = sorted(p.name for p in corpus.parent.iterdir())
    code, _, err = guidelint(corpus, *args)
    assert code == 2
    assert message in err and "nothing was changed" in err
    assert snapshot(corpus) == before
    assert sorted(p.name for p in corpus.parent.iterdir()) == before_parent


def test_dry_run_shows_a_diff_and_writes_nothing(corpus: Path) -> None:
    assert guidelint(corpus, "supersede", "uspstf-a-2024", "uspstf-a-2027")[0] == 0
    before = snapshot(corpus)
    code, out, err = guidelint(corpus, "publish", "uspstf-a-2027", "--dry-run")
    assert code == 0, err
    assert "--- uspstf-a-2024.md\n+++ uspstf-a-2024.md\n" in out
    assert "-status: current\n+status: superseded\n" in out
    assert "would have published uspstf-a-2027.md" in err
    assert snapshot(corpus) == before


def test_edits_keep_every_other_byte(tmp_path: Path) -> None:
    """CRLF line endings, comments, quoting and key order survive a publish."""
    old = (
        guideline("aan-q-2020", "2020-01-01")
        .replace("status: current", "status: current  # in force")
        .replace("\n", "\r\n")
    )
    folder = write_corpus(tmp_path / "c", {"aan-q-2020.md": ""})
    (folder / "aan-q-2020.md").write_bytes(old.encode())
    assert guidelint(folder, "supersede", "aan-q-2020", "aan-q-2026")[0] == 0
    assert guidelint(folder, "publish", "aan-q-2026")[0] == 0
    after = (folder / "aan-q-2020.md").read_bytes()
    assert (
        after
        == old.replace("status: current  # in force", "status: superseded  # in force")
        .replace("superseded_by: null", "superseded_by: aan-q-2026")
        .encode()
    )
    assert b"\r\n" in (folder / "aan-q-2026.md").read_bytes()
    assert b"\n" not in (folder / "aan-q-2026.md").read_bytes().replace(b"\r\n", b"")


def test_new_writes_a_draft_with_every_required_key(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "c", {"aan-als-2024.md": SEED_TEXT})
    code, out, err = guidelint(folder, "new", "aan-mg-2026")
    assert code == 0, err
    text = (folder / "aan-mg-2026.md").read_text("utf-8")
    assert text.startswith("---\nid: aan-mg-2026\n")
    assert f"publication_date: {DAY}\nstatus: draft\n" in text
    assert text.endswith("---\n\n## Scope\n\n## Key Recommendations\n")
    reported = {d["code"] for d in errors(folder)}
    assert reported == {"GL104", "GL105", "GL106", "GL505"}  # what the editor must fill in
    assert "GL106 title is empty" in out
    code, _, err = guidelint(folder, "new", "aan-mg-2026")
    assert code == 2 and "is already the id of" in err


def test_withdrawing_a_base_withdraws_its_focused_updates(corpus: Path) -> None:
    code, out, err = guidelint(corpus, "withdraw", "acc-hf-2013", "--reason", "safety")
    assert code == 0, err
    assert "withdrew acc-hf-2017.md too: it amends acc-hf-2013" in out
    for name in ("acc-hf-2013.md", "acc-hf-2017.md"):
        text = (corpus / name).read_text("utf-8")
        assert "status: withdrawn" in text and "withdrawal_reason: safety" in text
    assert errors(corpus) == []
