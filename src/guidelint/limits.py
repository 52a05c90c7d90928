"""Resource bounds: every input is processed with bounded work and memory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 10 * 1024 * 1024
    max_front_matter_bytes: int = 256 * 1024
    # Values built from the front matter after aliases are expanded; the seed has about 40.
    max_yaml_values: int = 10_000
    max_yaml_depth: int = 64


DEFAULT_LIMITS = Limits()
