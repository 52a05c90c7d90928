"""CONTRIBUTING.md stays true to the tree: it lists every module under src/guidelint and nothing
else, its layers are the import-linter contract's, and every path its steps name exists."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO

GUIDE = (REPO / "CONTRIBUTING.md").read_text("utf-8")
SOURCE = REPO / "src" / "guidelint"


def section(title: str) -> str:
    start = GUIDE.index(f"\n## {title}\n")
    end = GUIDE.find("\n## ", start + 1)
    return GUIDE[start : end if end != -1 else len(GUIDE)]


def test_every_module_is_listed_once_and_nothing_else() -> None:
    listed = re.findall(r"^- `([^`]+\.py)`: \S", section("Every module"), re.M)
    modules = sorted(path.relative_to(SOURCE).as_posix() for path in SOURCE.rglob("*.py"))
    assert len(listed) == len(set(listed)), "a module is listed twice"
    assert sorted(listed) == modules


def test_the_layers_are_the_contracts_layers() -> None:
    settings = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    contract = settings["tool"]["importlinter"]["contracts"][0]
    assert contract["containers"] == ["guidelint"]
    table = re.findall(r"^\| `(\w+)` \|", section("The layers, bottom to top"), re.M)
    # bottom to top; siblings ("rules | cache") in the order the contract names them
    layers = [name for layer in reversed(contract["layers"]) for name in layer.split(" | ")]
    assert table == layers


def test_the_paths_in_the_steps_exist() -> None:
    steps = "".join(section(title) for title in ("Add a rule", "Add an output format"))
    steps += section("Add a metadata field")
    named = re.findall(r"`((?:src|tests|docs)/[^`<>]+|pyproject\.toml|README\.md)`", steps)
    assert len(named) > 10
    missing = [path for path in named if not (REPO / path.rstrip("/")).exists()]
    assert missing == []


def test_the_names_the_steps_give_are_in_the_files_they_name() -> None:
    for name, file in [
        ("RULES", "src/guidelint/rules/dates.py"),
        ("file_rule", "src/guidelint/rules/base.py"),
        ("corpus_rule", "src/guidelint/rules/base.py"),
        ("REPORTERS", "src/guidelint/app/reporters/__init__.py"),
        ("ReportOptions", "src/guidelint/app/reporters/__init__.py"),
        ("ROOTED_FORMATS", "src/guidelint/app/reporters/repository_paths.py"),
        ("DATE_FIELDS", "src/guidelint/core/fields.py"),
        ("LINEAGE_KEYS", "src/guidelint/core/corpus_index.py"),
        ("UPDATE_SNAPSHOTS", "tests/reporters/test_formats.py"),
    ]:
        assert name in GUIDE, name
        assert name in (REPO / file).read_text("utf-8"), (name, file)
