"""Resource bounds: every input is processed with bounded work and memory.

Each limit can be set in the `limits` table of the configuration (`max-file-bytes`, ...); going
over one is a diagnostic (GL010 or GL011) that names the limit, never a crash or a hang.
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
