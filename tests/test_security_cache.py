"""Nothing a checkout brings can make the cache vouch for a file, nor send guidelint's writing
and cleaning up outside the repository (issue 20, items 1, 2, 4 for cache-dir, and 7).

Each attack is made as an attacker would make it, in a pull request: files committed to the
repository, and a CI run on a fresh checkout at the same path, as another user (another user
cache folder, so another secret key) than the attacker's.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from datetime import date
from pathlib import Path

import pytest

from guidelint.cache.key import cache_key
from guidelint.cache.store import Cache, digest
from guidelint.core.limits import Limits
from guidelint.core.settings import Settings
from tests.conftest import REPO, SEED_TEXT, TODAY, CliResult, run_cli, run_process

# A broken guideline, as long as the seed: `currant` is no status.
BROKEN_TEXT = SEED_TEXT.replace("status: current", "status: currant", 1)
assert len(BROKEN_TEXT) == len(SEED_TEXT) and BROKEN_TEXT != SEED_TEXT


def checkout(folder: Path, text: str = BROKEN_TEXT) -> Path:
    """A repository (a git top level, settings of its own) holding one guideline."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".git").mkdir(exist_ok=True)
    (folder / "guidelint.toml").write_text("", "utf-8")
    (folder / "aan-als-2024.md").write_text(text, "utf-8")
    return folder


def fresh_checkout(folder: Path) -> None:
    """The same repository checked out afresh: the same bytes, new modification times."""
    for file in folder.glob("*.md"):
        data = file.read_bytes()
        file.unlink()
        file.write_bytes(data)


def lint(repo: Path, *args: str) -> CliResult:
    return run_process("--today", TODAY, "--format", "json", *args, ".", cwd=repo)


def assert_reported(repo: Path, *args: str) -> None:
    """The broken file is reported as a run without any cache reports it."""
    truth = lint(repo, "--no-cache")
    assert truth.exit_code == 1 and "currant" in truth.stdout, truth
    found = lint(repo, *args)
    assert (found.exit_code, found.stdout) == (truth.exit_code, truth.stdout), found.stderr


@pytest.fixture
def attacker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The attacker's own user cache folder (and so secret key), in use until `victim`."""
    folder = tmp_path / "attacker-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def victim(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """From now on, runs are the CI's: another user cache folder, nothing in it yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ci-user-cache"))


# Item 1: a committed cache or last-run record ---------------------------------------------------
def test_a_committed_cache_line_does_not_pass_a_broken_file(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "repo")
    # The attacker works out the key as guidelint does (version, schema, settings, the date)
    # and writes a line for the broken file: its size and hash, and no problems.
    key = cache_key(Settings(today=date.fromisoformat(TODAY)), Limits())
    file = repo / "aan-als-2024.md"
    data = file.read_bytes()
    no_problems = '{"d":[],"f":[]}'
    fields = [str(file.resolve()), str(len(data)), "1", digest(data), "null", "null", "[]"]
    line = "\t".join([*fields, no_problems])
    committed = repo / ".guidelint_cache"
    committed.mkdir()
    (committed / f"{key}.cache").write_text(f"guidelint cache {key}\n{line}", "utf-8")
    fresh_checkout(repo)
    assert_reported(repo)
    assert_reported(repo, "--cache-dir", ".guidelint_cache")


def test_a_committed_cache_sealed_with_another_users_key_is_not_trusted(
    tmp_path: Path, attacker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = checkout(tmp_path / "repo")
    committed = repo / ".guidelint_cache"
    # The attacker runs guidelint itself on the broken file, then edits its results away and
    # has guidelint write the cache again: sealed with the attacker's own key.
    assert lint(repo, "--cache-dir", ".guidelint_cache").exit_code == 1
    [stored] = committed.glob("*.cache")
    forged = Cache.load(committed, stored.stem)
    assert forged.rows
    for path, rest in forged.rows.items():
        size, mtime, content, links, entry, suppressions, _ = rest.split("\t")
        forged.rows[path] = "\t".join(
            [size, mtime, content, links, entry, suppressions, '{"d":[],"f":[]}']
        )
    forged.changed_rows, forged.lines_read = dict(forged.rows), -1
    forged.save()
    assert Cache.load(committed, stored.stem).rows == forged.rows  # the attacker's own key
    for record in committed.glob("*.last"):
        record.unlink()
    fresh_checkout(repo)
    victim(monkeypatch, tmp_path)
    assert_reported(repo)
    assert_reported(repo, "--cache-dir", ".guidelint_cache")


def test_a_committed_last_run_record_does_not_replay_its_answer(
    tmp_path: Path, attacker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The attacker records a clean run of a file as long as the broken one, then puts the
    # broken file in its place with the same modification time: the record's fingerprint
    # (names, sizes, modification times) fits, and would give "All checks passed" again.
    repo = checkout(tmp_path / "repo", SEED_TEXT)
    clean = lint(repo, "--cache-dir", ".guidelint_cache")
    assert clean.exit_code == 0, clean
    file = repo / "aan-als-2024.md"
    before = file.stat()
    file.write_text(BROKEN_TEXT, "utf-8")
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert list((repo / ".guidelint_cache").glob("*.last"))
    victim(monkeypatch, tmp_path)
    assert_reported(repo)
    assert_reported(repo, "--cache-dir", ".guidelint_cache")


def test_by_default_nothing_is_written_in_the_work_tree(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "repo")
    (repo / "sub").mkdir()
    before = sorted(path.name for path in repo.rglob("*"))
    assert_reported(repo)
    assert sorted(path.name for path in repo.rglob("*")) == before
    user_cache = Path(os.environ["XDG_CACHE_HOME"]) / "guidelint"
    [project] = (user_cache / "projects").iterdir()
    assert {path.suffix for path in project.glob("*.*")} >= {".cache", ".last"}
    secret = (user_cache / "secret").stat()
    assert stat.S_IMODE(secret.st_mode) == 0o600 and secret.st_size == 32
    # The same project run from a folder inside it keeps its one folder.
    run_process("--today", TODAY, "..", cwd=repo / "sub")
    assert len(list((user_cache / "projects").iterdir())) == 1


def test_guidelint_cache_dir_names_the_folder(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "repo")
    chosen = tmp_path / "elsewhere"
    env = {"GUIDELINT_CACHE_DIR": str(chosen)}
    chosen_run = run_process("--today", TODAY, "--format", "json", ".", cwd=repo, env=env)
    assert chosen_run.stdout == lint(repo, "--no-cache").stdout
    assert list(chosen.glob("*.cache"))


def test_a_secret_key_others_may_read_seals_nothing(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "repo")
    assert_reported(repo, "--cache-dir", "../cache")
    secret = Path(os.environ["XDG_CACHE_HOME"]) / "guidelint" / "secret"
    secret.chmod(0o644)
    [stored] = (tmp_path / "cache").glob("*.cache")
    assert Cache.load(tmp_path / "cache", stored.stem).rows == {}
    assert_reported(repo, "--cache-dir", "../cache")


# Item 2: guidelint's own code ---------------------------------------------------------------------
def test_a_rule_changed_without_a_new_version_is_not_answered_from_the_cache(
    tmp_path: Path,
) -> None:
    # pre-commit moving `rev:` between two commits of one version: the same version number,
    # another rule. A copy of the package stands for the other commit.
    site = tmp_path / "site"
    shutil.copytree(
        REPO / "src" / "guidelint", site / "guidelint", ignore=shutil.ignore_patterns("*.pyc")
    )
    repo = checkout(tmp_path / "repo", SEED_TEXT.replace("## Scope", "## Scoop", 1))
    env = {"PYTHONPATH": str(site)}

    def run() -> CliResult:
        return run_process("--today", TODAY, "--format", "json", ".", cwd=repo, env=env)

    first = run()
    assert first.exit_code == 1 and "add one" in first.stdout, first
    rule = site / "guidelint" / "rules" / "headings.py"
    text = rule.read_text("utf-8")
    assert text.count("section; add one") == 1
    rule.write_text(text.replace("section; add one", "section; please add one"), "utf-8")
    again = run()
    assert "please add one" in again.stdout, again
    # And the per-file results too, when the answer of the last run is not on record.
    rule.write_text(text.replace("section; add one", "section; do add one"), "utf-8")
    third = run_process("--today", TODAY, "--format", "json", "aan-als-2024.md", cwd=repo, env=env)
    assert "do add one" in third.stdout, third


# Item 7: links a checkout brings ------------------------------------------------------------------
def _outside_with_old_files(folder: Path) -> dict[str, bytes]:
    """A folder outside the repository holding old files, one named as a cache file is."""
    folder.mkdir()
    files = {"0" * 32 + ".cache": b"{}", "notes.txt": b"keep me\n", ".tmp-abc.cache": b"x"}
    week_ago = time.time() - 7 * 24 * 3600
    for name, data in files.items():
        (folder / name).write_bytes(data)
        os.utime(folder / name, (week_ago, week_ago))
    return files


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def test_a_committed_cache_folder_link_is_not_followed(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "repo")
    outside = tmp_path / "outside"
    files = _outside_with_old_files(outside)
    (repo / ".guidelint_cache").symlink_to(outside, target_is_directory=True)
    (repo / "links").mkdir()
    (repo / "links" / "up").symlink_to(outside, target_is_directory=True)
    through_links = [".guidelint_cache", "links/up/cache", "links/up/../cache"]
    for args in ([], *(["--cache-dir", folder] for folder in through_links)):
        assert_reported(repo, *args)
        assert _contents(outside) == files, args
        assert not (tmp_path / "cache").exists()  # links/up/.. is the link's parent, outside
    said = lint(repo, "--cache-dir", ".guidelint_cache").stderr
    assert "symbolic link" in said and "without the cache" in said


def test_a_dangling_gitignore_link_is_not_followed(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    committed = repo / ".guidelint_cache"
    committed.mkdir()
    (committed / ".gitignore").symlink_to(outside / "created-by-guidelint")
    for args in ([], ["--cache-dir", ".guidelint_cache"]):
        assert_reported(repo, *args)
        assert list(outside.iterdir()) == []
    assert (committed / ".gitignore").is_symlink()


def test_files_not_made_by_guidelint_are_never_cleaned_up(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "repo")
    folder = tmp_path / "shared"
    files = _outside_with_old_files(folder)
    assert_reported(repo, "--cache-dir", str(folder))
    assert_reported(repo, "--cache-dir", str(folder))
    left = _contents(folder)
    assert {name: left[name] for name in files} == files


def test_a_committed_cache_file_link_is_not_read_nor_written_through(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "repo")
    assert_reported(repo, "--cache-dir", ".guidelint_cache")
    committed = repo / ".guidelint_cache"
    outside = tmp_path / "outside"
    outside.mkdir()
    for stored in list(committed.glob("*.*")):
        if stored.name != ".gitignore":
            target = outside / stored.name
            target.write_bytes(b"not guidelint's")
            stored.unlink()
            stored.symlink_to(target)
    (repo / "aan-als-2024.md").write_text(BROKEN_TEXT + "\nMore.\n", "utf-8")
    assert_reported(repo, "--cache-dir", ".guidelint_cache")
    assert {path.read_bytes() for path in outside.iterdir()} == {b"not guidelint's"}


# Item 4, the cache-dir half: settings come with the repository ------------------------------------
def test_a_cache_dir_setting_outside_the_repository_is_refused(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "repo")
    (tmp_path / "elsewhere").mkdir()
    (repo / "to-elsewhere").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    settings = repo / "guidelint.toml"
    for value in ("../elsewhere", str(tmp_path / "elsewhere"), "to-elsewhere", "/"):
        settings.write_text(f"cache-dir = {value!r}\n", "utf-8")
        refused = lint(repo)
        assert refused.exit_code == 2, (value, refused)
        assert "'cache-dir'" in refused.stderr and str(settings) in refused.stderr
        assert "outside the repository" in refused.stderr
        assert "Traceback" not in refused.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []
    # Inside the repository it is used, and sealed like any other.
    settings.write_text('cache-dir = ".cache/guidelint"\n', "utf-8")
    assert_reported(repo)
    assert list((repo / ".cache" / "guidelint").glob("*.cache"))
    # On the command line, any folder will do.
    assert_reported(repo, "--cache-dir", str(tmp_path / "elsewhere"))
    assert list((tmp_path / "elsewhere").glob("*.cache"))


def test_a_cache_dir_setting_is_relative_to_the_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = checkout(tmp_path / "repo")
    (repo / "guidelint.toml").write_text('cache-dir = "cache-here"\n', "utf-8")
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    result = run_cli("--today", TODAY, "..")
    assert result.exit_code == 1
    assert list((repo / "cache-here").glob("*.cache"))
