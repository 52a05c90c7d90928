"""The results cache and worker processes: same answers, less work, never trusted blindly."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.generate import generate
from guidelint.cache import sealing
from guidelint.cache.store import Cache
from guidelint.engine import corpus as corpus_stage
from guidelint.engine import files, scope, workers
from guidelint.engine import run as engine
from tests.conftest import REPO, TODAY, run_cli

SEED = (REPO / "seeds" / "aan-als-2024.md").read_text("utf-8")


# The per-file stage is entered from the workers and, for lineage files changed since their
# links were stored, from the corpus stage: a stand-in for check_file goes in at both.
def patch_check_file(monkeypatch: pytest.MonkeyPatch, replacement: object) -> None:
    for stage in (workers, corpus_stage):
        monkeypatch.setattr(stage, "check_file", replacement)


def lint(folder: Path, *args: str) -> tuple[int, str]:
    result = run_cli(
        "--today", TODAY, "--format", "json", "--cache-dir", folder / "cache", *args, folder / "c"
    )
    return result.exit_code, result.stdout


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    generate(tmp_path / "c", 60, 0.2, 7)
    return tmp_path


@pytest.fixture
def large_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """450 files, with defects, as the working folder: enough for worker processes."""
    generate(tmp_path / "c", 450, 0.3, 11)
    monkeypatch.chdir(tmp_path / "c")
    return tmp_path


def count_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    checked: list[Path] = []
    original = files.check_file

    def spy(file: Path, *args: object, **kwargs: object) -> files.FileResult:
        checked.append(file)
        return original(file, *args, **kwargs)  # type: ignore[arg-type]

    patch_check_file(monkeypatch, spy)
    return checked


def test_warm_run_checks_nothing_and_says_the_same(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = lint(corpus, "--no-cache")
    assert not (corpus / "cache").exists()  # --no-cache writes nothing
    first = lint(corpus)
    assert first == cold
    assert (corpus / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    checked = count_checks(monkeypatch)
    assert lint(corpus) == cold
    assert checked == []


def test_an_edited_file_is_checked_again(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lint(corpus)
    target = sorted((corpus / "c").glob("*.md"))[0]
    text = target.read_text("utf-8")
    target.write_text(text.replace("## Scope", "## Scoop", 1), "utf-8")
    checked = count_checks(monkeypatch)
    _, out = lint(corpus)
    assert checked == [target]
    assert ("GL501", target.name) in {(r["code"], Path(r["path"]).name) for r in json.loads(out)}
    assert lint(corpus, "--no-cache")[1] == out


def test_same_size_same_mtime_but_touched_content_is_caught_by_the_hash(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lint(corpus)
    target = sorted((corpus / "c").glob("*.md"))[0]
    text = target.read_text("utf-8")
    edited = text.replace("## Scope", "## Scoop", 1)
    assert len(edited) == len(text)
    info = target.stat()
    target.write_text(edited, "utf-8")
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 1))  # mtime moved, size same
    checked = count_checks(monkeypatch)
    lint(corpus)
    assert checked == [target]
    # touch alone (same content, new mtime): the hash says unchanged, nothing is checked
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 5))
    checked.clear()
    lint(corpus)
    assert checked == []


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not a cache",
        b"guidelint cache another-key\n/x.md\t1\t2\t3\t[]\t[]\t{}",
        b"\xff\xfe\x00garbage",
    ],
)
def test_a_corrupt_or_foreign_cache_is_ignored(corpus: Path, damage: bytes) -> None:
    expected = lint(corpus, "--no-cache")
    lint(corpus)
    [stored] = (corpus / "cache").glob("*.cache")
    stored.write_bytes(damage)
    assert lint(corpus) == expected


def _rewrite_rows(folder: Path, change: Callable[[list[str]], list[str]]) -> None:
    """Apply `change` to the tab-separated fields after the path, on every file's line, and
    seal the result with the user's key: what is tested is what stands behind the seal."""
    [stored] = folder.glob("*.cache")
    cache = Cache.load(folder, stored.stem)
    assert cache.rows
    cache.rows = {path: "\t".join(change(rest.split("\t"))) for path, rest in cache.rows.items()}
    cache.changed_rows, cache.lines_read = dict(cache.rows), -1  # written anew, not appended
    cache.save()
    assert Cache.load(folder, stored.stem).rows == cache.rows


def test_a_cache_with_rows_of_another_shape_is_not_trusted(corpus: Path) -> None:
    expected = lint(corpus, "--no-cache")
    lint(corpus)

    def forge(fields: list[str]) -> list[str]:
        size, mtime, digest, _links, _entry, suppressions, results = fields
        payload = json.loads(results)  # diagnostics and fixes are stored as one JSON text
        payload["d"] = [["x", 1, 1, 1, "GL999", "error", "forged"]]
        return [size, mtime, digest, "[1, 2]", "[1, 2, 3]", suppressions, json.dumps(payload)]

    _rewrite_rows(corpus / "cache", forge)
    assert lint(corpus) == expected


@pytest.mark.parametrize(
    "row",
    [
        ["text"],
        ["1", "2"],
        [],
        ["1", "2", "3", "[]", "[]", "{}", "extra"],
        ["a", "b", "c", "d", "e", "f"],
    ],
)
def test_a_cache_whose_rows_are_not_rows_is_not_trusted(corpus: Path, row: list[str]) -> None:
    expected = lint(corpus, "--no-cache")
    lint(corpus)
    _rewrite_rows(corpus / "cache", lambda _fields: row)
    assert lint(corpus) == expected


def test_settings_are_part_of_the_key(corpus: Path) -> None:
    lint(corpus)
    later = run_cli(
        "--today", "2040-01-01", "--format", "json", "--cache-dir", corpus / "cache", corpus / "c"
    )
    fresh = run_cli("--today", "2040-01-01", "--format", "json", "--no-cache", corpus / "c")
    assert later.stdout == fresh.stdout
    assert "GL206" in later.stdout  # the reviews are overdue in 2040


def test_jobs_give_the_same_output_in_the_same_order(tmp_path: Path) -> None:
    generate(tmp_path / "c", 900, 0.2, 3)  # enough files for worker processes to start
    one = run_cli("--today", TODAY, "--no-cache", "-j", "1", tmp_path / "c")
    two = run_cli("--today", TODAY, "--no-cache", "-j", "2", tmp_path / "c")
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout


def spy_on_worker_starts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many files the walk had found each time worker processes were started."""
    found: list[Path] = []
    starts: list[int] = []
    walk, start = scope.discover, workers.Workers._start

    def counting_walk(*args: object) -> object:
        found.clear()
        for file in walk(*args):  # type: ignore[arg-type]
            found.append(file)
            yield file

    def counted_start(self: workers.Workers) -> object:
        starts.append(len(found))
        return start(self)

    for stage in (engine, scope):  # the checked files, then the rest of the corpus
        monkeypatch.setattr(stage, "discover", counting_walk)
    monkeypatch.setattr(workers.Workers, "_start", counted_start)
    return starts


def test_workers_start_during_the_walk_unless_the_answer_is_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(tmp_path / "c", 450, 0.2, 5)
    alone = run_cli("--today", TODAY, "--no-cache", "-j", "1", tmp_path / "c")
    starts = spy_on_worker_starts(monkeypatch)
    # No cache: started once the walk has found enough files, while it goes on.
    assert run_cli("--today", TODAY, "--no-cache", "-j", "2", tmp_path / "c") == alone
    assert starts == [2 * workers.MIN_FILES_PER_JOB]
    # A first run with a cache checks every file: started early too.
    cached = ("--today", TODAY, "--cache-dir", tmp_path / "cache", "-j", "2", tmp_path / "c")
    assert run_cli(*cached) == alone
    assert starts == [2 * workers.MIN_FILES_PER_JOB] * 2
    # The last run is on record: its answer is given again, and no process is started.
    assert run_cli(*cached) == alone
    # One file changed: the rest come from the cache, and one file is checked here.
    changed = sorted((tmp_path / "c").glob("*.md"))[0]
    changed.write_text(changed.read_text("utf-8") + "\nMore text.\n", "utf-8")
    assert run_cli(*cached).exit_code == alone.exit_code
    assert starts == [2 * workers.MIN_FILES_PER_JOB] * 2


def test_what_workers_send_back_pickles_to_equal_objects() -> None:
    # Results travel from worker processes as tuples of their fields (see Entry.__reduce__):
    # every diagnostic, fix, entry and suppression must arrive as it left.
    import pickle
    from datetime import date

    from guidelint.core.settings import Settings
    from tests.conftest import FIXTURES

    every_rule = frozenset(engine.rules_by_code())
    results = [
        files.check_file(file, Settings(today=date(2026, 1, 1)), every_rule)
        for file in sorted(FIXTURES.rglob("*.md"))
    ]
    assert any(r.entry for r in results)
    assert any(d.fix for r in results for d in r.diagnostics)
    assert any(r.suppressions and r.suppressions.items for r in results)
    assert pickle.loads(pickle.dumps(results)) == results


def _filled_cache(corpus: Path) -> Cache:
    assert lint(corpus)[0] in (0, 1)
    (stored,) = (corpus / "cache").glob("*.cache")
    return Cache.load(corpus / "cache", stored.stem)


def test_links_of_many_files_are_those_of_each(corpus: Path) -> None:
    # A pre-commit run reads the links of the whole corpus at once, with one JSON parse; the
    # answer must be what asking file by file gives, and a damaged line must stay unread.
    files = [(file, file.name) for file in sorted((corpus / "c").glob("*.md"))]
    one_by_one = []
    for file, shown in files:
        one_by_one.append((file, shown, _filled_cache(corpus).links(file)))
    cache = _filled_cache(corpus)
    assert cache.stored_links(files) == (one_by_one, [])

    damaged = {
        files[0][0]: lambda row: row.replace("\t[", "\t[1", 1),  # not JSON
        files[1][0]: lambda row: row.replace('",', '\\q",', 1),  # JSON does not know \q
        files[2][0]: lambda row: row + "\textra",  # another shape
        files[3][0]: lambda row: row.replace("\t", "\t[", 4),  # brackets out of place
    }
    cache = _filled_cache(corpus)
    for file, damage in damaged.items():
        key = cache._key(file)
        cache.rows[key] = damage(cache.rows[key])
    os.utime(files[4][0], ns=(1, 1))  # another mtime, the same content: still trusted
    found, others = cache.stored_links(files)
    assert sorted(others) == sorted((file, file.name) for file in damaged)
    assert found == [item for item in one_by_one if item[0] not in damaged]


def test_a_few_changed_lines_are_appended_and_read_over_the_old(corpus: Path) -> None:
    # A pre-commit run changes one file's line: it is appended, not the whole cache written
    # again; the file read back gives the new line, and the answers stay those of no cache.
    assert lint(corpus)[0] in (0, 1)
    (stored,) = (corpus / "cache").glob("*.cache")
    before = stored.read_bytes()
    files = sorted((corpus / "c").glob("*.md"))
    named = files[0]
    named.write_text(named.read_text("utf-8") + "\nMore text.\n", "utf-8")
    cached = run_cli("--today", TODAY, "--format", "json", "--cache-dir", corpus / "cache", named)
    fresh = run_cli("--today", TODAY, "--format", "json", "--no-cache", named)
    assert cached == fresh
    after = stored.read_bytes()
    # One block appended: its header (length and tag), and the line.
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 2
    assert str(named.resolve()).encode() in after[len(before) :]
    # A block cut short by a crash reads as damaged: what came before it is still trusted.
    torn = b"%020d %s\n" % (500, b"0" * 32) + str(files[1].resolve()).encode() + b"\t12\t34\tab"
    stored.write_bytes(after + torn)
    again = run_cli("--today", TODAY, "--format", "json", "--cache-dir", corpus / "cache", files[1])
    assert again == run_cli("--today", TODAY, "--format", "json", "--no-cache", files[1])
    # Lines appended run after run: once they pass a quarter of the files, it is written anew.
    for number in range(len(files) // 4 + 20):
        named.write_text(named.read_text("utf-8") + f"\nEdit {number}.\n", "utf-8")
        assert lint(corpus, str(named))[0] in (0, 1)
    lines = stored.read_bytes().count(b"\n")
    assert lines <= len(files) * 5 // 4 + 16
    fresh_all = run_cli("--today", TODAY, "--format", "json", "--no-cache", corpus / "c")
    assert lint(corpus) == (fresh_all.exit_code, fresh_all.stdout)


def spy_on_checks_ahead(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The files named each time some were checked ahead, in a process of their own."""
    started: list[list[str]] = []
    real = workers._Ahead.__init__

    def recording(self: workers._Ahead, shared: workers.Shared, work: list[workers.Work]) -> None:
        started.append([shown for _, shown, _, _ in work])
        real(self, shared, work)

    monkeypatch.setattr(workers._Ahead, "__init__", recording)
    return started


def test_files_named_in_a_large_corpus_are_checked_ahead_with_the_same_answers(
    large_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = json.loads(run_cli("--today", TODAY, "--format", "json", "--no-cache", ".").stdout)
    # Two files with problems of their own, and a newer version whose link is broken: its
    # lineage findings need the rest of the corpus.
    named = [Path(path) for path in sorted({d["path"] for d in whole})[:2]]
    newer = next(
        file
        for file in sorted(Path().glob("*.md"))
        if "\nsupersedes: " in (text := file.read_text("utf-8"))
        and "\nsupersedes: null" not in text
        and file not in named  # a third file, whichever the generator made first
    )
    text = newer.read_text("utf-8")
    newer.write_text(text.replace("\nsupersedes: ", "\nsupersedes: x", 1), "utf-8")
    named.append(newer)
    base = ("--today", TODAY, "--format", "json", *map(str, named))
    alone = run_cli(*base, "--no-cache", "-j", "1")
    assert alone.exit_code == 1  # the defects put in make findings to compare
    assert {d["path"] for d in json.loads(alone.stdout)} == {str(file) for file in named}
    assert any(d["code"].startswith("GL4") for d in json.loads(alone.stdout))
    started = spy_on_checks_ahead(monkeypatch)
    assert run_cli(*base, "--no-cache", "-j", "2") == alone
    assert run_cli(*base, "--cache-dir", large_corpus / "cache", "-j", "2") == alone
    assert started == [[str(file) for file in named]] * 2
    # The same files unchanged: the last run's answer, without checking anything ahead.
    assert run_cli(*base, "--cache-dir", large_corpus / "cache", "-j", "2") == alone
    assert len(started) == 2
    # A named file changed: checked ahead again, and the cache takes its new line.
    named[0].write_text(named[0].read_text("utf-8") + "\nMore.\n", "utf-8")
    again = run_cli(*base, "--cache-dir", large_corpus / "cache", "-j", "2")
    assert again == run_cli(*base, "--no-cache", "-j", "1")
    assert len(started) == 3


def test_a_check_ahead_that_fails_is_done_again_here(
    large_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = [str(file) for file in sorted(Path().glob("*.md"))[200:202]]
    expected = run_cli("--today", TODAY, "--no-cache", "-j", "1", *named)

    def crash(*_: object) -> None:
        os._exit(3)  # as a process killed mid-check would

    monkeypatch.setattr(workers, "_check_ahead", crash)
    started = spy_on_checks_ahead(monkeypatch)
    assert run_cli("--today", TODAY, "--no-cache", "-j", "2", *named) == expected
    assert len(started) == 1


def test_no_process_to_be_had_means_checking_here(
    large_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A limit on processes makes fork fail: the run goes on in this process.
    named = [str(file) for file in sorted(Path().glob("*.md"))[200:202]]
    one_by_one = run_cli("--today", TODAY, "--no-cache", "-j", "1", *named)
    whole = run_cli("--today", TODAY, "--no-cache", "-j", "1", ".")

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert run_cli("--today", TODAY, "--no-cache", "-j", "2", *named) == one_by_one
    assert run_cli("--today", TODAY, "--no-cache", "-j", "2", ".") == whole


def test_files_found_in_the_cache_are_not_waited_for(
    large_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A named file unchanged since the cache was filled (another selection than the last
    # run's): the check ahead is stopped, not waited for.
    cache_dir = ("--cache-dir", str(large_corpus / "cache"))
    run_cli("--today", TODAY, *cache_dir, ".")
    named = str(sorted(Path().glob("*.md"))[5])
    waited: list[int] = []
    results = workers._Ahead.results

    def recording(self: workers._Ahead) -> object:
        waited.append(1)
        return results(self)

    expected = run_cli("--today", TODAY, "--no-cache", "--select", "GL5", named)
    monkeypatch.setattr(workers._Ahead, "results", recording)
    started = spy_on_checks_ahead(monkeypatch)
    assert run_cli("--today", TODAY, *cache_dir, "-j", "2", "--select", "GL5", named) == expected
    assert started == [[named]] and waited == []


def test_fix_rounds_start_no_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(tmp_path / "c", 450, 0.0, 11)
    monkeypatch.chdir(tmp_path / "c")
    target = sorted(Path().glob("*.md"))[3]
    target.write_text(target.read_text("utf-8").replace("## Scope", "## Scope:", 1), "utf-8")
    starts = spy_on_worker_starts(monkeypatch)
    result = run_cli("--today", TODAY, "--cache-dir", tmp_path / "cache", "-j", "2", "--fix", ".")
    assert result.exit_code == 0
    assert "## Scope\n" in target.read_text("utf-8")
    assert len(starts) == 1  # the first, whole-corpus round; none for the rounds after


def test_what_workers_send_back_lists_every_field() -> None:
    # Results pickle as tuples of their fields, listed by hand: a field added to a class and
    # not to its __reduce__ would be lost on the way back from a worker.
    import dataclasses

    from guidelint.core.corpus_index import Entry
    from guidelint.core.diagnostic import Diagnostic
    from guidelint.readers.suppression_comments import Suppressions

    for cls in (Entry, Diagnostic, Suppressions, files.FileResult):
        names = [field.name for field in dataclasses.fields(cls)]
        values = {name: f"value of {name}" for name in names}
        instance = object.__new__(cls)
        for name, value in values.items():
            object.__setattr__(instance, name, value)
        rebuilt, args = instance.__reduce__()  # type: ignore[misc]
        assert rebuilt is cls and list(args) == [values[name] for name in names], cls


def test_rules_and_sections_given_as_lists_or_sets(tmp_path: Path) -> None:
    # The rule list and section keys are worked out once per selection, in memos: a caller
    # of the library may give a set or a list, not only the frozenset and tuple the CLI does.
    from datetime import date

    from guidelint.core.settings import Settings

    settings = Settings(today=date(2026, 1, 1), required_sections=["Scope", "Summary"])  # type: ignore[arg-type]
    result = files.check_file(
        REPO / "seeds" / "aan-als-2024.md",
        settings,
        {"GL501"},  # type: ignore[arg-type]
    )
    assert result.internal_error is None
    assert [d.message for d in result.diagnostics] == [
        "the body has no '## Summary' section; add one"
    ]


def test_a_cache_nested_too_deep_to_read_is_not_trusted(corpus: Path) -> None:
    # json.loads gives up on a thousand nested lists with RecursionError, not ValueError.
    expected = lint(corpus)
    (stored,) = (corpus / "cache").glob("*.cache")
    (record,) = (corpus / "cache").glob("*.last")

    def too_deep(fields: list[str]) -> list[str]:
        return [*fields[:-1], "[" * 100_000]

    _rewrite_rows(corpus / "cache", too_deep)
    # Sealed with the user's key, as a record guidelint wrote: its content is what is judged.
    secret = sealing.secret_key()
    assert secret is not None
    record.write_bytes(sealing._seal(secret, "last", stored.stem, b"[" * 100_000))
    assert lint(corpus) == expected
