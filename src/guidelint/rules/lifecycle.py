"""GL3xx: lifecycle and identity of one guideline, checked without the rest of the corpus."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from guidelint.checks.file_context import FileContext
from guidelint.core.corpus_index import LINK_KEYS
from guidelint.core.diagnostic import Severity
from guidelint.core.safe_text import UNSAFE
from guidelint.rules.base import Finding, Rule, file_rule

WITHDRAWAL_KEYS = ("withdrawn_date", "withdrawal_reason", "referred_to")

# The fix types are imported where a fix is made: a run answered from the cache imports the
# rules, to know their codes, but checks no file.
if TYPE_CHECKING:
    from guidelint.core.fixes import Fix, FixKind

ID_YEAR = re.compile(r"-((?:19|20)\d{2})$")
DRIVE = re.compile(r"[A-Za-z]:")
URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")  # two letters or more: C: is a drive


@file_rule("GL301", "current-has-successor")
def current_has_successor(ctx: FileContext) -> Iterator[Finding]:
    """
    A guideline marked `current` names a successor in `superseded_by`.

    ## What it does
    Reports `superseded_by` set while `status` is `current`.

    ## Why is this bad?
    A replaced guideline is no longer current; readers would follow outdated advice.

    ## Example
    ```yaml
    status: current
    superseded_by: aan-als-2024
    ```

    Use instead:
    ```yaml
    status: superseded
    superseded_by: aan-als-2024
    ```
    """
    g = ctx.guideline
    if g.status == "current" and g.superseded_by:
        yield Finding(
            ctx.value_span("status"),
            f"status is current but superseded_by names {', '.join(g.ids('superseded_by'))}; "
            "set status: "
            "superseded, or clear superseded_by if this is still the current version",
        )


@file_rule("GL302", "superseded-without-successor")
def superseded_without_successor(ctx: FileContext) -> Iterator[Finding]:
    """
    A guideline marked `superseded` does not name its successor.

    ## What it does
    Reports `status: superseded` with `superseded_by` missing or null.

    ## Why is this bad?
    Readers of an old version must be able to find the version that replaced it.

    ## Example
    ```yaml
    status: superseded
    superseded_by: null
    ```

    Use instead:
    ```yaml
    status: superseded
    superseded_by: aan-als-2024
    ```
    """
    g = ctx.guideline
    if g.status == "superseded" and not g.superseded_by and "superseded_by" not in _bad(ctx):
        yield Finding(
            ctx.value_span("status"),
            "status is superseded but superseded_by is empty; set superseded_by to the id of "
            "the version that replaces this one",
        )


def _bad(ctx: FileContext) -> set[str]:
    """Keys whose values were already reported by an earlier stage."""
    return {p.key for p in ctx.schema_problems if p.key} | {p.key for p in ctx.field_problems}


@file_rule("GL303", "supersedes-without-previous-date")
def supersedes_without_previous_date(ctx: FileContext) -> Iterator[Finding]:
    """
    Only one of `supersedes` and `previous_version_date` is set.

    ## What it does
    Reports a guideline that names the version it replaces without that version's date, or
    gives a previous version's date without naming it.

    ## Why is this bad?
    Both describe the same predecessor; one without the other is an unfinished edit.

    ## Example
    ```yaml
    supersedes: aan-als-2009
    previous_version_date: null
    ```

    Use instead:
    ```yaml
    supersedes: aan-als-2009
    previous_version_date: 2009-10-13
    ```
    """
    g = ctx.guideline
    bad = _bad(ctx)
    if "supersedes" in bad or "previous_version_date" in bad:
        return
    if g.supersedes and not g.previous_version_date:
        named = g.ids("supersedes")
        which = named[0] if len(named) == 1 else f"the latest of {', '.join(named)}"
        yield Finding(
            ctx.value_span("supersedes"),
            f"supersedes names {', '.join(named)} but previous_version_date is empty; set it "
            f"to the publication date of {which}",
        )
    elif g.previous_version_date and not g.supersedes:
        yield Finding(
            ctx.value_span("previous_version_date"),
            "previous_version_date is set but supersedes is empty; set supersedes to the id "
            "of the previous version, or clear previous_version_date",
        )


@file_rule("GL304", "links-to-itself")
def links_to_itself(ctx: FileContext) -> Iterator[Finding]:
    """
    `supersedes`, `superseded_by`, `amends` or `amended_by` names the guideline's own id.

    ## What it does
    Reports a supersession or amendment link from a guideline to itself, in a single id or
    in a list.

    ## Why is this bad?
    A version cannot replace itself; the id of the neighbouring version was meant.

    ## Example
    ```yaml
    id: aan-als-2024
    supersedes: aan-als-2024
    ```

    Use instead:
    ```yaml
    id: aan-als-2024
    supersedes: aan-als-2009
    ```
    """
    g = ctx.guideline
    for key in LINK_KEYS:
        if g.id and g.id in g.ids(key):
            yield Finding(
                ctx.value_span(key),
                f"{key} names this guideline's own id {g.id}; remove it and name the "
                + ("previous version" if key == "supersedes" else _OTHER[key])
                + " instead",
            )


_OTHER = {
    "superseded_by": "next version",
    "amends": "guideline this one updates",
    "amended_by": "focused update",
}


@file_rule("GL305", "has-pdf-mismatch", fix="safe")
def has_pdf_mismatch(ctx: FileContext) -> Iterator[Finding]:
    """
    `has_pdf` disagrees with `pdf_path`.

    ## What it does
    Reports `has_pdf: true` without a `pdf_path`, and `has_pdf: false` with one.

    Fix: sets `has_pdf` from `pdf_path`. `has_pdf: false` with a path becomes `true` (safe);
    `has_pdf: true` without a path becomes `false` (unsafe: perhaps the path is what is
    missing).

    ## Why is this bad?
    Download links are built from these two keys; when they disagree a link is missing or
    broken.

    ## Example
    ```yaml
    pdf_path: pdfs/aan-als-2024.pdf
    has_pdf: false
    ```

    Use instead:
    ```yaml
    pdf_path: pdfs/aan-als-2024.pdf
    has_pdf: true
    ```
    """
    g = ctx.guideline
    if g.has_pdf is None or "pdf_path" in _bad(ctx):
        return
    span = ctx.value_span("has_pdf")
    if g.has_pdf and not g.pdf_path:
        yield Finding(
            span,
            "has_pdf is true but pdf_path is empty; set pdf_path to the PDF's path, or set "
            "has_pdf: false",
            _set_has_pdf(ctx, "false", "unsafe"),
        )
    elif not g.has_pdf and g.pdf_path:
        yield Finding(
            span,
            f"has_pdf is false but pdf_path is {g.pdf_path}; set has_pdf: true",
            _set_has_pdf(ctx, "true", "safe"),
        )


def _set_has_pdf(ctx: FileContext, value: str, applicability: FixKind) -> Fix | None:
    from guidelint.core.fixes import Edit, Fix, written

    span = ctx.value_span("has_pdf")
    old = written(ctx.document.text, span)
    if old is None or old.strip("'\"").casefold() not in (
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
    ):
        return None
    return Fix(applicability, f"set has_pdf: {value}", (Edit.replace(span, value),))


def _percent_decoded(path: str) -> str:
    from urllib.parse import unquote  # only for a path with a percent sign

    return unquote(path)


@file_rule("GL306", "bad-pdf-path")
def bad_pdf_path(ctx: FileContext) -> Iterator[Finding]:
    """
    `pdf_path` is not a relative path to a `.pdf` inside the repository.

    ## What it does
    Reports a `pdf_path` that is absolute (`/srv/x.pdf`, `C:\\x.pdf`), starts from a home
    folder (`~/x.pdf`), is a web address or any other URL (`https:`, `file:`), uses
    backslashes, holds a control character, climbs out of the repository with `..` (also when
    written with percent escapes, `%2e%2e`), or does not end in `.pdf`. The path is never
    opened.

    ## Why is this bad?
    PDFs are kept in the repository so that links work on every machine; a path that leaves
    it points at whatever the reader's machine or a web server keeps there.

    ## Example
    ```yaml
    pdf_path: C:\\Users\\me\\aan-als.pdf
    ```

    Use instead:
    ```yaml
    pdf_path: pdfs/aan-als-2024.pdf
    ```
    """
    path = ctx.guideline.pdf_path
    if not path:
        return
    problem = _pdf_path_problem(path)
    if problem is None:
        decoded = _percent_decoded(path) if "%" in path else path
        problem = _pdf_path_problem(decoded) if decoded != path else None
        if problem is not None:
            problem += " once its percent escapes are decoded"
    if problem is not None:
        yield Finding(
            ctx.value_span("pdf_path"),
            "pdf_path must be a path inside the repository, such as pdfs/aan-als-2024.pdf; "
            f"'{path}' {problem}",
        )


def _pdf_path_problem(path: str) -> str | None:
    """What makes `path` something other than a relative path to a PDF in the repository."""
    if UNSAFE.search(path):
        return "holds a control character"
    if path.startswith("~"):
        return "starts with '~'"
    if DRIVE.match(path):
        return f"starts with the drive letter {path[:2]}"
    scheme = URL_SCHEME.match(path)
    if scheme:
        if scheme[1].lower() in ("http", "https"):
            return "is a web address"
        return f"starts with '{scheme[0]}', which makes it a URL"
    if "\\" in path:
        return "uses backslashes"
    if path.startswith("/"):
        return "is absolute"
    if posixpath.normpath(path).split("/")[0] == "..":
        return "points outside the repository"
    if not path.lower().endswith(".pdf"):
        return "does not end in .pdf"
    return None


@file_rule("GL307", "file-name-mismatch")
def file_name_mismatch(ctx: FileContext) -> Iterator[Finding]:
    """
    The file name is not the guideline's id followed by `.md`.

    ## What it does
    Compares the file name with `id`.

    ## Why is this bad?
    Links and scripts find a guideline by its id; a file named otherwise cannot be found.

    ## Example
    `seeds/als-guideline.md` with `id: aan-als-2024`.

    Use instead: rename the file to `seeds/aan-als-2024.md`.
    """
    g = ctx.guideline
    if g.id and ctx.file.name != f"{g.id}.md":
        shown = ctx.path.rsplit("/", 1)[-1]  # as displayed: a name that is not UTF-8 escaped
        yield Finding(
            ctx.value_span("id"),
            f"file is named {shown} but id is {g.id}; rename the file to {g.id}.md "
            "or correct the id",
        )


@file_rule("GL308", "id-year-mismatch", Severity.WARNING)
def id_year_mismatch(ctx: FileContext) -> Iterator[Finding]:
    """
    The year at the end of the id differs from the publication year.

    ## What it does
    Warns when an id such as `aan-als-2024` ends in a year other than the year of
    `publication_date`.

    ## Why is this bad?
    Ids carry the publication year by convention; a mismatch usually means an id copied from
    the previous version. Some organisations date their ids otherwise: ADA's Standards of
    Care come out in December of the year before the one in their id. For them, silence the
    rule by file name:

    ```toml
    [tool.guidelint.per-file-ignores]
    "ada-*" = ["GL308"]
    ```

    ## Example
    ```yaml
    id: aan-als-2023
    publication_date: 2024-06-01
    ```

    Use instead:
    ```yaml
    id: aan-als-2024
    publication_date: 2024-06-01
    ```
    """
    g = ctx.guideline
    if not (g.id and g.publication_date):
        return
    match = ID_YEAR.search(g.id)
    if match and int(match.group(1)) != g.publication_date.year:
        organisation = g.id.split("-", 1)[0]
        yield Finding(
            ctx.value_span("id"),
            f"id {g.id} ends in {match.group(1)} but publication_date is in "
            f"{g.publication_date.year}; check the id and the date (if {organisation} dates "
            f'its ids this way on purpose, add "{organisation}-*" = ["GL308"] under '
            "[tool.guidelint.per-file-ignores] in the configuration)",
        )


@file_rule("GL309", "withdrawal-fields-not-withdrawn")
def withdrawal_fields_not_withdrawn(ctx: FileContext) -> Iterator[Finding]:
    """
    Withdrawal keys are set on a guideline that is not withdrawn.

    ## What it does
    Reports each of `withdrawn_date`, `withdrawal_reason` and `referred_to` with a value
    while `status` is not `withdrawn`.

    ## Why is this bad?
    Readers are told a guideline in force (or replaced, or still a draft) was withdrawn; one
    of the two is out of date.

    ## Example
    ```yaml
    status: current
    withdrawn_date: 2020-01-01
    ```

    Use instead: `status: withdrawn` if it was withdrawn, or remove `withdrawn_date`.
    """
    g = ctx.guideline
    if g.status in (None, "withdrawn"):
        return
    for key in WITHDRAWAL_KEYS:
        if ctx.meta.get(key) is not None:
            yield Finding(
                ctx.value_span(key),
                f"{key} is set but status is {g.status}; remove {key}, or set status: "
                "withdrawn if the issuing body withdrew this guideline",
            )


@file_rule("GL310", "withdrawn-without-date", Severity.WARNING)
def withdrawn_without_date(ctx: FileContext) -> Iterator[Finding]:
    """
    A guideline marked `withdrawn` does not say when.

    ## What it does
    Reports `status: withdrawn` with `withdrawn_date` missing or null. A warning: files
    written before the key existed stay valid until the date is added.

    ## Why is this bad?
    Whether advice was in force on a given day (for an audit, a complaint, a citation)
    depends on the date it was withdrawn.

    ## Example
    ```yaml
    status: withdrawn
    ```

    Use instead:
    ```yaml
    status: withdrawn
    withdrawn_date: 2019-05-01
    withdrawal_reason: outdated
    ```
    """
    g = ctx.guideline
    if g.status == "withdrawn" and ctx.meta.get("withdrawn_date") is None:
        yield Finding(
            ctx.value_span("status"),
            "status is withdrawn but withdrawn_date is empty; add withdrawn_date: YYYY-MM-DD, "
            "the date the issuing body withdrew it",
        )


@file_rule("GL311", "withdrawn-with-successor")
def withdrawn_with_successor(ctx: FileContext) -> Iterator[Finding]:
    """
    A guideline marked `withdrawn` names a successor in `superseded_by`.

    ## What it does
    Reports `superseded_by` set while `status` is `withdrawn`.

    ## Why is this bad?
    A guideline replaced by a newer version is `superseded`, not `withdrawn`; a withdrawn one
    has no successor, and readers are sent elsewhere with `referred_to`.

    ## Example
    ```yaml
    status: withdrawn
    superseded_by: nice-ng17-2015
    ```

    Use instead:
    ```yaml
    status: superseded
    superseded_by: nice-ng17-2015
    ```
    """
    g = ctx.guideline
    if g.status == "withdrawn" and g.superseded_by:
        named = ", ".join(g.ids("superseded_by"))
        yield Finding(
            ctx.value_span("superseded_by"),
            f"status is withdrawn but superseded_by names {named}; if {named} replaces this "
            "guideline set status: superseded (and remove the withdrawal keys), otherwise "
            f"remove superseded_by and name {named} in referred_to",
        )


RULES: list[Rule] = [
    current_has_successor,
    superseded_without_successor,
    supersedes_without_previous_date,
    links_to_itself,
    has_pdf_mismatch,
    bad_pdf_path,
    file_name_mismatch,
    id_year_mismatch,
    withdrawal_fields_not_withdrawn,
    withdrawn_without_date,
    withdrawn_with_successor,
]
