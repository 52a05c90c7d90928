"""The schema file itself: valid Draft 2020-12, documented vocabularies, formats enforced."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from guidelint.checks.validation import load_schema, validator
from tests.conftest import REPO


def test_packaged_schema_is_the_repository_schema() -> None:
    on_disk = json.loads((REPO / "schema" / "guideline.schema.json").read_text("utf-8"))
    assert load_schema() == on_disk
    Draft202012Validator.check_schema(on_disk)
    assert on_disk["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", ["status", "guideline_type", "evidence_system", "specialty"])
def test_every_vocabulary_value_is_a_documented_slug(name: str) -> None:
    entries = load_schema()["$defs"][name]["oneOf"]
    assert entries
    for entry in entries:
        assert entry["const"] == entry["const"].lower()
        assert " " not in entry["const"]
        assert len(entry["description"]) > 10


def test_status_vocabulary_covers_the_lifecycle() -> None:
    values = {e["const"] for e in load_schema()["$defs"]["status"]["oneOf"]}
    assert {"current", "superseded", "withdrawn", "draft"} <= values


def test_every_property_is_described() -> None:
    for name, prop in load_schema()["properties"].items():
        assert prop.get("description"), name


@pytest.mark.parametrize("url", ["https://exa mple.org/x y", "http://"])
def test_uri_format_is_really_enforced(url: str) -> None:
    assert "uri" in validator().format_checker.checkers  # else jsonschema skips it silently
    seed = {"url": url}
    errors = list(validator().iter_errors(seed))
    assert any(e.validator in ("format", "pattern") for e in errors)
