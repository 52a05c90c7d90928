"""What a run answered from the cache does not need: it lists the corpus and repeats the answer.

Each import or object it makes is paid for every file or every run; these tests hold the warm
path to what it needs, and the shortcuts it takes to what the library it bypasses would give.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from guidelint.cache.folder import user_cache_root
from guidelint.readers.discovery import child_prefix

SEED = Path(__file__).resolve().parents[1] / "seeds" / "aan-als-2024.md"

# Modules a run answered from the cache has no use for: the process pool, the library that
# names the cache folder, the temporary files of a write; what only checking or fixing a file
# needs (the fix types and runner, the Markdown outline, the did-you-mean hints, suppression
# comments); and the standard modules only those, or the rules' checks, import.
NOT_ON_THE_WARM_PATH = (
    "multiprocessing",
    "platformdirs",
    "tempfile",
    "guidelint.app.fix",
    "guidelint.core.fixes",
    "guidelint.readers.outline",
    "guidelint.core.suggest",
    "guidelint.readers.suppression_comments",
    "difflib",
    "calendar",
    "urllib.parse",
)

# Runs guidelint in this process, then names the modules from `watched` it imported. What
# click and pathlib import themselves (pathlib imports urllib.parse before Python 3.13) is
# imported before the run, so that only guidelint's own imports are counted; and --quiet is
# spelled out, because click's parser imports difflib for any short option (it tries `-q` as
# a long option first, and looks for a close match when there is none).
IMPORTS_OF_A_RUN = f"""
import sys
import click, pathlib
before = set(sys.modules)
from guidelint.launcher import main
sys.argv = ["guidelint", "--quiet", "."]
try:
    main()
except SystemExit as exit:
    code = exit.code
watched = {set(NOT_ON_THE_WARM_PATH)!r}
print(code, sorted(watched & (set(sys.modules) - before)))
"""


def test_a_warm_run_of_a_large_corpus_imports_only_what_repeating_the_answer_needs(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guidelint.toml").write_text("", "utf-8")
    seed = SEED.read_text("utf-8")
    # More files than one pre-commit run checks ahead in a process of its own.
    for number in range(450):
        guideline_id = f"aan-topic{number}-2024"
        text = seed.replace("id: aan-als-2024", f"id: {guideline_id}")
        (corpus / f"{guideline_id}.md").write_text(text, "utf-8")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", IMPORTS_OF_A_RUN],
            cwd=corpus,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    first = run()
    assert first.returncode == 0, first.stderr
    warm = run()
    assert warm.stdout.split("\n")[-2] == "0 []", warm.stdout + warm.stderr


# Runs guidelint in this process and counts the pathlib objects the run makes: every object made
# is returned by a Python function (pathlib is written in Python, its constructors included),
# and is kept here, so that one freed cannot lend its id to the next.
PATHS_OF_A_RUN = """
import pathlib, sys
made = {}

def count(frame, event, value):
    if event == "return" and isinstance(value, pathlib.PurePath):
        made[id(value)] = value

from guidelint.launcher import main
sys.argv = ["guidelint", "--quiet", "."]
sys.setprofile(count)
try:
    main()
except SystemExit as exit:
    code = exit.code
sys.setprofile(None)
print(code, len(made))
"""


def _add_guidelines(corpus: Path, first: int, count: int) -> None:
    seed = SEED.read_text("utf-8")
    for number in range(first, first + count):
        guideline_id = f"aan-topic{number}-2024"
        text = seed.replace("id: aan-als-2024", f"id: {guideline_id}")
        (corpus / f"{guideline_id}.md").write_text(text, "utf-8")


def test_a_warm_run_makes_no_path_object_per_listed_file(tmp_path: Path) -> None:
    # Listing the corpus and giving the last answer again needs the files' names as text
    # (os.scandir's, and os.stat takes text): a pathlib object per file costs most of a warm
    # run on Python 3.12 and 3.13. Paths are made only for files checked, reported or written,
    # so twice the files must not make one Path more.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guidelint.toml").write_text("", "utf-8")
    sub = corpus / "sub"
    sub.mkdir()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def paths_of_a_warm_run() -> int:
        for _ in range(2):  # the first fills the cache and the last-run record
            done = subprocess.run(
                [sys.executable, "-c", PATHS_OF_A_RUN],
                cwd=corpus,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        code, made = done.stdout.split("\n")[-2].split()
        assert code == "0", done.stdout + done.stderr
        return int(made)

    _add_guidelines(corpus, 0, 100)
    _add_guidelines(sub, 100, 100)
    fewer = paths_of_a_warm_run()
    assert fewer > 0  # the probe sees Paths: the command line makes a few, whatever the corpus
    _add_guidelines(corpus, 200, 100)
    _add_guidelines(sub, 300, 100)
    assert paths_of_a_warm_run() == fewer


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is Linux's")
@pytest.mark.parametrize("configured", ["absolute", "unset", "empty"])
def test_the_user_cache_folder_is_the_one_platformdirs_names(
    configured: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if configured == "absolute":
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    elif configured == "unset":
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", "")
    expected = Path(platformdirs.user_cache_dir("guidelint", appauthor=False))
    assert user_cache_root() == expected
    assert expected.parent == (
        tmp_path / "xdg" if configured == "absolute" else tmp_path / "home" / ".cache"
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is Linux's")
def test_a_relative_xdg_cache_home_is_ignored_as_the_specification_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "If an implementation encounters a relative path in any of these variables it should
    # consider the path invalid and ignore it": a relative one would put the key and the cache
    # in whatever folder guidelint was started from, a checkout among them.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert user_cache_root() == tmp_path / "home" / ".cache" / "guidelint"


@pytest.mark.parametrize("top", [".", "/", "corpus", "corpus/sub", "/srv/corpus", "../up"])
def test_a_listed_file_is_named_as_top_slash_name_would_name_it(top: str) -> None:
    # The walk writes a folder's name as pathlib does, and its files' names from it.
    made = child_prefix(str(Path(top))) + "aan-als-2024.md"
    expected = Path(top) / "aan-als-2024.md"
    assert made == str(expected)
    assert Path(made) == expected
    assert Path(made).parts == expected.parts
