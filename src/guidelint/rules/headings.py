"""GL5xx: the heading structure of the body."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING

from guidelint.checks.file_context import FileContext
from guidelint.core.diagnostic import Severity
from guidelint.core.span import Span
from guidelint.rules.base import Finding, Rule, file_rule

# The fix types and the outline's heading keys are imported where a finding is made: a run
# answered from the cache imports the rules, to know their codes, but checks no file.
if TYPE_CHECKING:
    from guidelint.core.fixes import Edit, Fix
    from guidelint.readers.outline import Heading

ATX_OPENING = re.compile(r"( {0,3})(#{1,6})(?=[ \t]|$)")
# A closing sequence of #s, with the blanks around it, and trailing blanks (CommonMark 4.2).
ATX_CLOSING = re.compile(r"(?:[ \t]+#+)?[ \t]*$")
TRAILING_PUNCTUATION = ".,;:!\u3002\uff0c\uff1b\uff1a\uff01"  # and their full-width forms
PUNCTUATION_ENDS = frozenset(TRAILING_PUNCTUATION)
# What comes before the ';' that closes a character reference (&eacute; &#233; &#xE9;).
REFERENCE_BEFORE_SEMICOLON = re.compile(
    r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6})$"
)


def _marks(level: int) -> str:
    return "#" * level


@file_rule("GL501", "missing-required-section")
def missing_required_section(ctx: FileContext) -> Iterator[Finding]:
    """
    A required section is missing, or is not a level-2 heading.

    ## What it does
    Checks that the body has a `## Scope` and a `## Key Recommendations` heading. Case and
    spacing do not matter; the level does. A heading that differs from a required one only by
    punctuation, case or spacing (`## Scope:`, `## Key-Recommendations`) is reported where it
    is, with what to change, rather than as a missing section.

    ## Why is this bad?
    Readers and tools jump to these sections in every guideline.

    ## Example
    ```markdown
    ## Summary
    ...
    ```

    Use instead:
    ```markdown
    ## Scope
    ...
    ## Key Recommendations
    ...
    ```
    """
    headings = ctx.outline.headings
    for name, wanted in _section_keys(tuple(ctx.settings.required_sections)):
        matches = [h for h in headings if h.key == wanted]
        if any(h.level == 2 for h in matches):
            continue
        if matches:
            h = matches[0]
            yield Finding(
                h.span,
                f"section '{h.text}' is a level-{h.level} heading; make it '## {name}'",
            )
        elif (near := _near_miss(headings, name)) is not None:
            yield Finding(
                near.span,
                f"heading '{_marks(near.level)} {near.text}' should be '## {name}' (a required "
                f"section); {_difference(near, name)}",
            )
        else:
            line = min(ctx.outline.first_line, ctx.document.line_count)
            yield Finding(
                Span.point(line),
                f"the body has no '## {name}' section; add one",
            )


def _letters(text: str) -> str:
    """A heading's letters and digits only: what is left when punctuation, case and spacing
    do not count."""
    return "".join(c for c in text.casefold() if c.isalnum())


def _near_miss(headings: Sequence[Heading], name: str) -> Heading | None:
    """The first heading that is the required section written with other punctuation, case or
    spacing (`## Scope:`, `### Key-Recommendations`): adding another would make a duplicate."""
    wanted = _letters(name)
    return next((h for h in headings if wanted and _letters(h.text) == wanted), None)


def _difference(h: Heading, name: str) -> str:
    """What to change, in a few words."""
    from guidelint.readers.outline import heading_key

    trimmed = h.text.rstrip(TRAILING_PUNCTUATION + " \t")
    if trimmed != h.text and heading_key(trimmed) == heading_key(name):
        changes = [f"remove the '{h.text[len(trimmed) :].strip()}'"]
    else:
        changes = [f"write it '{name}'"]
    if h.level != 2:
        changes.append("make it a level-2 heading")
    return " and ".join(changes)


@cache
def _section_keys(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """Each required section with the key its heading must have (as Heading.key makes it)."""
    from guidelint.readers.outline import heading_key

    return [(name, heading_key(name)) for name in names]


@file_rule("GL502", "title-heading-in-body")
def title_heading_in_body(ctx: FileContext) -> Iterator[Finding]:
    """
    The body has a level-1 heading.

    ## What it does
    Reports `# Title` and setext headings underlined with `===`.

    ## Why is this bad?
    The title lives in the front matter (`title:`); a second title in the body drifts from it
    and breaks the outline, which starts at level 2.

    ## Example
    ```markdown
    # Management of ALS
    ## Scope
    ```

    Use instead:
    ```markdown
    ## Scope
    ```
    """
    for h in ctx.outline.headings:
        if h.level == 1:
            yield Finding(
                h.span,
                f"level-1 heading '{h.text}' in the body; the title belongs in the front matter, "
                f"so remove it or make it '## {h.text}'",
            )


@file_rule("GL503", "skipped-heading-level", fix="safe")
def skipped_heading_level(ctx: FileContext) -> Iterator[Finding]:
    """
    A heading skips a level, such as `###` right after `#` or `####` after `##`.

    ## What it does
    Compares each heading's level with the previous heading's; the title in the front matter
    counts as level 1, so the first heading should be `##`.

    Fix (safe): raises the heading to the level after the previous one, and its subsections
    and following siblings with it, so the outline keeps its shape (`## A`, `#### B`,
    `##### C`, `#### D` become `## A`, `### B`, `#### C`, `### D`).

    ## Why is this bad?
    Screen readers and tables of contents rely on a nested outline.

    ## Example
    ```markdown
    ## Key Recommendations
    #### Diagnosis
    ```

    Use instead:
    ```markdown
    ## Key Recommendations
    ### Diagnosis
    ```
    """
    previous = 1
    headings = ctx.outline.headings
    lines: list[str] = []  # split once, at the first jump, however many jumps follow
    for index, h in enumerate(headings):
        if h.level > previous + 1:
            lines = lines or ctx.document.text.split("\n")
            yield Finding(
                h.span,
                f"heading '{h.text}' jumps from level {previous} to level {h.level}; make it "
                f"'{_marks(previous + 1)} {h.text}'",
                _raise_headings(lines, headings, index, h.level - previous - 1),
            )
        previous = h.level


def _raise_headings(
    lines: list[str], headings: Sequence[Heading], first_index: int, by: int
) -> Fix | None:
    """Take `by` levels off the heading at `first_index` and the ones after it at its level or
    deeper (an index, not a slice: a file may hold thousands of jumps, and copying the rest
    for each would be quadratic)."""
    from guidelint.core.fixes import Edit, Fix

    edits = []
    first = headings[first_index]
    for index in range(first_index, len(headings)):
        h = headings[index]
        if h.level < first.level:
            break
        if h.setext:
            return None  # setext headings are levels 1 and 2 only; nothing here to raise
        match = ATX_OPENING.match(lines[h.span.line - 1])
        if match is None or len(match[2]) != h.level:
            return None
        column = len(match[1]) + 1
        edits.append(Edit(h.span.line, column, h.span.line, column + h.level, _marks(h.level - by)))
    return Fix.safe(f"make '{first.text}' a level-{first.level - by} heading", *edits)


@file_rule("GL504", "duplicate-sibling-heading")
def duplicate_sibling_heading(ctx: FileContext) -> Iterator[Finding]:
    """
    Two headings under the same parent have the same text.

    ## What it does
    Reports the second of two sibling headings whose text matches (ignoring case and
    spacing). The same heading under different parents is fine.

    ## Why is this bad?
    Links to a section go to the first one, and readers cannot tell the two apart.

    ## Example
    ```markdown
    ## Key Recommendations
    ### Diagnosis
    ### Diagnosis
    ```

    Use instead: merge the two sections, or give them different names.
    """
    seen: dict[int, dict[str, Heading]] = {}
    for h in ctx.outline.headings:
        for level in [lvl for lvl in seen if lvl > h.level]:
            del seen[level]
        siblings = seen.setdefault(h.level, {})
        first = siblings.get(h.key)
        if first is not None:
            yield Finding(
                h.span,
                f"heading '{h.text}' repeats the heading on line {first.span.line} under the "
                "same parent; merge the sections or rename one",
            )
        else:
            siblings[h.key] = h


@file_rule("GL505", "empty-section")
def empty_section(ctx: FileContext) -> Iterator[Finding]:
    """
    A section has no content.

    ## What it does
    Reports a heading followed directly by a heading of the same or a higher level, or by the
    end of the file. HTML comments do not count as content;
    subsections do.

    ## Why is this bad?
    An empty section is a placeholder left behind, and readers expect something there.

    ## Example
    ```markdown
    ## Scope
    ## Key Recommendations
    ```

    Use instead: write the section, or remove the heading.
    """
    for h in ctx.outline.headings:
        if not h.has_content:
            yield Finding(h.span, f"section '{h.text}' is empty; add content or remove the heading")


@file_rule("GL506", "heading-trailing-punctuation", Severity.WARNING, fix="safe")
def heading_trailing_punctuation(ctx: FileContext) -> Iterator[Finding]:
    """
    A heading ends with punctuation or with spaces.

    ## What it does
    Reports a heading that ends in `.`, `,`, `;`, `:` or `!` (a question mark is fine), and a
    heading line with spaces or tabs at its end.

    Fix (safe): removes the trailing punctuation and blanks; a closing `##` sequence stays,
    and so does the `;` that ends a character reference such as `&eacute;` or `&#233;`.

    ## Why is this bad?
    A heading is a name, not a sentence; `## Scope:` and `## Scope` make two different
    section names to tools that look sections up, and trailing blanks are invisible edits
    that make diffs noisy.

    ## Example
    ```markdown
    ## Key Recommendations:
    ```

    Use instead:
    ```markdown
    ## Key Recommendations
    ```
    """
    headings = ctx.outline.headings
    punctuated = any(h.text[-1:] in PUNCTUATION_ENDS for h in headings)
    body = ctx.document.body
    blank_ends = " \n" in body or "\t\n" in body or body.endswith((" ", "\t"))
    if not headings or not (punctuated or blank_ends):
        return  # the common case, decided without splitting the file into lines
    from guidelint.core.fixes import Edit, Fix

    lines = ctx.document.text.split("\n")
    for h in headings:
        number = h.span.end_line - 1 if h.setext else h.span.line
        line = lines[number - 1]
        closing = ATX_CLOSING.search(line) if not h.setext else re.search(r"[ \t]*$", line)
        assert closing is not None  # both patterns match the empty end of any line
        content = line[: closing.start()]
        kept = _without_punctuation(content)
        punctuation = content[len(kept) :]
        blanks = line[len(line.rstrip(" \t")) :]
        if punctuation and h.text.endswith(punctuation[-1]):
            fix = None
            # The blanks before it go too, in the same edit: one problem, one fix.
            name = kept.rstrip(" \t")
            if name.strip(" \t#") and not name.endswith("\\") and not _closes(name, h.setext):
                fix = Fix.safe(
                    f"remove '{punctuation}' from the end of the heading",
                    Edit.delete(number, len(name) + 1, number, len(content) + 1),
                    *_drop_blanks(number, line),
                )
            yield Finding(
                h.span,
                f"heading '{h.text}' ends with '{punctuation}'; a heading is a name, so remove it",
                fix,
            )
        elif blanks:
            yield Finding(
                Span(number, len(line) - len(blanks) + 1, number, len(line) + 1),
                f"heading '{h.text}' has blanks at the end of its line; remove them",
                Fix.safe("remove the blanks", *_drop_blanks(number, line)),
            )


def _closes(name: str, setext: bool) -> bool:
    """Whether an ATX heading ending this way would end in a closing sequence of #s."""
    return not setext and bool(re.search(r"[ \t]#+$", name))


def _without_punctuation(content: str) -> str:
    """The heading without its trailing punctuation; the ';' ending `&eacute;` is not any."""
    kept = content
    while kept and kept[-1] in PUNCTUATION_ENDS:
        if kept[-1] == ";" and REFERENCE_BEFORE_SEMICOLON.search(kept, 0, len(kept) - 1):
            break
        kept = kept[:-1]
    return kept


def _drop_blanks(number: int, line: str) -> list[Edit]:
    from guidelint.core.fixes import Edit

    kept = line.rstrip(" \t")
    return [Edit.delete(number, len(kept) + 1, number, len(line) + 1)] if kept != line else []


RULES: list[Rule] = [
    missing_required_section,
    title_heading_in_body,
    skipped_heading_level,
    duplicate_sibling_heading,
    empty_section,
    heading_trailing_punctuation,
]
