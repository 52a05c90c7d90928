"""Hardening (issue 7): crashes the fuzzers found, resource bounds, and no code run from data.

Each crash test names the input that once raised inside guidelint (an internal error, exit 2)
and checks the diagnostic it gives now.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guidelint.core.limits import DEFAULT_LIMITS
from guidelint.readers.document import parse_document
from guidelint.readers.yamlpos import parse_front_matter
from tests.conftest import FIXTURES, SEED_TEXT, TODAY, found, run_cli, run_process

HARDENING = FIXTURES / "hardening"


def codes_at(text: str) -> list[tuple[str, int, int]]:
    parsed = parse_front_matter(text, "x.md", 2, DEFAULT_LIMITS)
    return [(d.code, d.line, d.column) for d in parsed.diagnostics]


# Crashes found by the fuzzers -------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        'a: !!int ""\n',  # IndexError in PyYAML's int constructor
        "a: !!int x\n",  # ValueError
        "a: !!float _\n",  # IndexError
        "a: !!bool maybe\n",  # KeyError
        "a: 0x_\n",  # a plain scalar YAML 1.1 resolves as an int, and PyYAML cannot build
        "a: +0b_\n",
    ],
)
def test_a_value_that_is_not_the_number_its_tag_says_is_gl009(text: str) -> None:
    assert codes_at(text) == [("GL009", 2, 4)]


def test_a_number_of_thousands_of_digits_is_gl010_not_a_traceback() -> None:
    # Python refuses int() of more than 4300 digits (ValueError).
    assert codes_at("a: " + "1" * 5000 + "\n") == [("GL010", 2, 4)]


def test_a_long_sexagesimal_number_is_refused_before_quadratic_work() -> None:
    start = time.perf_counter()
    assert codes_at("a: " + ":".join(["1"] * 100_000) + "\n") == [("GL010", 2, 4)]
    assert time.perf_counter() - start < 2  # PyYAML alone takes seconds


def test_numbers_within_bounds_are_still_numbers() -> None:
    parsed = parse_front_matter("a: !!int 12\nb: 1:20\nc: !!float 1.5\n", "x.md", 2, DEFAULT_LIMITS)
    assert parsed.data == {"a": 12, "b": 80, "c": 1.5}
    assert parsed.diagnostics == []


@pytest.mark.parametrize(
    ("name", "code", "line", "column"),
    [
        ("gl009-tagged-number.md", "GL009", 27, 10),
        ("gl009-odd-hex.md", "GL009", 26, 11),
        ("gl010-long-number.md", "GL010", 26, 11),
    ],
)
def test_fixtures_report_where_the_value_is(name: str, code: str, line: int, column: int) -> None:
    assert found(HARDENING / name) == {(name, code, line, column)}


def test_a_control_character_after_multibyte_text_is_shown_at_its_column() -> None:
    # libyaml gives this position in UTF-8 bytes: it once pointed past the end of the line.
    assert codes_at("a: \U0001f9e0\U0001f9e0\x08\n") == [("GL006", 2, 6)]
    assert codes_at("x: é\nab: é\x08\n") == [("GL006", 3, 6)]


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"\xef\xbb\xbf\x80", 1, 1),  # the byte order mark is not a column
        (b"\xef\xbb\xbf---\ntitle: caf\xe9\n", 2, 11),
        (b"---\rid: x\rtitle: caf\xe9\r", 3, 11),  # old Mac line ends are line ends
        (b"---\r\nid: x\r\ntitle: caf\xe9\r\n", 3, 11),
    ],
)
def test_an_undecodable_byte_is_shown_where_the_text_has_it(
    data: bytes, line: int, column: int
) -> None:
    (diagnostic,) = parse_document(data, "x.md").diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("GL001", line, column)


# Bodies the Markdown parser cannot survive ---------------------------------------------------
def test_a_list_nested_past_the_limit_is_gl010_naming_the_limit() -> None:
    target = HARDENING / "gl010-deep-body.md"
    assert found(target) == {("gl010-deep-body.md", "GL010", 37, 1)}
    (row,) = run_cli("--format", "json", "--no-cache", target).json()
    assert "max-markdown-depth limit of 1000" in str(row["message"])
    assert row["end_column"] == 1201  # the markers, not the text after them


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("- " * 100_000 + "x\n", 6),  # once a segmentation fault in markdown-it-pyrs
        ("> " * 100_000 + "x\n", 6),
        ("1. " * 50_000 + "x\n", 6),
        ("\t" * 300 + "x\n", 6),  # a tab is up to four columns of indentation
        ("x " + "*" * 100_000 + "x" + "*" * 100_000 + "\n", 6),
        ("![" * 40_000 + "x" + "](y)" * 40_000 + "\n", 6),
        ("ok\n\n" + "[a](b) " * 20_000 + "\n", 8),
    ],
)
def test_bodies_that_would_overflow_the_parser_stack_are_gl010(body: str, line: int) -> None:
    data = f"---\nid: x\n---\nintro\n\n{body}".encode()
    (diagnostic,) = parse_document(data, "x.md").diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("GL010", line, 1)


def test_ordinary_nesting_and_markup_are_not_limited() -> None:
    body = "- a\n  - b\n    - c\n\n> > quote\n\n" + "*a* _b_ [c](d) " * 1500 + "\n\n" + " " * 900
    assert parse_document(f"---\nid: x\n---\n{body}x\n".encode(), "x.md").diagnostics == []


def test_max_markdown_depth_is_configurable_up_to_a_safe_ceiling(tmp_path: Path) -> None:
    target = tmp_path / "gl010-deep-body.md"
    shutil.copyfile(HARDENING / "gl010-deep-body.md", target)
    config = tmp_path / "guidelint.toml"
    config.write_text("[limits]\nmax-markdown-depth = 2000\n")
    result = run_cli("--format", "json", "--no-cache", "--today", TODAY, "--config", config, target)
    assert result.json() == []
    config.write_text("[limits]\nmax-markdown-depth = 5000\n")
    result = run_cli("--no-cache", "--config", config, target)
    assert result.exit_code == 2
    assert "'limits.max-markdown-depth' must be at most 2000" in result.stderr


def test_many_headings_take_linear_time() -> None:
    # Each heading's line is found by bisection, and the blocks after a heading are walked by
    # index, never copied: 100,000 headings in linear time.
    from guidelint.readers.outline import parse_outline

    start = time.perf_counter()
    outline = parse_outline("#\n" * 100_000, 4)
    assert len(outline.headings) == 100_000
    assert outline.headings[-1].span.line == 100_003
    assert time.perf_counter() - start < 8  # room to spare for a linear parse, none for a quadratic


# Resource bounds, measured in a real process -----------------------------------------------------
MEASURE = """
import resource, sys, time
start = time.perf_counter()
from guidelint.app.cli import main
sys.argv[0] = "guidelint"
try:
    main()
finally:
    # VmHWM: this program's own peak (ru_maxrss would include the parent's, from before exec).
    try:
        status = open("/proc/self/status").read()
        peak = int(status.split("VmHWM:")[1].split()[0]) // 1024
    except (OSError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    sys.stderr.write(f"\\nMEASURED {time.perf_counter() - start:.2f} {peak}\\n")
"""


def measure(target: Path, *options: str) -> tuple[list[tuple[str, int, int]], float, int]:
    """(code, line, column) of each diagnostic, seconds taken and peak memory in MiB."""
    command = [sys.executable, "-c", MEASURE, "--format", "json", "--no-cache", "--today", TODAY]
    proc = subprocess.run(
        [*command, *options, str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=target.parent,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.returncode in (0, 1), proc.stderr
    seconds, peak = proc.stderr.rsplit("MEASURED ", 1)[1].split()
    rows = json.loads(proc.stdout)
    return [(r["code"], r["line"], r["column"]) for r in rows], float(seconds), int(peak)


def guideline(tmp_path: Path, front_matter_extra: str = "", body_extra: str = "") -> Path:
    target = tmp_path / "aan-als-2024.md"
    _, front, body = SEED_TEXT.split("---\n", 2)
    target.write_text(f"---\n{front}{front_matter_extra}---\n{body}{body_extra}", "utf-8")
    return target


def test_a_50_mb_body_is_refused_unread(tmp_path: Path) -> None:
    paragraph = "Riluzole *should* be offered; see [the trial](https://example.org).\n\n"
    target = guideline(tmp_path, body_extra=paragraph * (50 * 2**20 // len(paragraph)))
    rows, seconds, peak = measure(target, "--isolated")
    assert rows == [("GL011", 1, 1)]
    assert seconds < 10 and peak < 150
    # With max-file-bytes raised it is read, and refused before the Markdown parser, whose
    # tree would take gigabytes.
    (tmp_path / "guidelint.toml").write_text("[limits]\nmax-file-bytes = 67108864\n")
    rows, seconds, peak = measure(target)
    assert rows == [("GL010", 30, 1)]
    assert seconds < 10 and peak < 600


def test_the_largest_body_parsed_stays_within_memory(tmp_path: Path) -> None:
    # The costliest body per byte found: short paragraphs of inline markup, 490 times its size
    # in memory (4.9 GB for 9.9 MB). Just under max-markdown-bytes, it is checked.
    unit = "*a* _b_ [c](d) `e` **f**\n\n"
    body = unit * ((2**20 - len(SEED_TEXT)) // len(unit))
    target = guideline(tmp_path, body_extra=body)
    rows, seconds, peak = measure(target, "--isolated")
    assert rows == []
    assert seconds < 20 and peak < 1000
    target = guideline(tmp_path, body_extra=body * 2)
    rows, seconds, peak = measure(target, "--isolated")
    assert rows == [("GL010", 30, 1)]
    assert seconds < 10 and peak < 150


def test_a_million_alias_bomb_stops_at_max_yaml_values(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 7)]
    target = guideline(tmp_path, "\n".join(levels) + "\n")  # 11 million values if expanded
    rows, seconds, peak = measure(target, "--isolated")
    assert rows == [("GL010", 29, 25)]
    assert seconds < 10 and peak < 150


def test_a_million_aliases_written_out_stop_at_a_limit(tmp_path: Path) -> None:
    target = guideline(tmp_path, "z: &z x\nzz: [" + ", ".join(["*z"] * 1_000_000) + "]\n")
    rows, seconds, peak = measure(target, "--isolated")
    assert rows == [("GL010", 1, 1)]  # 3.8 MB of front matter: over max-front-matter-bytes
    assert seconds < 10 and peak < 150
    # With the size limit raised, the count of values stops it.
    (tmp_path / "guidelint.toml").write_text("[limits]\nmax-front-matter-bytes = 4194304\n")
    rows, seconds, peak = measure(target)
    assert rows == [("GL010", 29, 4)]
    assert seconds < 20 and peak < 600


@pytest.mark.parametrize(
    ("front", "body", "expected"),
    [
        ("deep: " + "[" * 100_000 + "]" * 100_000 + "\n", "", ("GL010", 29, 1006)),
        ("deep:\n" + "- " * 100_000 + "x\n", "", ("GL010", 30, 1999)),
        ("", "- " * 100_000 + "x\n", ("GL010", 96, 1)),
    ],
    ids=["flow-front-matter", "block-front-matter", "body"],
)
def test_a_100000_deep_list_stops_at_a_depth_limit(
    tmp_path: Path, front: str, body: str, expected: tuple[str, int, int]
) -> None:
    target = guideline(tmp_path, front, body)
    rows, seconds, peak = measure(target, "--isolated")
    assert rows == [expected]
    assert seconds < 10 and peak < 150


# Output bounded by the corpus, not by its square ----------------------------------------------
def test_messages_name_at_most_ten_other_files(tmp_path: Path) -> None:
    # 60 copies of one id, all current, each superseding the next in one loop: every message
    # once listed all the others, so n files gave n * n names (51 MB for 2,363 files).
    for index in range(60):
        text = (
            SEED_TEXT.replace("id: aan-als-2024", f"id: aan-als-{index:04d}").replace(
                "supersedes: aan-als-2009", f"supersedes: aan-als-{index % 59 + 1:04d}"
            )
            if index
            else SEED_TEXT.replace("supersedes: aan-als-2009", "supersedes: aan-als-0001")
        )
        (tmp_path / f"copy-{index:02d}.md").write_text(text, "utf-8")
        (tmp_path / f"dup-{index:02d}.md").write_text(SEED_TEXT, "utf-8")
    result = run_cli("--format", "json", "--isolated", "--no-cache", "--today", TODAY, tmp_path)
    messages = {str(row["code"]): str(row["message"]) for row in result.json()}
    assert messages["GL401"].endswith("and 50 more; every guideline version needs its own id")
    assert "current versions (aan-als-0001, " in messages["GL405"]
    assert "and 50 more); keep only" in messages["GL405"]
    assert " -> ... -> " in messages["GL404"]
    assert max(len(message) for message in messages.values()) < 1000


# Nothing named in the data is run or opened ----------------------------------------------------
AUDIT = """
import json, sys
events = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        events.append(["open", str(args[0])])
    elif event in ("os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn",
                   "ctypes.dlopen", "socket.connect", "urllib.Request", "webbrowser.open"):
        events.append([event, repr(args)[:200]])
sys.addaudithook(hook)
from guidelint.app.cli import main
sys.argv[0] = "guidelint"
try:
    main()
finally:
    sys.stderr.write("\\nAUDIT " + json.dumps(events) + "\\n")
"""


def test_tags_are_never_constructed_and_metadata_paths_never_opened(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "guidelines").mkdir(parents=True)
    (repo / "pdfs").mkdir()
    (repo / ".git").mkdir()  # the corpus root
    outside = tmp_path / "outside.pdf"
    inside = repo / "pdfs" / "bait.pdf"
    for bait in (outside, inside):
        bait.write_bytes(b"%PDF-1.4 bait")
    marker = tmp_path / "pwned"
    attacks = {
        "apply": f'!!python/object/apply:os.system ["touch {marker}"]',
        "new": f'!!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
        "name": "!!python/name:os.system",
        "module": "!!python/module:os",
        "local": f'!ruby/object:Gem::Installer ["touch {marker}"]',
    }
    paths = [str(outside), "../outside.pdf", "pdfs/bait.pdf", f"file://{outside}"]
    for index, (name, value) in enumerate(attacks.items()):
        text = SEED_TEXT.replace("id: aan-als-2024", f"id: attack-{name}-2024")
        text = text.replace("short_title:", f"short_title: {value}\nx_short_title:")
        text = text.replace("pdf_path: null", f"pdf_path: {paths[index % len(paths)]}")
        text = text.replace("has_pdf: false", "has_pdf: true")
        (repo / "guidelines" / f"attack-{name}-2024.md").write_text(text, "utf-8")
    for fix in ([], ["--fix", "--unsafe-fixes"]):
        proc = subprocess.run(
            [sys.executable, "-c", AUDIT, "--format", "json", "--no-cache", *fix, "guidelines"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=repo,
        )
        assert proc.returncode == 1, proc.stderr
        events = json.loads(proc.stderr.rsplit("AUDIT ", 1)[1])
        codes = {(Path(row["path"]).name, row["code"]) for row in json.loads(proc.stdout)}
        for name in attacks:
            assert (f"attack-{name}-2024.md", "GL009") in codes
        assert not marker.exists()
        assert [e for e in events if e[0] != "open"] == []
        opened = {e[1] for e in events}
        assert any(path.endswith("attack-apply-2024.md") for path in opened)  # the hook works
        assert not any("bait" in path or "outside" in path for path in opened), opened


def test_a_suppression_listing_50000_codes_is_answered_briefly(tmp_path: Path) -> None:
    # One message per code quoted the whole comment: 50,000 messages of 300 KB, 15 GB.
    comment = "<!-- guidelint-disable-file " + " ".join(["GL503", "GL9999"] * 25_000) + " -->"
    target = tmp_path / "aan-als-2024.md"
    target.write_text(SEED_TEXT.replace("## Scope", f"{comment}\n\n## Scope"), "utf-8")
    start = time.perf_counter()
    result = run_cli("--format", "json", "--isolated", "--no-cache", "--today", TODAY, target)
    assert time.perf_counter() - start < 10
    rows = [(row["code"], len(str(row["message"]))) for row in result.json()]
    assert [code for code, _ in rows] == ["GL901", "GL902"]  # each code judged once
    assert all(length < 300 for _, length in rows)


def test_repeated_items_are_found_in_linear_time(tmp_path: Path) -> None:
    # jsonschema's uniqueItems compares every pair: 20 seconds for 9,000 tags.
    tags = [f"tag {index}" for index in range(9000)] + ["tag 17"]
    target = tmp_path / "aan-als-2024.md"
    text = SEED_TEXT.replace("tags:\n", "tags: [" + ", ".join(tags) + "]\nother_tags:\n", 1)
    target.write_text(text, "utf-8")
    start = time.perf_counter()
    result = run_cli("--format", "json", "--isolated", "--no-cache", "--today", TODAY, target)
    assert time.perf_counter() - start < 5
    messages = {str(row["code"]): str(row["message"]) for row in result.json()}
    assert messages["GL107"] == "tags item 9001 'tag 17' repeats item 18; remove the repeat"


@pytest.mark.parametrize(
    "paragraph",
    ["see [the `riluzole", "[`", "a [` b", "[x\n`", "![`"],
)
def test_a_markdown_parser_panic_is_survived(tmp_path: Path, paragraph: str) -> None:
    # markdown-it 0.6.0 panics on '[' then an unclosed backtick in one paragraph; a Rust panic
    # is a BaseException, which went through every `except Exception` to a traceback.
    text = SEED_TEXT.replace("## Key Recommendations", f"{paragraph}\n\n## *Key Recommendations*")
    text = text.replace("## Scope", "<!-- guidelint-disable-next-line GL503 -->\n## Scope")
    target = tmp_path / "aan-als-2024.md"
    target.write_text(text, "utf-8")
    result = run_cli("--format", "json", "--isolated", "--no-cache", "--today", TODAY, target)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert [row["code"] for row in result.json()] == ["GL901"]  # headings and comments found


class PanicException(BaseException):
    """What pyo3 raises for a panic in Rust code: not an Exception."""


def test_a_panic_in_one_file_is_an_internal_error_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import guidelint.readers.yamlpos

    real = guidelint.readers.yamlpos.parse_front_matter

    def panicking(text: str, path: str, *args: object) -> object:
        if path.endswith("b.md"):
            raise PanicException("index out of bounds")
        return real(text, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(guidelint.readers.yamlpos, "parse_front_matter", panicking)
    (tmp_path / "a.md").write_text("## Scope\n", "utf-8")
    (tmp_path / "b.md").write_text(SEED_TEXT, "utf-8")
    result = run_cli("--format", "json", "--isolated", "--no-cache", tmp_path)
    assert result.exit_code == 2
    assert "b.md: internal error" in result.stderr and "PanicException" in result.stderr
    assert [(Path(str(r["path"])).name, r["code"]) for r in result.json()] == [("a.md", "GL004")]


def test_a_survived_panic_leaves_standard_error_clean(tmp_path: Path) -> None:
    # Rust prints a panic to standard error even when it is caught: it read as a crash.
    target = tmp_path / "aan-als-2024.md"
    text = SEED_TEXT.replace("## Key Recommendations", "see [the `x\n\n## Key Recommendations")
    target.write_text(text, "utf-8")
    result = run_process("--isolated", "--no-cache", "--today", TODAY, target)
    assert (result.exit_code, result.stderr) == (0, "")
    assert "All checks passed" in result.stdout


def test_max_markdown_bytes_is_configurable(tmp_path: Path) -> None:
    target = guideline(tmp_path)
    config = tmp_path / "guidelint.toml"
    config.write_text("[limits]\nmax-markdown-bytes = 100\n")
    result = run_cli("--format", "json", "--no-cache", "--today", TODAY, "--config", config, target)
    (row,) = result.json()
    assert (row["code"], row["line"], row["column"]) == ("GL010", 30, 1)
    assert "the body is 1 KB, over the 100 bytes max-markdown-bytes limit" in str(row["message"])


def test_many_repeated_headings_take_linear_time() -> None:
    # GL504 places each repeat and looks back at the first sibling: spans asked back and forth
    # across a body must not be counted from the top each time.
    from datetime import date

    from guidelint.core.settings import Settings
    from guidelint.engine.files import check_file

    body = "## Scope\n\ntext\n\n## Key Recommendations\n\ntext\n" + "## A\n\ntext\n\n" * 50_000
    _, front, _ = SEED_TEXT.split("---\n", 2)
    data = f"---\n{front}---\n{body}".encode()
    start = time.perf_counter()
    settings = Settings(today=date(2026, 1, 1))
    result = check_file(Path("x.md"), settings, frozenset({"GL504"}), data=data)
    repeats = [d for d in result.diagnostics if d.code == "GL504"]
    assert len(repeats) == 49_999
    first_line = repeats[0].line - 4
    assert all(f"on line {first_line} " in d.message for d in repeats)
    assert time.perf_counter() - start < 8
