"""What a rule is: a code, a name, a default severity, its documentation and a check.

A check never prints, exits or reads configuration: it yields findings, and the engine turns
them into diagnostics with the rule's code and the configured severity.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from guidelint.core.diagnostic import Severity
from guidelint.core.span import Span

if TYPE_CHECKING:
    from guidelint.checks.file_context import FileContext
    from guidelint.core.corpus_index import CorpusIndex
    from guidelint.core.fixes import Fix, FixKind


@dataclass(frozen=True, slots=True)
class Finding:
    span: Span
    message: str
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class CorpusFinding:
    path: str
    span: Span
    message: str
    # Other files the finding is about: when one of them is checked alone (pre-commit), the
    # finding is reported too, since the change there may be what broke the link.
    related: tuple[str, ...] = ()
    fix: Fix | None = None


FileCheck = Callable[["FileContext"], Iterator[Finding]]
CorpusCheck = Callable[["CorpusIndex"], Iterator[CorpusFinding]]
Stage = Literal["read", "file", "corpus", "suppression"]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    stage: Stage
    doc: str
    check_file: FileCheck | None = None
    check_corpus: CorpusCheck | None = None
    fix: FixKind | None = None  # whether the rule can mend what it finds, and how safely
    default: bool = True  # checked unless selected explicitly, when False (an opt-in rule)

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


def _doc(function: Callable[..., object]) -> str:
    return inspect.cleandoc(function.__doc__ or "")


def file_rule(
    code: str,
    name: str,
    severity: Severity = Severity.ERROR,
    fix: FixKind | None = None,
    default: bool = True,
) -> Callable[[FileCheck], Rule]:
    def wrap(check: FileCheck) -> Rule:
        return Rule(
            code, name, severity, "file", _doc(check), check_file=check, fix=fix, default=default
        )

    return wrap


def corpus_rule(
    code: str, name: str, severity: Severity = Severity.ERROR, fix: FixKind | None = None
) -> Callable[[CorpusCheck], Rule]:
    def wrap(check: CorpusCheck) -> Rule:
        return Rule(code, name, severity, "corpus", _doc(check), check_corpus=check, fix=fix)

    return wrap


def read_rule(code: str, name: str, doc: str) -> Rule:
    """A rule reported while the file is read and split; it has no check of its own."""
    return Rule(code, name, Severity.ERROR, "read", inspect.cleandoc(doc))


def suppression_rule(code: str, name: str, severity: Severity, doc: str) -> Rule:
    """A rule about suppression comments, reported after all others have run."""
    return Rule(code, name, severity, "suppression", inspect.cleandoc(doc))
