"""Everything the per-file rules may look at, computed once and only when a rule asks."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidelint.core.settings import Settings
from guidelint.core.span import Span
from guidelint.readers.document import Document

if TYPE_CHECKING:
    from guidelint.checks.model import FieldProblem, Guideline
    from guidelint.checks.validation import SchemaProblem
    from guidelint.readers.outline import Outline
    from guidelint.readers.yamlpos import ParsedYaml


@dataclass
class FileContext:
    file: Path
    path: str
    document: Document
    parsed: ParsedYaml
    settings: Settings
    meta: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.meta = self.parsed.data if isinstance(self.parsed.data, dict) else {}

    # Positions -----------------------------------------------------------------------------
    def key_span(self, key: str) -> Span:
        located = self.parsed.spans.get((key,))
        return located.key if located and located.key else self.front_matter_span

    def value_span(self, key: str) -> Span:
        located = self.parsed.spans.get((key,))
        return located.value if located else self.front_matter_span

    @property
    def front_matter_span(self) -> Span:
        """The opening '---': where a problem with the front matter as a whole is shown."""
        return Span(1, 1, 1, 4)

    # Derived views ---------------------------------------------------------------------------
    @cached_property
    def schema_problems(self) -> list[SchemaProblem]:
        from guidelint.checks.validation import check_schema

        return check_schema(self.meta, self.parsed, self.settings.extra_vocabulary)

    @cached_property
    def _model(self) -> tuple[Guideline, list[FieldProblem]]:
        from guidelint.checks.model import build_guideline

        rejected = {problem.key for problem in self.schema_problems if problem.key}
        rejected |= {str(path[0]) for path in self.parsed.reported if path}
        values = {k: v for k, v in self.meta.items() if k not in rejected}
        return build_guideline(values)

    @property
    def guideline(self) -> Guideline:
        return self._model[0]

    @property
    def field_problems(self) -> list[FieldProblem]:
        return self._model[1]

    @cached_property
    def outline(self) -> Outline:
        from guidelint.readers.outline import parse_outline

        return parse_outline(self.document.body, self.document.body_first_line)
