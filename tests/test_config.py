"""[tool.guidelint] / guidelint.toml: discovery, every setting's effect, and bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidelint.app.config import ConfigError, find_config_file, load_config
from guidelint.core.settings import Config
from tests.conftest import PREDECESSOR_TEXT, REPO, TODAY, run_cli, run_process

SEED = (REPO / "seeds" / "aan-als-2024.md").read_text("utf-8")


def corpus(tmp_path: Path, seed_at: str = "aan-als-2024.md", **files: str) -> Path:
    """A guideline folder with the seed (as aan-als-2024.md) and any other named files."""
    folder = tmp_path / "corpus"
    (folder / seed_at).parent.mkdir(parents=True)
    (folder / seed_at).write_text(SEED, "utf-8")
    for name, text in files.items():
        (folder / name.replace("__", "/")).parent.mkdir(parents=True, exist_ok=True)
        (folder / name.replace("__", "/")).write_text(text, "utf-8")
    return folder


def codes(folder: Path, *args: str) -> list[tuple[str, str]]:
    result = run_cli("--today", TODAY, "--format", "json", *args, folder)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    return [(Path(str(row["path"])).name, str(row["code"])) for row in result.json()]


BROKEN_DATE = SEED.replace("publication_date: 2024-06-01", "publication_date: 2024-02-30")


# Discovery -------------------------------------------------------------------------------
def test_nearest_config_wins_and_pyproject_without_our_table_is_passed_over(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.guidelint]\nignore = ["GL2"]\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    assert find_config_file([nested]) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "guidelint.toml").write_text('ignore = ["GL3"]\n')
    assert find_config_file([nested]) == tmp_path / "a" / "guidelint.toml"
    (tmp_path / "a" / "pyproject.toml").write_text('[tool.guidelint]\nignore = ["GL5"]\n')
    assert find_config_file([nested]) == tmp_path / "a" / "guidelint.toml"  # standalone first


def test_config_is_found_from_the_checked_paths_not_the_working_folder(tmp_path: Path) -> None:
    folder = corpus(tmp_path, **{"bad-2024.md": BROKEN_DATE.replace("aan-als-2024", "bad-2024")})
    (tmp_path / "guidelint.toml").write_text('ignore = ["GL201"]\n')
    assert ("bad-2024.md", "GL201") not in codes(folder)
    assert ("bad-2024.md", "GL201") in codes(folder, "--isolated")


def test_defaults_without_a_config() -> None:
    config = load_config(None)
    assert config == Config(root=config.root)
    assert config.stale_after_years == 3
    assert config.required_sections == ("Scope", "Key Recommendations")


# Each setting ------------------------------------------------------------------------------
def test_select_ignore_and_cli_overrides(tmp_path: Path) -> None:
    folder = corpus(tmp_path, **{"bad-2024.md": BROKEN_DATE.replace("aan-als-2024", "bad-2024")})
    toml = tmp_path / "guidelint.toml"
    toml.write_text('select = ["GL5"]\n')
    assert codes(folder) == []
    assert codes(folder, "--select", "GL2") == [("bad-2024.md", "GL201")]  # replaces select
    toml.write_text('extend-select = ["GL1"]\nignore = ["GL201"]\n')
    assert codes(folder) == []
    toml.write_text("")
    assert codes(folder, "--ignore", "GL201") == []


def test_per_file_ignores_and_extend_exclude(tmp_path: Path) -> None:
    bad = BROKEN_DATE.replace("aan-als-2024", "bad-2024")
    folder = corpus(tmp_path, **{"drafts__bad-2024.md": bad, "old__bad-2024.md": bad})
    toml = tmp_path / "guidelint.toml"
    toml.write_text('[per-file-ignores]\n"corpus/drafts/*" = ["GL2"]\n')
    found = codes(folder, "--ignore", "GL401")
    assert found == [("bad-2024.md", "GL201")]  # only the one under old/
    toml.write_text('extend-exclude = ["drafts", "corpus/old/*.md"]\n')
    result = run_cli("--today", TODAY, folder)
    assert result.stdout == "All checks passed (1 file checked).\n"
    # pre-commit names files one by one: the exclusion holds for named files too.
    named = run_cli("--today", TODAY, folder / "drafts" / "bad-2024.md")
    assert named.stdout == "All checks passed (0 files checked).\n"


def test_severity_overrides_decide_the_exit_code(tmp_path: Path) -> None:
    folder = corpus(tmp_path, **{"bad-2024.md": BROKEN_DATE.replace("aan-als-2024", "bad-2024")})
    (tmp_path / "guidelint.toml").write_text('[severity]\nGL201 = "warning"\n')
    result = run_cli("--today", TODAY, folder)
    assert result.exit_code == 0
    assert "GL201 warning: publication_date 2024-02-30" in result.stdout


def test_required_sections_and_staleness(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    toml = tmp_path / "guidelint.toml"
    toml.write_text('required-sections = ["Scope", "Methods"]\n')
    assert codes(folder) == [("aan-als-2024.md", "GL501")]
    toml.write_text("stale-after-years = 1\n")
    assert codes(folder) == [("aan-als-2024.md", "GL206")]  # reviewed 2025-01-01


def test_review_interval_overall_and_per_organization(tmp_path: Path) -> None:
    folder = corpus(tmp_path)  # reviewed 2025-01-01, checked on 2026-11-24
    toml = tmp_path / "guidelint.toml"
    toml.write_text("review-interval-years = 1\n")
    assert codes(folder) == [("aan-als-2024.md", "GL206")]
    toml.write_text('[review-interval-years]\n"American Academy of Neurology" = 1\n')
    assert codes(folder) == [("aan-als-2024.md", "GL206")]
    toml.write_text('[review-interval-years]\ndefault = 1\n"American Academy of Neurology" = 3\n')
    assert codes(folder) == []
    toml.write_text(
        'stale-after-years = 1\n[review-interval-years]\n"US Preventive Services Task Force" = 5\n'
    )
    assert codes(folder) == [("aan-als-2024.md", "GL206")]


def test_the_organization_interval_is_in_the_message(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    (tmp_path / "guidelint.toml").write_text(
        '[review-interval-years]\n"American Academy of Neurology" = 1\n'
    )
    result = run_cli("--today", TODAY, folder)
    assert "more than 1 years ago" in result.stdout or "more than 1 year ago" in result.stdout


def test_extra_vocabulary_values_are_accepted(tmp_path: Path) -> None:
    text = SEED.replace("specialty: neurology", "specialty: neuromuscular-medicine")
    folder = corpus(tmp_path)
    (folder / "aan-als-2024.md").write_text(text, "utf-8")
    assert codes(folder) == [("aan-als-2024.md", "GL104")]
    (tmp_path / "guidelint.toml").write_text(
        '[extra-vocabulary]\nspecialty = ["neuromuscular-medicine"]\n'
    )
    assert codes(folder) == []


def test_limits_are_configurable(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    (tmp_path / "guidelint.toml").write_text("[limits]\nmax-file-bytes = 100\n")
    result = run_cli("--today", TODAY, "--format", "json", folder)
    [row] = result.json()
    assert row["code"] == "GL011"


def test_corpus_root_links_a_file_named_alone_to_the_rest(tmp_path: Path) -> None:
    old = PREDECESSOR_TEXT
    seed_at = "current/aan-als-2024.md"
    folder = corpus(tmp_path, seed_at, **{"archive__aan-als-2009.md": old})
    named = folder / seed_at
    # Breaking the link from the old side: with only the new file named, the corpus is that
    # file's folder without a root, and the old version is not seen.
    broken = old.replace("superseded_by: aan-als-2024", "superseded_by: aan-als-2042")
    (folder / "archive" / "aan-als-2009.md").write_text(broken, "utf-8")
    assert codes(named) == []
    (tmp_path / "guidelint.toml").write_text('corpus-root = "corpus"\n')
    assert codes(named) == [("aan-als-2024.md", "GL403")]
    # The old file named alone: its broken link is caught against the new one.
    found = codes(folder / "archive" / "aan-als-2009.md")
    assert ("aan-als-2009.md", "GL403") in found


def test_git_top_level_is_the_default_corpus_root(tmp_path: Path) -> None:
    old = SEED.replace("id: aan-als-2024", "id: aan-als-2009").replace(
        "superseded_by: null", "superseded_by: aan-als-2024"
    )
    seed_at = "current/aan-als-2024.md"
    folder = corpus(tmp_path, seed_at, **{"archive__aan-als-2009.md": old})
    named = folder / seed_at
    assert codes(named) == []  # no root: the archive folder is not part of the corpus
    (tmp_path / ".git").mkdir()
    # In a git work tree, the other version is found: two current versions in one lineage.
    assert ("aan-als-2024.md", "GL405") in codes(named)


# Bad settings ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('selct = ["GL2"]', "'selct' is not a setting (did you mean 'select'?)"),
        ('select = ["GL8"]', "'select' names GL8, which matches no rule code"),
        ('select = "GL2"', "'select' must be a list of texts"),
        ("stale-after-years = 0", "'stale-after-years' must be a whole number of 1 or more"),
        ("stale-after-years = true", "'stale-after-years' must be a whole number"),
        ("review-interval-years = 0", "'review-interval-years' must be a whole number of 1"),
        (
            '[review-interval-years]\n"AAN" = "3"',
            "'review-interval-years.AAN' must be a whole number of 1 or more",
        ),
        ('[severity]\nGL201 = "fatal"', '\'severity.GL201\' must be "error" or "warning"'),
        ('[severity]\nGL999 = "error"', "'severity.GL999' is not a rule code"),
        ('[extra-vocabulary]\nspecialities = ["x"]', "(did you mean 'specialty'?)"),
        ('corpus-root = "nowhere"', "'corpus-root' names"),
        ("[limits]\nmax-file-byte = 5", "'limits.max-file-byte' is not a limit"),
        ('[per-file-ignores]\n"a/*" = ["GLX"]', "'per-file-ignores.a/*' names GLX"),
        ("select = [", "is not valid TOML"),
    ],
)
def test_bad_settings_exit_2_naming_the_key(tmp_path: Path, toml: str, message: str) -> None:
    folder = corpus(tmp_path)
    (tmp_path / "guidelint.toml").write_text(toml + "\n")
    result = run_process("--today", TODAY, folder, cwd=tmp_path)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "guidelint.toml" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(ConfigError):
        load_config(tmp_path / "guidelint.toml")


def test_pyproject_errors_name_the_table(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.guidelint]\nignor = ["GL2"]\n')
    result = run_process(folder, cwd=tmp_path)
    assert result.exit_code == 2
    assert "pyproject.toml: [tool.guidelint]: 'ignor' is not a setting" in result.stderr


def test_explicit_config_file(tmp_path: Path) -> None:
    folder = corpus(tmp_path, **{"bad-2024.md": BROKEN_DATE.replace("aan-als-2024", "bad-2024")})
    other = tmp_path / "elsewhere.toml"
    other.write_text('ignore = ["GL201"]\n')
    assert codes(folder, "--config", str(other)) == []
