"""Did you mean: the known name an editor most likely meant."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate an editor most likely meant, or None."""
    options = list(candidates)
    for option in options:
        if option.casefold() == word.casefold():
            return option
    folded = {option.casefold(): option for option in options}
    matches = difflib.get_close_matches(word.casefold(), folded, n=1, cutoff=0.6)
    return folded[matches[0]] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = closest(word, candidates)
    return f" (did you mean '{match}'?)" if match else ""


def fold_key(key: str) -> str:
    """A key as compared with the schema's: case, hyphens and spaces do not count."""
    return re.sub(r"[\s-]+", "_", key.strip()).casefold()


def slips(one: str, other: str) -> int:
    """Letters added, dropped, changed or swapped with a neighbour to turn one into the other
    (the optimal string alignment distance)."""
    before: list[int] = []
    previous = list(range(len(other) + 1))
    for i, a in enumerate(one, 1):
        current = [i]
        for j, b in enumerate(other, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == other[j - 2] and one[i - 2] == b:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
    return previous[-1]


def meant_key(key: str, known: Sequence[str]) -> str | None:
    """The known key an unknown one surely means, or None when that would be a guess.

    Sure means: the same key in another case or with hyphens or spaces; a close likeness to
    one known key only; or one slip from a known key, every other key being three slips away
    or more and none as alike (`superseeded_by` is one slip from `superseded_by` though it
    somewhat resembles `supersedes`; `superseded` is one slip from `supersedes` but very like
    `superseded_by` too: a guess).
    """
    folded = {fold_key(k): k for k in known}
    word = fold_key(key)
    if word in folded:
        return folded[word]
    if len(folded) < 2:
        return None
    scores = sorted(
        ((difflib.SequenceMatcher(None, word, f).ratio(), k) for f, k in folded.items()),
        reverse=True,
    )
    (best, choice), (second, _) = scores[0], scores[1]
    if best >= 0.85 and second < 0.75:
        return choice
    distances = sorted((slips(word, f), k) for f, k in folded.items())
    (nearest, closest_key), (runner_up, _) = distances[0], distances[1]
    sure = nearest == 1 and runner_up >= 3 and closest_key == choice and second < 0.85
    return closest_key if sure else None
