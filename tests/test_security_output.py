"""Output cannot be forged from the checked files (issue 20, item 10).

guidelint runs in CI on pull requests, so a guideline's values, keys, headings and file names
are written by whoever opened one. None of it may reach the terminal or the CI log as an
escape sequence (ESC, the C1 CSI, OSC window titles), a direction override (Trojan Source), or
a line break that starts a line of its own, such as a GitHub Actions `::error` command. Each
test runs the real program as a subprocess, as CI runs it, piped.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import SEED_TEXT, TODAY, run_process

# What a terminal or a log viewer acts on: C0 controls but the line break, DEL, C1, the
# direction marks, embeddings, overrides and isolates, and the line and paragraph separators.
RAW_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"
)
SGR = re.compile("\x1b\\[[0-9;]*m")  # the colours guidelint itself writes on a terminal
FORGED = "::error file=fake.md,line=1::injected"
# A YAML double-quoted value holding an OSC window title, a screen clear, the C1 CSI, a
# right-to-left override and a line separator (YAML's \L).
HOSTILE_VALUE = '"neuro\\e]0;pwned\\a\\e[2J\\x9b31m\\u202egy\\L"'
HOSTILE_TEXT = "neuro\x1b]0;pwned\x07\x1b[2J\x9b31m\u202egy\u2028"


def corpus(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "guidelint.toml").write_text("", "utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, "utf-8")
    return tmp_path


def check(folder: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = run_process("--today", TODAY, "--no-cache", *args, ".", cwd=folder, env=env)
    return result.exit_code, result.stdout, result.stderr


def hostile_value(tmp_path: Path) -> Path:
    text = SEED_TEXT.replace("specialty: neurology", f"specialty: {HOSTILE_VALUE}")
    return corpus(tmp_path, {"aan-als-2024.md": text})


def test_escape_sequences_in_a_value_are_shown_escaped_one_problem_per_line(
    tmp_path: Path,
) -> None:
    code, out, _ = check(hostile_value(tmp_path))
    assert code == 1
    assert not RAW_CONTROL.search(out)
    lines = out.splitlines()  # str.splitlines also breaks at U+2028 and U+0085
    assert len(lines) == 2  # the one problem and the summary
    assert lines[0].startswith("aan-als-2024.md:8:12: GL104 specialty ")
    assert "'neuro\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202egy\\u2028'" in lines[0]


def test_a_line_break_in_a_key_cannot_start_a_line_of_text_output(tmp_path: Path) -> None:
    key = '"bad\\nkey\\n' + FORGED + '": 1'
    text = SEED_TEXT.replace("has_pdf: false\n", f"has_pdf: false\n{key}\n")
    code, out, _ = check(corpus(tmp_path, {"aan-als-2024.md": text}))
    assert code == 1
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    assert f"unknown key 'bad\\nkey\\n{FORGED}'" in out
    assert len(out.splitlines()) == 2  # the problem and the summary


def test_github_format_escapes_controls_in_messages_and_properties(tmp_path: Path) -> None:
    name = "evil\x1b]0;x\x07.md"
    text = SEED_TEXT.replace("specialty: neurology", f"specialty: {HOSTILE_VALUE}")
    folder = corpus(tmp_path, {name: text})
    code, out, _ = check(folder, "--format", "github")
    assert code == 1
    assert not RAW_CONTROL.search(out)
    lines = out.splitlines()
    assert all(line.startswith("::error file=evil\\x1b]0;x\\x07.md,") for line in lines)
    assert len(lines) == 2  # GL104 and GL307 (the file is not named after its id)


def test_a_file_name_with_a_line_break_cannot_forge_a_line(tmp_path: Path) -> None:
    name = f"evil\x1b]0;x\x07\n{FORGED}.md"
    folder = corpus(tmp_path, {name: SEED_TEXT})
    code, out, _ = check(folder)
    assert code == 1
    assert not RAW_CONTROL.search(out)
    lines = out.splitlines()
    assert not any(line.lstrip().startswith("::") for line in lines)
    assert lines[0].startswith(f"evil\\x1b]0;x\\x07\\n{FORGED}.md:2:5: GL307 ")
    code, out, _ = check(folder, "--format", "github")
    assert [line[:8] for line in out.splitlines()] == ["::error "]


def test_a_file_named_like_a_workflow_command_is_shown_as_a_path(tmp_path: Path) -> None:
    folder = corpus(tmp_path, {"::error file=x.md::injected.md": SEED_TEXT})
    code, out, _ = check(folder)
    assert code == 1
    assert out.splitlines()[0].startswith("./::error file=x.md::injected.md:2:5: GL307 ")


def test_github_actions_legacy_commands_are_not_passed_on(tmp_path: Path) -> None:
    # The runner reads "##[error]..." anywhere in a line of the log.
    text = SEED_TEXT.replace("specialty: neurology", 'specialty: "x ##[error]injected"')
    code, out, _ = check(corpus(tmp_path, {"aan-als-2024.md": text}))
    assert code == 1
    assert "##[" not in out
    assert "'x ##\\x5berror]injected'" in out


def test_headings_and_excerpts_on_a_terminal_are_escaped(tmp_path: Path) -> None:
    heading = "## Scope\x1b]0;pwned\x07"
    text = SEED_TEXT.replace("## Key Recommendations", f"{heading}\n\n## Key Recommendations")
    text = text.replace("## Scope\n", f"{heading}\n", 1)
    code, out, _ = check(corpus(tmp_path, {"aan-als-2024.md": text}), "--color", "always")
    assert code == 1
    plain = SGR.sub("", out)
    assert not RAW_CONTROL.search(plain)
    assert "heading 'Scope\\x1b]0;pwned\\x07' repeats the heading on line 31" in plain
    shown = "## Scope\\x1b]0;pwned\\x07"
    # The excerpt shows the escapes, and the carets run under all of them.
    assert f"35 | {shown}\n   | {'^' * len(shown)}\n" in plain


def test_json_keeps_the_text_and_escapes_what_a_terminal_would_act_on(tmp_path: Path) -> None:
    folder = hostile_value(tmp_path)
    for output_format in ("json", "gitlab", "sarif"):
        code, out, _ = check(folder, "--format", output_format)
        assert code == 1
        assert not RAW_CONTROL.search(out), output_format
        report = json.loads(out)
        if output_format == "json":
            message = report[0]["message"]
        elif output_format == "gitlab":
            message = report[0]["description"]
        else:
            message = report["runs"][0]["results"][0]["message"]["text"]
        assert f"'{HOSTILE_TEXT}'" in message, output_format  # the text itself, intact


def test_junit_stays_well_formed_and_shows_the_escapes(tmp_path: Path) -> None:
    code, out, _ = check(hostile_value(tmp_path), "--format", "junit")
    assert code == 1
    assert not RAW_CONTROL.search(out)
    failure = ET.fromstring(out).find(".//failure")
    assert failure is not None
    assert "'neuro\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202egy\\u2028'" in failure.attrib["message"]


def test_a_setting_key_in_a_configuration_error_is_escaped(tmp_path: Path) -> None:
    folder = corpus(tmp_path, {"aan-als-2024.md": SEED_TEXT})
    (folder / "guidelint.toml").write_text('"bad\\u001b]0;x\\u0007\\nkey" = 1\n', "utf-8")
    code, _, err = check(folder)
    assert code == 2
    assert not RAW_CONTROL.search(err)
    lines = err.splitlines()
    assert "'bad\\x1b]0;x\\x07\\nkey' is not a setting" in lines[0]
    assert lines[1] == "Fix the configuration, or run with --isolated to ignore it."


@pytest.mark.skipif(os.name != "posix", reason="file names with control characters")
def test_a_note_on_standard_error_naming_a_path_is_escaped(tmp_path: Path) -> None:
    name = f"x\x1b]0;pwned\x07\n{FORGED}.md"
    text = SEED_TEXT.replace("## Scope\n", "## Scope.\n")  # GL506, fixable
    folder = corpus(tmp_path, {name: text})
    (folder / name).chmod(0o444)
    code, _, err = check(folder, "--fix")
    assert code == 1
    assert not RAW_CONTROL.search(err)
    assert f"guidelint: x\\x1b]0;pwned\\x07\\n{FORGED}.md was not fixed: it is read-only" in err
    assert not any(line.lstrip().startswith("::") for line in err.splitlines())


def test_diff_escapes_the_file_and_github_actions_reads_no_command_in_it(tmp_path: Path) -> None:
    text = SEED_TEXT.replace("## Scope\n", "## Scope\x1b]0;pwned\x07.\n\n::warning::forged\n")
    folder = corpus(tmp_path, {"aan-als-2024.md": text})
    code, out, _ = check(folder, "--diff")
    assert code == 1
    assert not RAW_CONTROL.search(out)
    assert "-## Scope\\x1b]0;pwned\\x07.\n+## Scope\\x1b]0;pwned\\x07\n" in out
    code, out, _ = check(folder, "--diff", env={"GITHUB_ACTIONS": "true"})
    lines = out.splitlines()
    token = lines[0].removeprefix("::stop-commands::")
    assert re.fullmatch("[0-9a-f]{32}", token)
    assert " ::warning::forged" in lines  # a context line, inert until the token
    assert lines[-1] == f"::{token}::"


def test_an_unknown_rule_code_is_escaped_in_the_error(tmp_path: Path) -> None:
    result = run_process("rule", "GL\x1b]0;pwned\x07\n::error::x", cwd=tmp_path)
    assert result.exit_code == 2
    assert not RAW_CONTROL.search(result.stderr)
    assert "GL\\x1b]0;pwned\\x07\\n::error::x is not a rule code" in result.stderr
