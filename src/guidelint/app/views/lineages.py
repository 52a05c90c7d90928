"""The corpus as editors look at it: every version's metadata, and the lineages they form.

A view reads what the files say, as written, and draws problems rather than refusing them: a
link one file makes and the other does not is an edge in its own style, a link to an id no file
has ends at a missing node. What is wrong is the linter's to say; a view shows where.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from guidelint.core.corpus_index import Linked
from guidelint.core.graphs import strongly_connected
from guidelint.core.limits import Limits
from guidelint.readers.document import read_document

# The links a version makes, newer -> older: `supersedes` and `amends`; older -> newer:
# `superseded_by` and `amended_by`.
SUPERSESSION = "supersedes"
AMENDMENT = "amends"


class EdgeState(Enum):
    OK = "ok"
    DRAFT = "draft"  # a draft names what it is meant to replace; nothing names it back yet
    ONE_SIDED = "one-sided"  # one file names the other, which does not name it back
    DANGLING = "dangling"  # a file names a successor that no file has
    # A version names the earlier version it replaced, which the corpus does not keep.
    OUTSIDE = "outside"
    CYCLE = "cycle"  # the link is part of a loop of replacements


PROBLEMS = frozenset({EdgeState.ONE_SIDED, EdgeState.DANGLING, EdgeState.CYCLE})


@dataclass(frozen=True, slots=True)
class Version:
    """One guideline file, as far as the views need it."""

    path: str
    line: int  # where the id is, for links to the file
    id: str
    title: str = ""
    organization: str = ""
    specialty: str = ""
    evidence_system: str = ""
    status: str = ""
    publication_date: date | None = None
    last_reviewed: date | None = None
    next_review_date: date | None = None
    review_dates: tuple[date, ...] = ()
    supersedes: tuple[str, ...] = ()
    superseded_by: tuple[str, ...] = ()
    amends: tuple[str, ...] = ()
    amended_by: tuple[str, ...] = ()

    @property
    def year(self) -> int | None:
        return self.publication_date.year if self.publication_date else None


@dataclass(frozen=True, slots=True)
class Edge:
    """A link from an older version to a newer one (`kind` is supersedes or amends)."""

    older: str
    newer: str
    kind: str
    state: EdgeState
    named_by: frozenset[str] = frozenset({"older", "newer"})  # which end's file names the link

    def problem(self) -> str:
        """The link's problem in plain words; empty when it has none."""
        verb, passive = (
            ("amends", "amended by") if self.kind == AMENDMENT else ("replaces", "replaced by")
        )
        if self.state is EdgeState.DANGLING:
            return f"{self.older} is {passive} {self.newer}, but no file has the id {self.newer}"
        if self.state is EdgeState.CYCLE:
            return (
                f"{self.older} is {passive} {self.newer} in a loop: following the links from "
                f"{self.newer} leads back to {self.older}"
            )
        if self.state is not EdgeState.ONE_SIDED:
            return ""
        if "newer" in self.named_by:
            return f"{self.newer} says it {verb} {self.older}, but {self.older} does not say so"
        return f"{self.older} says it is {passive} {self.newer}, but {self.newer} does not say so"


@dataclass(slots=True)
class Lineage:
    """Versions joined by links, oldest first, with the links between them."""

    versions: list[Version]
    missing: list[
        str
    ]  # ids named by a link that no file has (earlier versions not kept, or errors)
    edges: list[Edge] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The lineage's name: its newest version's id."""
        return self.versions[-1].id if self.versions else self.missing[0]

    @property
    def problems(self) -> list[Edge]:
        return [e for e in self.edges if e.state in PROBLEMS]

    def dangling(self, missing: str) -> bool:
        """Whether an id no file has is named as a successor (a problem), not as an earlier
        version the corpus does not keep."""
        return any(e.newer == missing and e.state is EdgeState.DANGLING for e in self.edges)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _date(value: object) -> date | None:
    """A date as the front matter holds it: a YYYY-MM-DD string (or a YAML date)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _ids(value: object) -> tuple[str, ...]:
    """An id, or a list of ids, as written; anything else names nothing."""
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str) and item.strip())
    return ()


def _review_dates(value: object) -> tuple[date, ...]:
    if not isinstance(value, list):
        return ()
    found = (_date(item.get("date")) for item in value if isinstance(item, dict))
    return tuple(sorted(d for d in found if d is not None))


def version_from(path: str, line: int, meta: dict[str, Any]) -> Version | None:
    """The version a file's front matter describes; None when it has no id."""
    guideline_id = meta.get("id")
    if not isinstance(guideline_id, str) or not guideline_id.strip():
        return None
    return Version(
        path=path,
        line=line,
        id=guideline_id,
        title=_text(meta.get("short_title")) or _text(meta.get("title")),
        organization=_text(meta.get("organization")),
        specialty=_text(meta.get("specialty")),
        evidence_system=_text(meta.get("evidence_system")),
        status=_text(meta.get("status")),
        publication_date=_date(meta.get("publication_date")),
        last_reviewed=_date(meta.get("last_reviewed")),
        next_review_date=_date(meta.get("next_review_date")),
        review_dates=_review_dates(meta.get("review_history")),
        supersedes=_ids(meta.get("supersedes")),
        superseded_by=_ids(meta.get("superseded_by")),
        amends=_ids(meta.get("amends")),
        amended_by=_ids(meta.get("amended_by")),
    )


def read_versions(files: Iterable[tuple[str, str | Path]], limits: Limits) -> list[Version]:
    """The versions of `files` (display path, path on disk) that have readable metadata.

    Files are read with the checker's own limits: a file too large, binary or with front
    matter YAML refuses is left out here, and reported by the check.
    """
    from guidelint.readers.yamlpos import parse_front_matter

    versions = []
    for shown, file in files:
        read = read_document(Path(file), shown, limits)
        if read.document is None:
            continue
        document = read.document
        parsed = parse_front_matter(
            document.front_matter, shown, document.front_matter_first_line, limits
        )
        if not isinstance(parsed.data, dict) or parsed.body_in_front_matter:
            continue
        located = parsed.spans.get(("id",))
        line = located.value.line if located is not None else 1
        version = version_from(shown, line, parsed.data)
        if version is not None:
            versions.append(version)
    return versions


def _claims(versions: dict[str, Version]) -> Iterator[tuple[str, str, str, str]]:
    """Every link a file makes, as (older, newer, kind, which end names it)."""
    for version in versions.values():
        for older in version.supersedes:
            yield older, version.id, SUPERSESSION, "newer"
        for newer in version.superseded_by:
            yield version.id, newer, SUPERSESSION, "older"
        for base in version.amends:
            yield base, version.id, AMENDMENT, "newer"
        for amendment in version.amended_by:
            yield version.id, amendment, AMENDMENT, "older"


def _in_cycles(links: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The links that lie on a loop (older -> newer -> ... -> older): those within one
    strongly connected component, a link from a version to itself included."""
    following: dict[str, set[str]] = {}
    for older, newer in links:
        following.setdefault(older, set()).add(newer)
    component = {
        node: number
        for number, members in enumerate(strongly_connected(following))
        for node in members
    }
    return {
        (older, newer)
        for older, newers in following.items()
        for newer in newers
        if component[older] == component[newer]
    }


def _state(older: str, newer: str, named_by: set[str], versions: dict[str, Version]) -> EdgeState:
    if newer not in versions:
        return EdgeState.DANGLING
    if older not in versions:
        return EdgeState.OUTSIDE
    if named_by == {"newer", "older"}:
        return EdgeState.OK
    if named_by == {"newer"} and versions[newer].status == "draft":
        return EdgeState.DRAFT
    return EdgeState.ONE_SIDED


def lineages(all_versions: Iterable[Version]) -> list[Lineage]:
    """The lineages of the corpus, each with its versions oldest first; the newest first.

    A version with no link is a lineage of one. Where two files share an id, the first by
    path stands for it (the check reports the second).
    """
    versions: dict[str, Version] = {}
    for version in sorted(all_versions, key=lambda v: v.path):
        versions.setdefault(version.id, version)
    named: dict[tuple[str, str, str], set[str]] = {}
    for older, newer, kind, end in _claims(versions):
        named.setdefault((older, newer, kind), set()).add(end)
    looped = _in_cycles((older, newer) for older, newer, _ in named)

    linked = Linked()
    for guideline_id in versions:
        linked.find(guideline_id)
    for older, newer, _ in named:
        linked.join(older, newer)

    groups: dict[str, Lineage] = {}
    for node in list(linked.parent):
        group = groups.setdefault(linked.find(node), Lineage([], []))
        if node in versions:
            group.versions.append(versions[node])
        else:
            group.missing.append(node)
    for (older, newer, kind), named_by in sorted(named.items()):
        state = (
            EdgeState.CYCLE
            if (older, newer) in looped
            else _state(older, newer, named_by, versions)
        )
        groups[linked.find(older)].edges.append(
            Edge(older, newer, kind, state, frozenset(named_by))
        )
    for group in groups.values():
        group.versions.sort(key=lambda v: (v.publication_date or date.max, v.id))
        group.missing.sort()
    return sorted(groups.values(), key=_newest_first)


def _newest_first(lineage: Lineage) -> tuple[int, str]:
    dates = [v.publication_date for v in lineage.versions if v.publication_date]
    newest = max(dates).toordinal() if dates else 0
    return (-newest, lineage.key)
