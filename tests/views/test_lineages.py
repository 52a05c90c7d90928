"""The lineages the views draw: every shape real producers use, and every broken link."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from guidelint.app.views.lineages import EdgeState, Lineage, lineages, read_versions, version_from
from guidelint.core.limits import DEFAULT_LIMITS
from tests.views.corpus import shapes_corpus


@pytest.fixture(scope="module")
def by_key(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Lineage]:
    folder = shapes_corpus(tmp_path_factory.mktemp("shapes"))
    files = [(str(p), p) for p in sorted(folder.glob("*.md"))]
    return {lineage.key: lineage for lineage in lineages(read_versions(files, DEFAULT_LIMITS))}


def states(lineage: Lineage) -> set[tuple[str, str, str, str]]:
    return {(e.older, e.newer, e.kind, e.state.value) for e in lineage.edges}


def test_every_lineage_is_named_by_its_newest_version(by_key: dict[str, Lineage]) -> None:
    assert set(by_key) == {
        "uspstf-a-2024",
        "nice-cg137-2012",
        "nice-ng17-2015",
        "acc-hf-2017",
        "aan-x-2027",
        "aan-y-2020",
        "aan-z-2015",
        "aan-loop-2012",
    }


def test_a_chain_is_oldest_first_with_links_agreeing(by_key: dict[str, Lineage]) -> None:
    chain = by_key["uspstf-a-2024"]
    assert [v.id for v in chain.versions] == ["uspstf-a-2009", "uspstf-a-2016", "uspstf-a-2024"]
    assert states(chain) == {
        ("uspstf-a-2009", "uspstf-a-2016", "supersedes", "ok"),
        ("uspstf-a-2016", "uspstf-a-2024", "supersedes", "ok"),
    }
    assert chain.problems == []


def test_a_merge_and_a_split_are_lineages_without_problems(by_key: dict[str, Lineage]) -> None:
    assert states(by_key["nice-cg137-2012"]) == {
        ("nice-cg20-2004", "nice-cg137-2012", "supersedes", "ok"),
        ("nice-ta76-2004", "nice-cg137-2012", "supersedes", "ok"),
    }
    assert states(by_key["nice-ng17-2015"]) == {
        ("nice-cg15-2004", "nice-ng17-2015", "supersedes", "ok"),
        ("nice-cg15-2004", "nice-ng18-2015", "supersedes", "ok"),
    }


def test_an_amendment_is_its_own_kind_of_link(by_key: dict[str, Lineage]) -> None:
    assert states(by_key["acc-hf-2017"]) == {("acc-hf-2013", "acc-hf-2017", "amends", "ok")}


def test_a_draft_named_by_nothing_yet_is_no_problem(by_key: dict[str, Lineage]) -> None:
    draft = by_key["aan-x-2027"]
    assert states(draft) == {("aan-x-2020", "aan-x-2027", "supersedes", "draft")}
    assert draft.problems == []


def test_broken_links_are_told_apart_and_said_in_words(by_key: dict[str, Lineage]) -> None:
    (one_sided,) = by_key["aan-y-2020"].problems
    assert one_sided.state is EdgeState.ONE_SIDED
    assert one_sided.problem() == (
        "aan-y-2020 says it replaces aan-y-2010, but aan-y-2010 does not say so"
    )
    (dangling,) = by_key["aan-z-2015"].problems
    assert dangling.state is EdgeState.DANGLING
    assert by_key["aan-z-2015"].missing == ["aan-z-2099"]
    assert by_key["aan-z-2015"].dangling("aan-z-2099")
    assert "no file has the id aan-z-2099" in dangling.problem()
    loop = by_key["aan-loop-2012"]
    assert {e.state for e in loop.edges} == {EdgeState.CYCLE}
    assert len(loop.problems) == 2


def test_an_earlier_version_the_corpus_does_not_keep_is_no_problem() -> None:
    seed = Path(__file__).resolve().parents[2] / "seeds" / "aan-als-2024.md"
    (lineage,) = lineages(read_versions([("seed.md", seed)], DEFAULT_LIMITS))
    assert lineage.missing == ["aan-als-2009"]
    assert not lineage.dangling("aan-als-2009")
    assert [e.state for e in lineage.edges] == [EdgeState.OUTSIDE]
    assert lineage.problems == []
    assert lineage.versions[0].line == 2  # the id's line, for links to the file


def test_a_link_to_itself_is_a_loop() -> None:
    version = version_from("a.md", 2, {"id": "a", "supersedes": "a", "superseded_by": "a"})
    assert version is not None
    (lineage,) = lineages([version])
    assert [e.state for e in lineage.edges] == [EdgeState.CYCLE]


def test_values_of_the_wrong_shape_name_nothing() -> None:
    version = version_from(
        "a.md",
        2,
        {
            "id": "a",
            "supersedes": 7,
            "superseded_by": ["b", None, 3, " "],
            "publication_date": "2024-02-30",
            "review_history": [{"date": "2025-01-01"}, "x", {"date": 5}],
        },
    )
    assert version is not None
    assert version.supersedes == ()
    assert version.superseded_by == ("b",)
    assert version.publication_date is None
    assert version.review_dates == (date(2025, 1, 1),)
    assert version_from("a.md", 1, {"title": "no id"}) is None


def test_a_long_chain_is_read_without_recursion() -> None:
    count = 20_000
    chain = [
        version_from(
            f"v{i}.md",
            2,
            {
                "id": f"v{i}",
                "supersedes": f"v{i - 1}" if i else None,
                "superseded_by": f"v{i + 1}" if i + 1 < count else None,
            },
        )
        for i in range(count)
    ]
    (lineage,) = lineages([v for v in chain if v is not None])
    assert len(lineage.versions) == count
    assert {e.state for e in lineage.edges} == {EdgeState.OK}
