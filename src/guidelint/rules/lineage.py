"""GL4xx: lineage across the corpus, in one linear pass over the id index."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from guidelint.corpus import CorpusIndex, Entry, Linked
from guidelint.rule import CorpusFinding, Rule, corpus_rule

# The fix types and the hints are imported where a finding is made: a run answered from the
# cache imports the rules, to know their codes, but runs none.
if TYPE_CHECKING:
    from guidelint.fix import Fix


def _at(
    entry: Entry, key: str, message: str, *about: Entry, fix: Fix | None = None
) -> CorpusFinding:
    return CorpusFinding(
        entry.path, entry.span(key), message, tuple(e.path for e in about), fix=fix
    )


def _set(entry: Entry, description: str, *values: tuple[str, str]) -> Fix:
    """An unsafe fix setting top-level values in `entry`'s file."""
    from guidelint.fix import Fix

    return Fix("unsafe", description, values=values, path=entry.path)


# A message names at most this many files or ids: n copies of one id would otherwise make
# n messages of n names each, gigabytes of output for a large corpus.
MAX_LISTED = 10


def listed(names: list[str]) -> str:
    if len(names) <= MAX_LISTED:
        return ", ".join(names)
    return ", ".join(names[:MAX_LISTED]) + f" and {len(names) - MAX_LISTED} more"


@corpus_rule("GL401", "duplicate-id")
def duplicate_id(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    Two or more files use the same id.

    ## What it does
    Reports the id in every file that shares it, naming the other files.

    ## Why is this bad?
    Links, lineage and file names all rely on ids being unique.

    ## Example
    `aan-als-2024.md` and `aan-als-2024-copy.md` both with `id: aan-als-2024`.

    Use instead: give each version its own id, or delete the copy.
    """
    for guideline_id, entries in index.by_id.items():
        if len(entries) < 2:
            continue
        for entry in entries:
            others = listed([e.path for e in entries if e is not entry])
            yield _at(
                entry,
                "id",
                f"id {guideline_id} is also used by {others}; every guideline version needs "
                "its own id",
            )


@corpus_rule("GL402", "unknown-successor")
def unknown_successor(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    `superseded_by` names an id that is not in the corpus.

    ## What it does
    Reports a successor id that no file has, suggesting the closest id that exists, other
    than the file's own id or one of the versions it replaces (either would make a loop). (A
    `supersedes` naming an id outside the corpus is allowed: old versions are often not kept.)

    ## Why is this bad?
    Readers of the old version are sent to a guideline that does not exist.

    ## Example
    ```yaml
    superseded_by: aan-als-2042
    ```

    Use instead:
    ```yaml
    superseded_by: aan-als-2024
    ```
    """
    older_than: dict[str, list[str]] | None = None  # built at the first finding: most have none
    for entry in index.entries:
        if entry.superseded_by and entry.superseded_by not in index:
            if older_than is None:
                older_than = _older_than(index)
            # The file itself, or a version it replaces, would make a loop: never the hint.
            ruled_out = _ancestors(index, older_than, entry)
            from guidelint.suggest import did_you_mean

            hint = did_you_mean(
                entry.superseded_by, sorted(index.known_ids - ruled_out - {entry.id})
            )
            yield _at(
                entry,
                "superseded_by",
                f"superseded_by names {entry.superseded_by}, which is not an id in this corpus"
                f"{hint}; correct the id or add the newer version",
            )


def _older_than(index: CorpusIndex) -> dict[str, list[str]]:
    """The ids that name each id as their successor."""
    older: dict[str, list[str]] = {}
    for entry in index.entries:
        if entry.superseded_by:
            older.setdefault(entry.superseded_by, []).append(entry.id)
    return older


def _ancestors(index: CorpusIndex, older_than: dict[str, list[str]], entry: Entry) -> set[str]:
    """Every id `entry` replaces, directly or not, through either half of a link."""
    found: set[str] = set()
    waiting = [entry.id]
    while waiting:
        current = waiting.pop()
        here = index.unique(current)
        parents = [
            *older_than.get(current, ()),
            *([here.supersedes] if here and here.supersedes else []),
        ]
        for parent in parents:
            if parent not in found:
                found.add(parent)
                waiting.append(parent)
    return found


@corpus_rule("GL403", "one-sided-link", fix="unsafe")
def one_sided_link(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    A supersession link is stated in one file but not in the other.

    ## What it does
    When a guideline `supersedes` another that is in the corpus, the other must name it in
    `superseded_by`, and the other way round. Both files are reported, at the keys to change.

    Fix (unsafe): writes the missing half in the other file. In the older version it sets
    `superseded_by` to the newer id, and `status: superseded` if it was `current`; in the
    newer version it sets `supersedes` to the older id, and `previous_version_date` to the
    older version's `publication_date` when that is empty (and earlier). A file that names a
    different version is left for you to decide, and so is a link the dates contradict (the
    newer version published first: GL407) or one that would close a loop (GL404). Unsafe
    because the link you wrote may be the wrong half; check the result. Only files being
    checked are changed.

    ## Why is this bad?
    Readers of the old version are not sent to the new one, or the new one does not say what
    it replaces.

    ## Example
    `aan-als-2024.md` has `supersedes: aan-als-2009`, but `aan-als-2009.md` has
    `superseded_by: null`.

    Use instead: in `aan-als-2009.md`, set `superseded_by: aan-als-2024` and
    `status: superseded`.
    """
    for entry in index.entries:
        older = index.unique(entry.supersedes)
        if older is None or older is entry or older.superseded_by == entry.id:
            continue
        newer = entry
        says = (
            f"names {older.superseded_by} as its successor"
            if older.superseded_by
            else "names no successor"
        )
        fix = None
        if not older.superseded_by and _may_link(index, older, newer):
            values = [("superseded_by", newer.id)]
            if older.status in (None, "current"):
                values.append(("status", "superseded"))
            fix = _set(older, f"set superseded_by: {newer.id} in {older.path}", *values)
        yield _at(
            newer,
            "supersedes",
            f"supersedes names {older.id}, but {older.path} {says}; set superseded_by: "
            f"{newer.id} there",
            fix=fix,
        )
        yield _at(
            older,
            "superseded_by",
            f"{newer.path} says it supersedes this guideline; set superseded_by: {newer.id}",
            fix=fix,
        )
    for entry in index.entries:
        successor = index.unique(entry.superseded_by)
        if successor is None or successor is entry or successor.supersedes == entry.id:
            continue
        older, newer = entry, successor
        says = f"supersedes {newer.supersedes}" if newer.supersedes else "supersedes nothing"
        fix = None
        if not newer.supersedes and _may_link(index, older, newer):
            values = [("supersedes", older.id)]
            if not newer.previous_version_date and _earlier(older, newer):
                assert older.publication_date is not None  # for mypy: _earlier says so
                values.append(("previous_version_date", older.publication_date.isoformat()))
            fix = _set(newer, f"set supersedes: {older.id} in {newer.path}", *values)
        yield _at(
            older,
            "superseded_by",
            f"superseded_by names {newer.id}, but {newer.path} {says}; set supersedes: "
            f"{older.id} there",
            fix=fix,
        )
        yield _at(
            newer,
            "supersedes",
            f"{older.path} says this guideline supersedes it; set supersedes: {older.id}",
            fix=fix,
        )


def _earlier(older: Entry, newer: Entry) -> bool:
    """Whether `older` has a publication date, before `newer`'s if that has one."""
    return older.publication_date is not None and (
        newer.publication_date is None or older.publication_date < newer.publication_date
    )


def _reaches(index: CorpusIndex, start: Entry, target: Entry, key: str) -> bool:
    """Whether following `key` (supersedes or superseded_by) from `start` comes to `target`."""
    seen: set[str] = set()
    entry: Entry | None = start
    while entry is not None and entry.id not in seen:
        if entry is target:
            return True
        seen.add(entry.id)
        entry = index.unique(getattr(entry, key))
    return False


def _may_link(index: CorpusIndex, older: Entry, newer: Entry) -> bool:
    """Whether writing the missing half of the link `older` -> `newer` mends more than it
    breaks: not when the newer version is published first (the link may be written the wrong
    way round: GL407 says so), nor when the link would close a loop."""
    older_date, newer_date = older.publication_date, newer.publication_date
    if older_date and newer_date and newer_date < older_date:
        return False
    return not (
        _reaches(index, newer, older, "superseded_by")
        or _reaches(index, older, newer, "supersedes")
    )


def _cycles(successor_of: dict[str, str]) -> list[list[str]]:
    """Cycles of a functional graph, each once, in O(n)."""
    state: dict[str, int] = {}  # 1: on the current walk, 2: finished
    cycles = []
    for start in successor_of:
        walk = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            walk.append(node)
            node = successor_of.get(node)
        if node is not None and state.get(node) == 1:
            cycles.append(walk[walk.index(node) :])
        for visited in walk:
            state[visited] = 2
    return cycles


@corpus_rule("GL404", "lineage-cycle")
def lineage_cycle(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    Supersession links form a loop.

    ## What it does
    Follows `supersedes` (and `superseded_by`) from guideline to guideline and reports every
    member of a loop, listing it.

    ## Why is this bad?
    A guideline cannot be older than itself; one of the links names the wrong version.

    ## Example
    `a-2020` supersedes `a-2024`, and `a-2024` supersedes `a-2020`.

    Use instead: make the links run from the newest version to the oldest.
    """
    reported: set[frozenset[str]] = set()
    for key in ("supersedes", "superseded_by"):
        links = {
            e.id: str(getattr(e, key))
            for e in index.entries
            if getattr(e, key) and getattr(e, key) != e.id and index.unique(e.id)
        }
        for cycle in _cycles(links):
            members = frozenset(cycle)
            if members in reported:
                continue
            reported.add(members)
            shown = cycle if len(cycle) <= MAX_LISTED else [*cycle[:MAX_LISTED], "..."]
            loop = " -> ".join([*shown, cycle[0]])
            for member in cycle:
                entry = index.unique(member)
                if entry is not None:
                    yield _at(
                        entry,
                        key,
                        f"{key} links form a loop ({loop}); a version cannot be its own "
                        "ancestor, so correct the link that points the wrong way",
                    )


def _lineages(index: CorpusIndex) -> dict[str, list[Entry]]:
    """Guidelines connected by any supersession link, keyed by a representative id."""
    linked = Linked()
    for entry in index.entries:
        linked.find(entry.id)
        for other in (entry.supersedes, entry.superseded_by):
            if other and other in index:
                linked.join(other, entry.id)
    groups: dict[str, list[Entry]] = {}
    for entry in index.entries:
        groups.setdefault(linked.find(entry.id), []).append(entry)
    return groups


@corpus_rule("GL405", "several-current-versions")
def several_current_versions(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    More than one version in a lineage is marked `current`.

    ## What it does
    Groups guidelines linked by `supersedes`/`superseded_by` into lineages and reports each
    `current` version when a lineage has more than one.

    ## Why is this bad?
    Readers cannot tell which version to follow.

    ## Example
    `aan-als-2009` and `aan-als-2024`, linked, both with `status: current`.

    Use instead: keep the newest `current` and set the older to `status: superseded`.
    """
    for members in _lineages(index).values():
        current = [e for e in members if e.status == "current"]
        ids = sorted({e.id for e in current})  # one id in two files is GL401's business
        if len(ids) < 2:
            continue
        for entry in current:
            yield _at(
                entry,
                "status",
                f"this lineage has {len(ids)} current versions ({listed(ids)}); keep only the "
                "newest current and set status: superseded on the others",
            )


@corpus_rule("GL406", "previous-date-mismatch", fix="unsafe")
def previous_date_mismatch(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    `previous_version_date` differs from the predecessor's `publication_date`.

    ## What it does
    When the version named in `supersedes` is in the corpus, compares this file's
    `previous_version_date` with that version's `publication_date`.

    Fix (unsafe): sets `previous_version_date` to the predecessor's `publication_date`, unless
    that date is not before this version's (GL407 reports that). Unsafe because the
    predecessor's date may be the wrong one of the two.

    ## Why is this bad?
    The same date is written in two places; when they differ, one is wrong.

    ## Example
    `aan-als-2024` has `previous_version_date: 2009-10-31`, but `aan-als-2009` has
    `publication_date: 2009-10-13`.

    Use instead: `previous_version_date: 2009-10-13`.
    """
    for newer in index.entries:
        older = index.unique(newer.supersedes)
        if older is None or older is newer:
            continue
        if (
            newer.previous_version_date
            and older.publication_date
            and newer.previous_version_date != older.publication_date
        ):
            # Not when the predecessor is published after this version: the date would then
            # break GL202; GL407 reports the dates or the link.
            fix = None
            if _earlier(older, newer):
                fix = _set(
                    newer,
                    f"set previous_version_date: {older.publication_date}",
                    ("previous_version_date", older.publication_date.isoformat()),
                )
            yield _at(
                newer,
                "previous_version_date",
                f"previous_version_date {newer.previous_version_date} differs from the "
                f"publication_date {older.publication_date} of {older.id}; set it to "
                f"{older.publication_date}",
                older,
                fix=fix,
            )


@corpus_rule("GL407", "successor-published-earlier")
def successor_published_earlier(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    A guideline is published before the version it supersedes.

    ## What it does
    For every supersession link between two guidelines in the corpus, compares their
    publication dates.

    ## Why is this bad?
    A newer version cannot come out before the one it replaces: a date or a link is wrong.

    ## Example
    `aan-als-2024` (published 2008-01-01) supersedes `aan-als-2009` (published 2009-10-13).

    Use instead: correct the publication date, or the direction of the link.
    """
    pairs: set[tuple[str, str]] = set()
    for entry in index.entries:
        if entry.supersedes:
            pairs.add((entry.supersedes, entry.id))
        if entry.superseded_by:
            pairs.add((entry.id, entry.superseded_by))
    for older_id, newer_id in sorted(pairs):
        older, newer = index.unique(older_id), index.unique(newer_id)
        if older is None or newer is None or older is newer:
            continue
        older_date, newer_date = older.publication_date, newer.publication_date
        if older_date and newer_date and newer_date < older_date:
            yield _at(
                newer,
                "publication_date",
                f"publication_date {newer_date} is before that of {older.id} ({older_date}), "
                "which this version replaces; correct the date or the link",
                older,
            )


RULES: list[Rule] = [
    duplicate_id,
    unknown_successor,
    one_sided_link,
    lineage_cycle,
    several_current_versions,
    previous_date_mismatch,
    successor_published_earlier,
]
