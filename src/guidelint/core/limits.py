"""Resource bounds: every input is processed with bounded work and memory.

Each limit can be set in the `limits` table of the configuration (`max-file-bytes`, ...); going
over one is a diagnostic (GL010 or GL011) that names the limit, never a crash or a hang. A limit
cannot be raised past its ceiling (`CEILINGS`): the settings may come from the checked
repository, and no value there may make one file cost more than about a gigabyte of memory, a
few seconds, or a crash.
"""

from __future__ import annotations

from dataclasses import dataclass

# The Markdown parser (pyromark: pulldown-cmark) keeps its nesting on the heap, so 50,000
# levels of lists or 100,000 of quotes or images parse without a crash; the ceiling bounds what
# a configuration may ask for all the same, far past the few levels guideline text uses.
MAX_MARKDOWN_DEPTH_CEILING = 2000
# Inline markers (`*`, `_`, `[`) one paragraph may hold, per level of max-markdown-depth:
# emphasis and image text nest once per marker, so this bounds inline nesting as the depth
# bounds lists and quotes.
INLINE_MARKERS_PER_LEVEL = 10


# The highest value each limit may be given, and why. Measured on one file, in one process.
CEILINGS: dict[str, tuple[int, str]] = {
    "max_file_bytes": (
        64 * 1024 * 1024,
        "the whole file is held in memory, twice (its bytes and its text)",
    ),
    "max_front_matter_bytes": (
        4 * 1024 * 1024,
        "the YAML reader takes about 160 times the front matter's size in memory",
    ),
    "max_yaml_values": (
        1_000_000,
        "each value takes about 270 bytes of memory; a million take a quarter of a gigabyte",
    ),
    "max_yaml_depth": (
        200,
        "metadata nested more than about 450 levels deep overflows the reader's stack",
    ),
    "max_markdown_depth": (
        MAX_MARKDOWN_DEPTH_CEILING,
        "the Markdown parser cannot read deeper bodies safely",
    ),
    "max_markdown_bytes": (
        2 * 1024 * 1024,
        "the Markdown parser takes up to 500 times the body's size in memory",
    ),
}


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 10 * 1024 * 1024
    max_front_matter_bytes: int = 256 * 1024
    # Values built from the front matter after aliases are expanded; the seed has about 40.
    max_yaml_values: int = 10_000
    max_yaml_depth: int = 64
    # Columns of list, quote and indentation markers that start a line of the body: an upper
    # bound on how deep its lists and quotes nest. Guidelines use a handful.
    max_markdown_depth: int = 1000
    # The body given to the Markdown parser, whose tree takes 100 to 500 times its size in
    # memory; a guideline's text is tens to hundreds of kilobytes.
    max_markdown_bytes: int = 1024 * 1024

    @property
    def max_inline_markers(self) -> int:
        return self.max_markdown_depth * INLINE_MARKERS_PER_LEVEL


DEFAULT_LIMITS = Limits()
