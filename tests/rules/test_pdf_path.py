"""GL306 on every way a `pdf_path` can point outside the repository (issue 20, item 9).

Each fixture is the GL306 failing fixture with another `pdf_path` on line 26, reported at the
value (column 11); the passing one has a percent escape that stays inside the repository.
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, REPO, TODAY, found, run_process

FOLDER = FIXTURES / "lifecycle"
FAILING = [
    "gl306-fail-home",  # ~/secret.pdf
    "gl306-fail-file-url",  # file:/etc/x.pdf
    "gl306-fail-encoded",  # pdfs/%2e%2e/%2e%2e/x.pdf
    "gl306-fail-drive",  # C:\Users\me\aan-als.pdf
    "gl306-fail-backslash",  # pdfs\aan-als.pdf
    "gl306-fail-absolute",  # /srv/pdfs/aan-als.pdf
    "gl306-fail-control",  # "pdfs/aan\0als.pdf"
    "gl306-fail-web",  # https://example.org/aan-als.pdf
]


@pytest.mark.parametrize("name", FAILING)
def test_a_path_leaving_the_repository_is_reported_at_the_value(name: str) -> None:
    assert found(FOLDER / f"{name}.md") == {(f"{name}.md", "GL306", 26, 11)}


def test_a_percent_escape_that_stays_inside_the_repository_passes() -> None:
    assert found(FOLDER / "gl306-pass-percent.md") == set()


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("gl306-fail-home", "'~/secret.pdf' starts with '~'"),
        ("gl306-fail-file-url", "'file:/etc/x.pdf' starts with 'file:', which makes it a URL"),
        (
            "gl306-fail-encoded",
            "'pdfs/%2e%2e/%2e%2e/x.pdf' points outside the repository once its percent "
            "escapes are decoded",
        ),
        ("gl306-fail-drive", "'C:\\Users\\me\\aan-als.pdf' starts with the drive letter C:"),
        ("gl306-fail-control", "'pdfs/aan\\x00als.pdf' holds a control character"),
    ],
)
def test_the_message_says_what_to_write_and_what_is_wrong(name: str, says: str) -> None:
    result = run_process("--today", TODAY, "--no-cache", FOLDER / f"{name}.md", cwd=REPO)
    assert result.exit_code == 1
    line = result.stdout.splitlines()[0]
    assert line.startswith(f"tests/fixtures/lifecycle/{name}.md:26:11: GL306 ")
    assert line.endswith(
        "GL306 pdf_path must be a path inside the repository, such as "
        f"pdfs/aan-als-2024.pdf; {says}"
    )
