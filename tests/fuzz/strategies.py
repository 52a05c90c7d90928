"""Hypothesis strategies for broken guideline files.

Two kinds, mixed: files *built* from pieces an editor (or an attacker) might write (every YAML
scalar style, anchors and aliases, tags, deep lists, stray `---`, tabs, long lines, odd
Unicode), and the seed or a built file *mutated* at the byte level (flips, truncation,
insertion, deletion, duplication).
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

from tests.fuzz.harness import SEED

SEED_TEXT = SEED.decode("utf-8")
SEED_FRONT_MATTER = SEED_TEXT.split("---\n")[1]
SEED_BODY = SEED_TEXT.split("---\n", 2)[2]
SEED_KEYS = [line.split(":")[0] for line in SEED_FRONT_MATTER.splitlines() if line[:1].isalpha()]
IDS = ["aan-als-2024", "aan-als-2009", "aan-als-1999", "nice-ckd-2021", "x"]

# Characters that have broken YAML readers, Markdown parsers or position arithmetic.
ODD = [
    "\x00",  # NUL
    "\t",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",  # NEL, a YAML 1.1 line break
    "\u00a0",
    "\u200b",
    "\u200e",  # LRM
    "\u200f",  # RLM
    "\u202e",  # RLO
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffd",
    "\ufffe",
    "\U0001f9e0",
    "e\u0301",
    "\udc80",  # surrogate escapes: written as the raw byte 0x80 (invalid UTF-8)
    "\udcff",
    "\ud800",  # a lone surrogate, written as CESU bytes (invalid UTF-8)
]
YAML_BITS = [
    "---",
    "...",
    ": ",
    " #",
    "- ",
    "? ",
    "&a ",
    "*a",
    "!!str ",
    "!",
    "'",
    '"',
    "|",
    ">",
    "[",
    "]",
    "{",
    "}",
    ",",
    "%YAML 1.2",
    "%TAG ! tag:x,2000:",
    "<<: *a",
    "\\",
    "\\x00",
    "\\ud800",
    "\\U0010ffff",
    "\\N",
    "@",
    "`",
    "2024-02-30",
    "NO",
    "yes",
    "~",
    ".inf",
    "0x1F",
    "1_000",
    "1e99999",
]
MARKDOWN_BITS = [
    "## Scope",
    "## Key Recommendations",
    "#",
    "######",
    "####### x",
    "===",
    "```",
    "~~~",
    "    code",
    "<!--",
    "-->",
    "<!-- guidelint-disable-next-line GL503 -->",
    "<!-- guidelint-disable-file GL504, GL999 -->",
    "<!-- guidelint-disable-next-line -->",
    "<div>",
    "> ",
    "* ",
    "1. ",
    "| a | b |",
    "[x]: <>",
    "&amp;",
    "&#0;",
    "\\#",
]
TAGS = [
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!binary",
    "!!timestamp",
    "!!set",
    "!!omap",
    "!!pairs",
    "!!map",
    "!!seq",
    "!!python/object/apply:os.system",
    "!!python/name:os.system",
    "!custom",
    "!<tag:yaml.org,2002:str>",
    "!<!>",
    "!e!x",
]


def encode(text: str) -> bytes:
    """UTF-8, except that surrogate escapes become raw bytes and other surrogates CESU bytes."""
    out = bytearray()
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(code - 0xDC00)
        elif 0xD800 <= code <= 0xDFFF:
            out += char.encode("utf-8", "surrogatepass")
        else:
            out += char.encode("utf-8")
    return bytes(out)


any_char = st.characters(codec=None, exclude_categories=())
pieces = st.one_of(
    st.sampled_from(ODD),
    st.sampled_from(YAML_BITS),
    st.text(any_char, max_size=6),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=12),
)
# Text mostly ordinary, salted with the odd characters and YAML punctuation above.
words = st.lists(pieces, max_size=6).map("".join)


@st.composite
def long_line(draw: st.DrawFn) -> str:
    unit = draw(st.sampled_from(["a", "é", " ", "-", "[", "#", "\U0001f9e0", "ab: "]))
    return unit * draw(st.integers(1, 20_000))


@st.composite
def scalar(draw: st.DrawFn) -> str:
    """One scalar in any YAML style, maybe tagged or anchored, or an alias."""
    text = draw(st.one_of(words, st.sampled_from(IDS), long_line()))
    style = draw(
        st.sampled_from(["plain", "single", "double", "json", "literal", "folded", "alias"])
    )
    if style == "alias":
        return "*" + draw(st.sampled_from(["a", "b", "nowhere"]))
    if style == "single":
        body = "'" + text.replace("'", "''") + "'"
    elif style == "double":
        body = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    elif style == "json":
        body = json.dumps(text)
    elif style in ("literal", "folded"):
        indicator = "|" if style == "literal" else ">"
        indicator += draw(st.sampled_from(["", "-", "+", "2", "1-"]))
        lines = text.split("\n") or [""]
        body = indicator + "".join("\n  " + line for line in lines)
    else:
        body = text
    prefix = ""
    if draw(st.integers(0, 9)) == 0:
        prefix += draw(st.sampled_from(TAGS)) + " "
    if draw(st.integers(0, 9)) == 0:
        prefix += "&" + draw(st.sampled_from(["a", "b"])) + " "
    return prefix + body


@st.composite
def deep_list(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 3000))
    if draw(st.booleans()):
        return "[" * depth + "x" + "]" * draw(st.sampled_from([depth, depth - 1, 0]))
    return "\n" + "".join("  " * i + "-\n" for i in range(min(depth, 300))) + "  " * depth + "- x"


@st.composite
def long_list(draw: st.DrawFn) -> str:
    """Thousands of items, some repeated: work that grows with the square once hung here."""
    items = draw(st.lists(st.sampled_from(["x", "ALS", "1", "{a: b}", "[x]", "*a"]), max_size=4))
    return "[" + ", ".join((items or ["x"]) * draw(st.integers(1, 3000))) + "]"


@st.composite
def suppression(draw: st.DrawFn) -> str:
    codes = draw(st.lists(st.sampled_from(["GL503", "GL501", "GL9", "", "GL201,"]), max_size=5))
    kind = draw(st.sampled_from(["next-line", "file"]))
    return f"<!-- guidelint-disable-{kind} " + " ".join(codes * draw(st.integers(1, 500))) + " -->"


def _indent(text: str, by: str) -> str:
    return text.replace("\n", "\n" + by)


values = st.recursive(
    scalar(),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(
            lambda items: "".join("\n  - " + _indent(item, "    ") for item in items) or "[]"
        ),
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(st.sampled_from([*SEED_KEYS, "a", "b", "?"]), inner, max_size=3).map(
            lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
        ),
        st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3).map(
            lambda d: "".join(f"\n  {k}: " + _indent(v, "    ") for k, v in d.items())
        ),
        deep_list(),
        long_list(),
    ),
    max_leaves=8,
)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """Mostly the seed's keys with new values, plus strangers, duplicates and raw noise."""
    lines = []
    seed_lines = SEED_FRONT_MATTER.splitlines()
    for line in seed_lines:
        choice = draw(st.integers(0, 9))
        if choice == 0:
            continue  # drop the line
        key = line.split(":")[0]
        if choice == 1 and line[:1].isalpha():
            lines.append(f"{key}: {draw(values)}")
        elif choice == 2 and key in ("id", "supersedes", "superseded_by"):
            lines.append(f"{key}: {draw(st.sampled_from(IDS))}")
        elif choice == 3:
            lines.append(draw(st.sampled_from(["  ", "\t", " "])) + line)
        else:
            lines.append(line)
    extra = draw(st.lists(st.one_of(values, words, st.sampled_from(YAML_BITS)), max_size=3))
    for item in extra:
        key = draw(st.sampled_from([*SEED_KEYS, "a", "b", "<<", "? x", "[k]", "''", ""]))
        lines.insert(draw(st.integers(0, len(lines))), f"{key}: {item}")
    return "\n".join(lines) + "\n"


@st.composite
def body(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return SEED_BODY
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(MARKDOWN_BITS), words, long_line(), st.just("---"), suppression()
            ),
            max_size=12,
        )
    )
    return "\n".join(parts) + draw(st.sampled_from(["\n", "", "\n\n"]))


@st.composite
def built_file(draw: st.DrawFn) -> bytes:
    text = "---\n" + draw(front_matter()) + draw(st.sampled_from(["---", "---  ", "----", "..."]))
    text += "\n" + draw(body())
    if draw(st.integers(0, 7)) == 0:
        text = text.replace("\n", "\r\n")
    if draw(st.integers(0, 15)) == 0:
        text = "\ufeff" + text
    return encode(text)


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "duplicate"]))
        at = draw(st.integers(0, len(data)))
        if kind == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.one_of(st.binary(max_size=8), pieces.map(encode)))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


guideline_file = st.one_of(
    built_file(),
    mutated(SEED),
    built_file().flatmap(mutated),
    st.binary(max_size=300),
)
# Names a file system allows and a report must still show: spaces, tabs, line breaks, accents,
# a byte that is not UTF-8 (kept by Python as the surrogate escape \udce9).
ODD_NAMES = ["a b.md", "tab\t.md", "new\nline.md", "é.md", "caf\udce9.md", "[x] #1.md", "-x.md"]
file_name = st.one_of(st.sampled_from([f"{name}.md" for name in IDS]), st.sampled_from(ODD_NAMES))
corpus = st.dictionaries(file_name, guideline_file, min_size=1, max_size=3)
