"""GL4xx: lineage across the corpus, in one linear pass over the id index.

A lineage is a graph: supersession edges (a newer version replaces older ones in full: a
merge has several predecessors, a split several successors) and amendment edges (a focused
update changes part of a base that stays in force). Each edge is written at both ends:
`supersedes`/`superseded_by` and `amends`/`amended_by`. A draft may name the versions it is
meant to replace without being named back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from guidelint.core.corpus_index import LINK_KEYS, CorpusIndex, Entry, Linked
from guidelint.core.graphs import strongly_connected
from guidelint.rules.base import CorpusFinding, Rule, corpus_rule

# The fix types and the hints are imported where a finding is made: a run answered from the
# cache imports the rules, to know their codes, but runs none.
if TYPE_CHECKING:
    from guidelint.core.fixes import Fix

# (key in the newer file, key in the older file, what the newer one does to the older)
SUPERSESSION = ("supersedes", "superseded_by", "supersedes")
AMENDMENT = ("amends", "amended_by", "amends")
KINDS = (SUPERSESSION, AMENDMENT)


def _at(
    entry: Entry, key: str, message: str, *about: Entry, fix: Fix | None = None
) -> CorpusFinding:
    return CorpusFinding(
        entry.path, entry.span(key), message, tuple(e.path for e in about), fix=fix
    )


def _set(entry: Entry, description: str, *values: tuple[str, str]) -> Fix:
    """An unsafe fix setting top-level values in `entry`'s file."""
    from guidelint.core.fixes import Fix

    return Fix("unsafe", description, values=values, path=entry.path)


def _with(ids: tuple[str, ...], added: str) -> str:
    """The YAML value of a link key naming `ids` and `added`: one id alone, else a flow list
    keeping every id already there, in order."""
    return added if not ids else "[" + ", ".join([*ids, added]) + "]"


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(ids)


def _todo(key: str, named: tuple[str, ...], added: str) -> str:
    """What to write: set the key when it names nothing yet, else add the id to it."""
    return f"add {added} to {key}" if named else f"set {key}: {added}"


# What a file's link key says, in words: (when empty, when naming ids)
_SAYS = {
    "superseded_by": ("names no successor", "names {} as its successor"),
    "supersedes": ("supersedes nothing", "supersedes {}"),
    "amended_by": ("names no focused update", "names {} as its focused updates"),
    "amends": ("amends nothing", "amends {}"),
}


def _says(key: str, named: tuple[str, ...]) -> str:
    empty, naming = _SAYS[key]
    return naming.format(_ids(named)) if named else empty


# A message names at most this many files or ids: n copies of one id would otherwise make
# n messages of n names each, gigabytes of output for a large corpus.
MAX_LISTED = 10


def listed(names: list[str]) -> str:
    if len(names) <= MAX_LISTED:
        return ", ".join(names)
    return ", ".join(names[:MAX_LISTED]) + f" and {len(names) - MAX_LISTED} more"


def _edges(index: CorpusIndex) -> Iterator[tuple[str, str, str]]:
    """Every link stated in the corpus as (older id, newer id, kind), from either end, once
    per statement (a link stated at both ends comes twice)."""
    for entry in index.entries:
        for newer_key, older_key, kind in KINDS:
            for older in getattr(entry, newer_key):
                yield older, entry.id, kind
            for newer in getattr(entry, older_key):
                yield entry.id, newer, kind


def _later_than(index: CorpusIndex) -> dict[str, set[str]]:
    """For each id, the ids stated to supersede or amend it (either kind, either end)."""
    later: dict[str, set[str]] = defaultdict(set)
    for older, newer, _ in _edges(index):
        if older != newer:
            later[older].add(newer)
    return later


def _earlier_than(index: CorpusIndex) -> dict[str, set[str]]:
    """For each id, the ids it is stated to supersede or amend."""
    earlier: dict[str, set[str]] = defaultdict(set)
    for older, newer, _ in _edges(index):
        if older != newer:
            earlier[newer].add(older)
    return earlier


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    found: set[str] = set()
    waiting = [start]
    while waiting:
        for other in graph.get(waiting.pop(), ()):
            if other not in found:
                found.add(other)
                waiting.append(other)
    return found


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
    `superseded_by` or `amended_by` names an id that is not in the corpus.

    ## What it does
    Reports a successor id that no file has, in a single id or in a list, suggesting the
    closest id that exists, other than the file's own id or one of the versions it replaces
    or amends (either would make a loop). (A `supersedes` or `amends` naming an id outside
    the corpus is allowed: old versions are often not kept.)

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
    earlier: dict[str, set[str]] | None = None  # built at the first finding: most have none
    for entry in index.entries:
        for key in ("superseded_by", "amended_by"):
            for successor in getattr(entry, key):
                if successor in index:
                    continue
                if earlier is None:
                    earlier = _earlier_than(index)
                # The file itself, or a version it replaces, would make a loop: never the hint.
                ruled_out = _reachable(earlier, entry.id) | {entry.id}
                from guidelint.core.suggest import did_you_mean

                hint = did_you_mean(successor, sorted(index.known_ids - ruled_out))
                yield _at(
                    entry,
                    key,
                    f"{key} names {successor}, which is not an id in this corpus{hint}; "
                    "correct the id or add the newer version",
                )


@corpus_rule("GL403", "one-sided-link", fix="unsafe")
def one_sided_link(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    A supersession or amendment link is stated in one file but not in the other.

    ## What it does
    Edge by edge, for single ids and lists alike: when a guideline `supersedes` another that
    is in the corpus, the other must list it in `superseded_by`, and the other way round; the
    same for `amends` and `amended_by`. Both files are reported, at the keys to change, and
    the message names the id to add. A draft may name in `supersedes` or `amends` the versions
    it is meant to replace: those are not asked to name it back until it is published (a
    non-draft naming a draft as its successor is GL408).

    Fix (unsafe): adds the missing id in the other file, keeping every id already listed (a
    single id becomes a list `[old, new]`; a list written one item a line is left for you).
    In the older version it adds the newer id to `superseded_by`, and sets
    `status: superseded` if it was `current`; in the newer version it adds the older id to
    `supersedes`, and sets `previous_version_date` to the older version's `publication_date`
    when that is empty or earlier (and before this version's own date); amendments likewise
    with `amended_by` and `amends`. A file that names an id no file has is left for you to
    decide, and so is a link the dates contradict (the newer version published first: GL407),
    one that would close a loop (GL404), and a withdrawn older version. Unsafe because the link
    you wrote may be the wrong half; check the result. Only files being checked are changed.

    ## Why is this bad?
    Readers of the old version are not sent to the new one, or the new one does not say what
    it replaces.

    ## Example
    `aan-als-2024.md` has `supersedes: aan-als-2009`, but `aan-als-2009.md` has
    `superseded_by: null`.

    Use instead: in `aan-als-2009.md`, set `superseded_by: aan-als-2024` and
    `status: superseded`.
    """
    # Which ids come after which: worked out once, and only when a link is one-sided.
    later = cache(lambda: _later_than(index))
    yield from _unanswered_by_older(index, later)
    yield from _unanswered_by_newer(index, later)


def _unanswered_by_older(
    index: CorpusIndex, later: Callable[[], dict[str, set[str]]]
) -> Iterator[CorpusFinding]:
    """Links a newer version states (supersedes, amends) that the older does not name back."""
    for newer in index.entries:
        for newer_key, older_key, kind in KINDS:
            for older_id in getattr(newer, newer_key):
                older = index.unique(older_id)
                if older is None or older is newer or newer.is_draft:
                    continue
                named = getattr(older, older_key)
                if newer.id in named:
                    continue
                fix = None
                if _may_link(index, later(), older, newer) and older.status != "withdrawn":
                    values = [(older_key, _with(named, newer.id))]
                    if kind == "supersedes" and older.status in (None, "current"):
                        values.append(("status", "superseded"))
                    fix = _set(
                        older, f"{_todo(older_key, named, newer.id)} in {older.path}", *values
                    )
                yield _at(
                    newer,
                    newer_key,
                    f"{newer_key} names {older.id}, but {older.path} {_says(older_key, named)}; "
                    f"{_todo(older_key, named, newer.id)} there",
                    fix=fix,
                )
                yield _at(
                    older,
                    older_key,
                    f"{newer.path} says it {kind} this guideline; "
                    f"{_todo(older_key, named, newer.id)}",
                    fix=fix,
                )


def _unanswered_by_newer(
    index: CorpusIndex, later: Callable[[], dict[str, set[str]]]
) -> Iterator[CorpusFinding]:
    """Links an older version states (superseded_by, amended_by) the newer does not name back."""
    for stating in index.entries:
        for newer_key, older_key, kind in KINDS:
            for newer_id in getattr(stating, older_key):
                older, successor = stating, index.unique(newer_id)
                if successor is None:
                    continue
                newer = successor
                if newer is older or (newer.is_draft and not older.is_draft):
                    continue
                named = getattr(newer, newer_key)
                if older.id in named:
                    continue
                fix = None
                if _may_link(index, later(), older, newer):
                    values = [(newer_key, _with(named, older.id))]
                    previous = newer.previous_version_date
                    if (
                        kind == "supersedes"
                        and _earlier(older, newer)
                        and older.publication_date is not None
                        and (previous is None or previous < older.publication_date)
                    ):
                        values.append(("previous_version_date", older.publication_date.isoformat()))
                    fix = _set(
                        newer, f"{_todo(newer_key, named, older.id)} in {newer.path}", *values
                    )
                yield _at(
                    older,
                    older_key,
                    f"{older_key} names {newer.id}, but {newer.path} {_says(newer_key, named)}; "
                    f"{_todo(newer_key, named, older.id)} there",
                    fix=fix,
                )
                yield _at(
                    newer,
                    newer_key,
                    f"{older.path} says this guideline {kind} it; "
                    f"{_todo(newer_key, named, older.id)}",
                    fix=fix,
                )


def _earlier(older: Entry, newer: Entry) -> bool:
    """Whether `older` has a publication date, before `newer`'s if that has one."""
    return older.publication_date is not None and (
        newer.publication_date is None or older.publication_date < newer.publication_date
    )


def _may_link(index: CorpusIndex, later: dict[str, set[str]], older: Entry, newer: Entry) -> bool:
    """Whether writing the missing half of the link `older` -> `newer` mends more than it
    breaks: not when the newer version is published first (the link may be written the wrong
    way round: GL407 says so), nor when the link would close a loop, nor when the older
    version names an id no file has (which id was meant is for the editor to say)."""
    older_date, newer_date = older.publication_date, newer.publication_date
    if older_date and newer_date and newer_date < older_date:
        return False
    if any(other not in index for other in older.superseded_by + older.amended_by):
        return False
    return older.id not in _reachable(later, newer.id)


def _cycles(later: dict[str, set[str]]) -> list[tuple[list[str], set[str]]]:
    """The strongly connected components of two or more ids, each with one loop through its
    members to show, in O(ids + links)."""
    return [
        (_loop(later, set(members)), set(members))
        for members in strongly_connected(later)
        if len(members) > 1
    ]


def _loop(later: dict[str, set[str]], members: set[str]) -> list[str]:
    """One loop through a strongly connected component, starting from its first id."""
    node = min(members)
    walk: list[str] = []
    seen: dict[str, int] = {}
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = min(other for other in later[node] if other in members)
    return walk[seen[node] :]


@corpus_rule("GL404", "lineage-cycle")
def lineage_cycle(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    Supersession or amendment links form a loop.

    ## What it does
    Follows `supersedes`, `superseded_by`, `amends` and `amended_by` from guideline to
    guideline, both kinds of link together, and reports every member of a loop, listing it.

    ## Why is this bad?
    A guideline cannot be older than itself; one of the links names the wrong version.

    ## Example
    `a-2020` supersedes `a-2024`, and `a-2024` amends `a-2020`.

    Use instead: make the links run from the newest version to the oldest.
    """
    later = {
        older: {newer for newer in newers if index.unique(newer)}
        for older, newers in _later_than(index).items()
        if index.unique(older)
    }
    for cycle, members in _cycles(later):
        shown = cycle if len(cycle) <= MAX_LISTED else [*cycle[:MAX_LISTED], "..."]
        loop = " -> ".join([*shown, cycle[0]])
        for member in sorted(members):
            entry = index.unique(member)
            if entry is None:
                continue
            key = next(
                (k for k in entry.span_keys if k in LINK_KEYS and members & set(getattr(entry, k))),
                "id",
            )
            yield _at(
                entry,
                key,
                f"the links form a loop ({loop}) through {key} here; a version cannot be its "
                "own ancestor, so correct the link that points the wrong way",
            )


def _replaced_by(index: CorpusIndex) -> dict[str, list[str]]:
    """For each id, the published versions stated (at either end) to supersede it in full."""
    replaced: dict[str, list[str]] = defaultdict(list)
    for older, newer, kind in _edges(index):
        # One id in two files (GL401) still counts: either may be the one meant.
        published = any(not successor.is_draft for successor in index.by_id.get(newer, ()))
        if kind == "supersedes" and published and older != newer and newer not in replaced[older]:
            replaced[older].append(newer)
    return replaced


@corpus_rule("GL405", "several-current-versions")
def several_current_versions(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    A guideline replaced in full by a published version is still marked `current`.

    ## What it does
    Groups guidelines linked by supersession into lineages. When a `current` version has a
    published successor (named at either end of a `supersedes`/`superseded_by` link), every
    `current` version of that lineage is reported, and the message names the ones to mark
    superseded. After a split, each successor may be current; a base and its focused updates
    (`amends`) may be current together; a draft successor leaves its predecessor current.

    ## Why is this bad?
    Readers cannot tell which version to follow.

    ## Example
    `aan-als-2009` and `aan-als-2024`, linked, both with `status: current`.

    Use instead: keep the newest `current` and set the older to `status: superseded`.
    """
    replaced = _replaced_by(index)
    linked = Linked()
    for older, newers in replaced.items():
        for newer in newers:
            if older in index:
                linked.join(older, newer)
    groups: dict[str, list[Entry]] = {}
    for entry in index.entries:
        if entry.status == "current":
            groups.setdefault(linked.find(entry.id), []).append(entry)
    for current in groups.values():
        stale = sorted({e.id for e in current if replaced.get(e.id)})
        ids = sorted({e.id for e in current})  # one id in two files is GL401's business
        if not stale or len(ids) < 2:
            continue
        for entry in current:
            head = f"this lineage has {len(ids)} current versions ({listed(ids)}); keep only"
            if entry.id in stale:
                yield _at(
                    entry,
                    "status",
                    f"{head} the versions nothing replaces current: {entry.id} is replaced by "
                    f"{listed(replaced[entry.id])}, so set status: superseded here",
                )
            else:
                yield _at(
                    entry,
                    "status",
                    f"{head} the versions nothing replaces current: set status: superseded on "
                    f"{listed(stale)}",
                )


@corpus_rule("GL406", "previous-date-mismatch", fix="unsafe")
def previous_date_mismatch(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    `previous_version_date` differs from the predecessor's `publication_date`.

    ## What it does
    When the versions named in `supersedes` are in the corpus, compares this file's
    `previous_version_date` with the latest of their `publication_date`s (one predecessor:
    its date; a merge: the newest of the merged versions). A predecessor outside the corpus
    may be the latest, so then only a date earlier than a known predecessor's is reported.

    Fix (unsafe): sets `previous_version_date` to that date, unless it is not before this
    version's (GL407 reports that). Unsafe because the predecessor's date may be the wrong one
    of the two.

    ## Why is this bad?
    The same date is written in two places; when they differ, one is wrong.

    ## Example
    `aan-als-2024` has `previous_version_date: 2009-10-31`, but `aan-als-2009` has
    `publication_date: 2009-10-13`.

    Use instead: `previous_version_date: 2009-10-13`.
    """
    for newer in index.entries:
        previous = newer.previous_version_date
        if previous is None or not newer.supersedes:
            continue
        known: list[tuple[date, Entry]] = []
        complete = True
        for older_id in newer.supersedes:
            found = index.unique(older_id)
            if found is newer:
                continue
            if found is None or found.publication_date is None:
                complete = False
            else:
                known.append((found.publication_date, found))
        if not known:
            continue
        latest, older = max(known, key=lambda item: item[0])
        if previous == latest or (not complete and previous > latest):
            continue
        # Not when the predecessor is published after this version: the date would then
        # break GL202; GL407 reports the dates or the link.
        fix = None
        if _earlier(older, newer):
            fix = _set(
                newer,
                f"set previous_version_date: {latest}",
                ("previous_version_date", latest.isoformat()),
            )
        which = "" if len(newer.supersedes) == 1 else ", the latest of the versions it supersedes"
        yield _at(
            newer,
            "previous_version_date",
            f"previous_version_date {previous} differs from the publication_date {latest} of "
            f"{older.id}{which}; set it to {latest}",
            older,
            fix=fix,
        )


@corpus_rule("GL407", "successor-published-earlier")
def successor_published_earlier(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    A guideline is published before a version it supersedes or amends.

    ## What it does
    For every supersession or amendment link between two guidelines in the corpus, compares
    their publication dates: a successor is not published before any of its predecessors, a
    focused update not before its base.

    ## Why is this bad?
    A newer version cannot come out before the one it replaces: a date or a link is wrong.

    ## Example
    `aan-als-2024` (published 2008-01-01) supersedes `aan-als-2009` (published 2009-10-13).

    Use instead: correct the publication date, or the direction of the link.
    """
    pairs = {(older, newer, kind) for older, newer, kind in _edges(index)}
    done: set[tuple[str, str]] = set()
    for older_id, newer_id, kind in sorted(pairs):
        older, newer = index.unique(older_id), index.unique(newer_id)
        if older is None or newer is None or older is newer or (older_id, newer_id) in done:
            continue
        done.add((older_id, newer_id))
        older_date, newer_date = older.publication_date, newer.publication_date
        if older_date and newer_date and newer_date < older_date:
            does = "this version replaces" if kind == "supersedes" else "this focused update amends"
            yield _at(
                newer,
                "publication_date",
                f"publication_date {newer_date} is before that of {older.id} ({older_date}), "
                f"which {does}; correct the date or the link",
                older,
            )


@corpus_rule("GL408", "draft-successor")
def draft_successor(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    A guideline that is not a draft names a draft as its successor.

    ## What it does
    Reports a draft (`status: draft`) named in the `superseded_by` or `amended_by` of a
    version that is not itself a draft, naming the id to remove.

    ## Why is this bad?
    A draft is not in force: readers sent to it find recommendations that may still change,
    and the version they came from is still the one to follow. The draft names the versions it
    will replace in its own `supersedes`; the older version names it once it is published.

    ## Example
    `aan-als-2024` (current) has `superseded_by: aan-als-2027`, and `aan-als-2027` has
    `status: draft`.

    Use instead: in `aan-als-2024`, `superseded_by: null` and `status: current` until
    `aan-als-2027` is published.
    """
    for entry in index.entries:
        if entry.is_draft:
            continue
        for key in ("superseded_by", "amended_by"):
            for successor_id in getattr(entry, key):
                successor = index.unique(successor_id)
                if successor is not None and successor.is_draft:
                    yield _at(
                        entry,
                        key,
                        f"{key} names {successor_id}, which is a draft ({successor.path}); "
                        f"remove {successor_id} from {key} until it is published",
                        successor,
                    )


@corpus_rule("GL409", "current-amendment-of-retired-base")
def current_amendment_of_retired_base(index: CorpusIndex) -> Iterator[CorpusFinding]:
    """
    A focused update is still `current` though the guideline it amends is not.

    ## What it does
    Reports a `current` guideline that `amends` (or is listed in the `amended_by` of) a
    guideline marked `superseded` or `withdrawn`, at its `status`.

    ## Why is this bad?
    A focused update changes part of its base and stands with it: when the base is replaced
    or withdrawn, the update goes too (the 2022 AHA/ACC/HFSA heart-failure guideline replaced
    the 2013 guideline and its 2016 and 2017 focused updates). A current update of a retired
    base sends readers to half a guideline.

    ## Example
    `acc-aha-hf-2017` (current) amends `acc-aha-hf-2013`, which is superseded by
    `acc-aha-hf-2022`.

    Use instead: in `acc-aha-hf-2017`, `status: superseded` and
    `superseded_by: acc-aha-hf-2022` (and add it to the `supersedes` of `acc-aha-hf-2022`).
    """
    reported: set[tuple[str, str]] = set()
    for base_id, amendment_id, kind in sorted(set(_edges(index))):
        base, amendment = index.unique(base_id), index.unique(amendment_id)
        if kind != "amends" or base is None or amendment is None or base is amendment:
            continue
        if amendment.status != "current" or base.status not in ("superseded", "withdrawn"):
            continue
        if (base_id, amendment_id) in reported:
            continue
        reported.add((base_id, amendment_id))
        if base.status == "superseded" and base.superseded_by:
            todo = (
                f"set status: superseded and superseded_by: {_ids(base.superseded_by)}, "
                f"like {base.id}"
            )
        else:
            todo = "set status: withdrawn with a withdrawn_date, like the version it amends"
        yield _at(
            amendment,
            "status",
            f"status is current but this guideline amends {base.id}, which is {base.status}; "
            f"{todo}",
            base,
        )


RULES: list[Rule] = [
    duplicate_id,
    unknown_successor,
    one_sided_link,
    lineage_cycle,
    several_current_versions,
    previous_date_mismatch,
    successor_published_earlier,
    draft_successor,
    current_amendment_of_retired_base,
]
