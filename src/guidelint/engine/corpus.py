"""The corpus stage: the lineage rules on the index of every file, or of the named lineages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from guidelint.core.corpus_index import CorpusIndex, Entry, linked_to
from guidelint.core.diagnostic import Diagnostic
from guidelint.core.limits import Limits
from guidelint.core.settings import Settings
from guidelint.engine.files import check_file
from guidelint.engine.store import Links, Results
from guidelint.rules.registry import ALL_RULES

if TYPE_CHECKING:
    from guidelint.readers.suppression_comments import Suppressions

CORPUS_RULES = tuple(rule for rule in ALL_RULES if rule.check_corpus is not None)


def check_corpus(
    entries: Iterable[Entry], enabled: frozenset[str], known_ids: Iterable[str] | None = None
) -> list[tuple[Diagnostic, tuple[str, ...]]]:
    """Corpus diagnostics, each with the other files it is about."""
    index = CorpusIndex(entries, known_ids)
    found = []
    for rule in CORPUS_RULES:
        if rule.code in enabled and rule.check_corpus is not None:
            for finding in rule.check_corpus(index):
                diagnostic = Diagnostic.at(
                    finding.path,
                    finding.span,
                    rule.code,
                    rule.severity,
                    finding.message,
                    finding.fix,
                )
                found.append((diagnostic, finding.related))
    return found


def _named_lineages(
    entries: list[Entry],
    checked: Mapping[str, str],
    stored: list[tuple[str, str, Links]],
    cache: Results | None,
    suppressions: dict[str, Suppressions],
    settings: Settings,
    limits: Limits,
    deleted: frozenset[str] = frozenset(),
) -> tuple[list[Entry], set[str]]:
    """When files are named: the entries of their lineages, and every id of the corpus.

    Only the named files' lineages can give a finding about them, and those of the ids a
    staged commit deletes; the rest of the corpus tells which ids exist. The other files that
    the cache knows were read for their links alone; those in a named lineage are read in full
    here.
    """
    named = [entry.id for entry in entries if entry.path in checked] + sorted(deleted)
    links: list[tuple[str, Iterable[str]]] = [(e.id, e.names()) for e in entries]
    links += [found for _, _, found in stored]
    relevant = linked_to(named, links)
    kept = [entry for entry in entries if entry.id in relevant]
    in_lineage = [item for item in stored if item[2][0] in relevant]
    kept += _stored_entries(in_lineage, cache, suppressions, settings, limits)
    return kept, {found[0] for found in links}


def _names_any(entry: Entry, ids: frozenset[str]) -> bool:
    return bool(ids) and not ids.isdisjoint(entry.names())


def _stored_links(
    cache: Results | None, lineage: list[tuple[str, str]], held: Mapping[str, bytes]
) -> tuple[list[tuple[str, str, Links]], list[tuple[str, str]]]:
    """The files read for the lineage pass that the cache knows unchanged, with their links;
    and the others."""
    if cache is None:
        return [], lineage
    asked = [(file, shown) for file, shown in lineage if shown not in held]
    found, unstored = cache.stored_links(asked)
    unstored += [(file, shown) for file, shown in lineage if shown in held]
    stored = [(file, shown, links) for file, shown, links in found if links is not None]
    return stored, unstored


def _stored_entries(
    stored: list[tuple[str, str, Links]],
    cache: Results | None,
    suppressions: dict[str, Suppressions],
    settings: Settings,
    limits: Limits,
) -> list[Entry]:
    """The full entries (and suppression comments) of the files read for the lineage pass
    that are in a checked lineage."""
    entries: list[Entry] = []
    for file, shown, _ in stored:
        try:
            assert cache is not None  # stored links came from it
            _, entry, found = cache.get(file, shown, diagnostics=False)
        except KeyError:  # changed since its links were read: read it again
            result = check_file(Path(file), settings, frozenset(), limits, shown=shown)
            from guidelint.readers.suppression_comments import Suppressions

            entry, found = result.entry, result.suppressions or Suppressions()
        if entry is not None:
            entries.append(entry)
        if found.items:
            suppressions[shown] = found
    return entries
