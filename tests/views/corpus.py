"""Small corpora with every shape of lineage, written from the seed guideline."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import SEED_TEXT, write_corpus


def guideline(
    guideline_id: str,
    published: str,
    status: str = "current",
    *,
    organization: str = "American Academy of Neurology",
    specialty: str = "neurology",
    supersedes: str | list[str] | None = None,
    superseded_by: str | list[str] | None = None,
    extra: str = "",
    last_reviewed: str | None = None,
    previous: str | None = None,
) -> str:
    """The seed's text with this id, dates, status and links; `extra` lines are added to the
    front matter as written."""

    def value(links: str | list[str] | None) -> str:
        if links is None:
            return "null"
        if isinstance(links, str):
            return links
        return "[" + ", ".join(links) + "]"

    lines = {
        "id": guideline_id,
        "organization": organization,
        "specialty": specialty,
        "publication_date": published,
        "previous_version_date": previous or "null",
        "status": status,
        "supersedes": value(supersedes),
        "superseded_by": value(superseded_by),
        "last_reviewed": last_reviewed or published,
    }
    text = SEED_TEXT
    for key, new in lines.items():
        line = f"{key}: {new}"
        text, count = re.subn(rf"(?m)^{key}: .*$", lambda _, line=line: line, text, count=1)
        assert count == 1, key
    return text.replace("\n---\n", "\n" + extra + "---\n", 1) if extra else text


def shapes_corpus(folder: Path) -> Path:
    """A chain, a merge, a split, a base with a focused update, a draft successor, and three
    broken links (one-sided, to a successor no file has, a loop)."""
    uspstf = {
        "organization": "US Preventive Services Task Force",
        "specialty": "preventive-medicine",
    }
    nice = {
        "organization": "National Institute for Health and Care Excellence",
        "specialty": "neurology",
    }
    files = {
        # A chain of three.
        "uspstf-a-2009.md": guideline(
            "uspstf-a-2009", "2009-11-17", "superseded", superseded_by="uspstf-a-2016", **uspstf
        ),
        "uspstf-a-2016.md": guideline(
            "uspstf-a-2016",
            "2016-01-12",
            "superseded",
            supersedes="uspstf-a-2009",
            superseded_by="uspstf-a-2024",
            previous="2009-11-17",
            **uspstf,
        ),
        "uspstf-a-2024.md": guideline(
            "uspstf-a-2024",
            "2024-04-30",
            supersedes="uspstf-a-2016",
            previous="2016-01-12",
            **uspstf,
        ),
        # A merge: two replaced by one.
        "nice-cg20-2004.md": guideline(
            "nice-cg20-2004", "2004-10-27", "superseded", superseded_by="nice-cg137-2012", **nice
        ),
        "nice-ta76-2004.md": guideline(
            "nice-ta76-2004", "2004-03-24", "superseded", superseded_by="nice-cg137-2012", **nice
        ),
        "nice-cg137-2012.md": guideline(
            "nice-cg137-2012",
            "2012-01-11",
            supersedes=["nice-cg20-2004", "nice-ta76-2004"],
            previous="2004-10-27",
            **nice,
        ),
        # A split: one replaced by two.
        "nice-cg15-2004.md": guideline(
            "nice-cg15-2004",
            "2004-07-28",
            "superseded",
            superseded_by=["nice-ng17-2015", "nice-ng18-2015"],
            **nice,
        ),
        "nice-ng17-2015.md": guideline(
            "nice-ng17-2015",
            "2015-08-26",
            supersedes="nice-cg15-2004",
            previous="2004-07-28",
            **nice,
        ),
        "nice-ng18-2015.md": guideline(
            "nice-ng18-2015",
            "2015-08-01",
            supersedes="nice-cg15-2004",
            previous="2004-07-28",
            **nice,
        ),
        # A base and its focused update.
        "acc-hf-2013.md": guideline(
            "acc-hf-2013", "2013-06-05", extra="amended_by: [acc-hf-2017]\n"
        ),
        "acc-hf-2017.md": guideline("acc-hf-2017", "2017-04-28", extra="amends: [acc-hf-2013]\n"),
        # A draft meant to replace a current version.
        "aan-x-2020.md": guideline("aan-x-2020", "2020-03-01", last_reviewed="2021-01-01"),
        "aan-x-2027.md": guideline(
            "aan-x-2027", "2027-01-01", "draft", supersedes="aan-x-2020", previous="2020-03-01"
        ),
        # A one-sided link: the newer names the older, which does not name it back.
        "aan-y-2010.md": guideline("aan-y-2010", "2010-01-01", "superseded"),
        "aan-y-2020.md": guideline(
            "aan-y-2020", "2020-05-01", supersedes="aan-y-2010", previous="2010-01-01"
        ),
        # A successor no file has.
        "aan-z-2015.md": guideline(
            "aan-z-2015", "2015-01-01", "superseded", superseded_by="aan-z-2099"
        ),
        # A loop.
        "aan-loop-2011.md": guideline(
            "aan-loop-2011",
            "2011-01-01",
            "superseded",
            supersedes="aan-loop-2012",
            superseded_by="aan-loop-2012",
        ),
        "aan-loop-2012.md": guideline(
            "aan-loop-2012",
            "2012-01-01",
            "superseded",
            supersedes="aan-loop-2011",
            superseded_by="aan-loop-2011",
        ),
    }
    return write_corpus(folder, files)


BROKEN = ("aan-y-", "aan-z-", "aan-loop-")


def clean_corpus(folder: Path) -> Path:
    """The shapes corpus without its broken links: it lints clean (warnings aside)."""
    shapes_corpus(folder)
    for file in folder.glob("*.md"):
        if file.name.startswith(BROKEN):
            file.unlink()
    return folder
