"""Did you mean: the known name an editor most likely meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


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
