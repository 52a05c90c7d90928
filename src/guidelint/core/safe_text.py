"""Text from the checked repository, made safe to show on a terminal or in a CI log.

Diagnostics quote what the checked files hold (values, keys, headings, file names), and those
files come from whoever opened the pull request. Every text-like output passes what it quotes
through `shown`, so that nothing quoted can move the cursor, clear the screen, retitle the
window, reorder what is read (Trojan Source), or start a line of its own that a CI system would
read as a command (`::error file=...` on GitHub Actions). Structured formats (JSON, SARIF,
GitLab) keep the text as it is and rely on their serializer, with `json_text` on top.
"""

from __future__ import annotations

import re

# C0 controls (line breaks and ESC among them) and DEL; C1 controls (U+009B is a CSI of its
# own); lone surrogates; the Arabic letter mark, the left-to-right and right-to-left marks, the
# bidirectional embeddings, overrides and isolates (CVE-2021-42574, "Trojan Source"); and the
# line and paragraph separators, which some viewers break lines at.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
# GitHub Actions reads "##[command]" anywhere in a line of the log as a workflow command (the
# runner's older syntax), unlike "::command::", which must start the line.
LEGACY_COMMAND = "##["
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """`text` on one line, each unsafe character written as an escape (`\\x1b`, `\\n`,
    `\\u202e`); text without one is returned as it is."""
    if UNSAFE.search(text) is not None:
        text = UNSAFE.sub(_escape, text)
    if LEGACY_COMMAND in text:
        text = text.replace(LEGACY_COMMAND, "##\\x5b")
    return text


def shown_each(text: str) -> list[str]:
    """How each character of `text` is shown, one string per character: what `shown` makes of
    the whole, in pieces a caret can be placed under (a source excerpt)."""
    if UNSAFE.search(text) is None and LEGACY_COMMAND not in text:
        return list(text)
    cells = [shown(char) for char in text]
    found = text.find(LEGACY_COMMAND)
    while found != -1:
        cells[found + 2] = "\\x5b"
        found = text.find(LEGACY_COMMAND, found + 1)
    return cells


def shown_lines(text: str) -> str:
    """Like `shown`, but keeping the line breaks of text guidelint laid out itself (a rule's
    documentation, a traceback) and its tabs."""
    return "\n".join(
        "\t".join(shown(part) for part in line.split("\t")) for line in text.split("\n")
    )


def line_start(text: str) -> str:
    """`shown(text)`, for text that starts a line of output: a path written `::...` (after
    any spaces) would read as a workflow command to GitHub Actions, so it is shown `./::...`,
    which names the same file."""
    text = shown(text)
    return "./" + text if text.lstrip().startswith("::") else text


# What JSON text may still hold raw after json.dumps(..., ensure_ascii=False): every unsafe
# character but the C0 controls, which the serializer escapes already.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def json_text(text: str) -> str:
    """Serialized JSON with the unsafe characters its serializer leaves raw written as
    `\\uXXXX`: outside strings JSON is ASCII, so only strings change, and they parse back to the
    same values."""
    if _JSON_RAW.search(text) is None:
        return text
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
