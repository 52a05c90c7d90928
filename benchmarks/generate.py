"""Generate seed-shaped guideline corpora: lineages of 1 to 4 versions, linked both ways, and
some merges, splits, focused updates and drafted successors.

    python benchmarks/generate.py OUT_DIR --n 10000 [--defect-rate 0.1] [--seed 1]

With a defect rate, that share of files gets exactly one injected defect; `generate()` returns
which files got which, and the rule code each defect must produce. Defects that would hide a
file from the corpus pass (broken YAML, unclosed front matter) go only into single-version
lineages, so that no untouched file is affected by them.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ORGS = [
    ("aan", "American Academy of Neurology", "United States", "neurology", "aan-grade"),
    (
        "nice",
        "National Institute for Health and Care Excellence",
        "United Kingdom",
        "cardiology",
        "nice",
    ),
    ("who", "World Health Organization", "International", "infectious-disease", "grade"),
    (
        "acc-aha",
        "American College of Cardiology/American Heart Association",
        "United States",
        "cardiology",
        "acc-aha-cor-loe",
    ),
    (
        "idsa",
        "Infectious Diseases Society of America",
        "United States",
        "infectious-disease",
        "grade",
    ),
    (
        "uspstf",
        "US Preventive Services Task Force",
        "United States",
        "preventive-medicine",
        "uspstf",
    ),
    (
        "sign",
        "Scottish Intercollegiate Guidelines Network",
        "United Kingdom",
        "pulmonology",
        "sign",
    ),
    ("esc", "European Society of Cardiology", "International", "cardiology", "esc"),
    ("ada", "American Diabetes Association", "United States", "endocrinology", "ada"),
    ("acr", "American College of Rheumatology", "United States", "rheumatology", "grade"),
]
TOPICS = [
    ("als", "Amyotrophic Lateral Sclerosis"),
    ("migraine", "Migraine"),
    ("epilepsy", "Epilepsy"),
    ("heart-failure", "Heart Failure"),
    ("hypertension", "Hypertension"),
    ("sepsis", "Sepsis"),
    ("asthma", "Asthma"),
    ("copd", "Chronic Obstructive Pulmonary Disease"),
    ("diabetes-type-2", "Type 2 Diabetes"),
    ("gout", "Gout"),
    ("lyme", "Lyme Disease"),
    ("af", "Atrial Fibrillation"),
    ("depression", "Major Depressive Disorder"),
]
TODAY = date(2026, 11, 24)


@dataclass
class Version:
    id: str
    org: tuple[str, str, str, str, str]
    topic: tuple[str, str]
    published: date
    reviewed: date | None
    status: str = "current"
    supersedes: list[str] = field(default_factory=list)
    superseded_by: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    amended_by: list[str] = field(default_factory=list)
    previous_date: date | None = None


def _ids(ids: list[str]) -> str:
    if not ids:
        return "null"
    return ids[0] if len(ids) == 1 else "[" + ", ".join(ids) + "]"


def _body(rng: random.Random, topic: str) -> str:
    subsections = rng.sample(
        [
            "Diagnosis",
            "Treatment",
            "Monitoring",
            "Prevention",
            "Referral",
            "Follow-up",
            "Special Populations",
            "Palliative Care",
        ],
        k=rng.randint(2, 4),
    )
    out = [
        "",
        "## Scope",
        "",
        f"This guideline gives recommendations for adults with {topic.lower()}. It covers "
        "diagnosis, treatment and follow-up in primary and specialist care.",
        "",
        "<!-- Editorial note: check recommendation grades at the next review. -->",
        "",
        "## Key Recommendations",
        "",
    ]
    for name in subsections:
        out += [f"### {name}", ""]
        for index in range(rng.randint(3, 6)):
            out.append(
                f"- Recommendation {index + 1} on {name.lower()} (grade {rng.choice('ABC')})"
            )
        out.append("")
    out += [
        "```text",
        "# Dosing table exported from the source PDF; not a heading",
        "dose | interval",
        "```",
        "",
        "## Evidence Summary",
        "",
        "| Outcome | Certainty |",
        "|---|---|",
        "| Mortality | Moderate |",
        "| Quality of life | Low |",
        "",
    ]
    return "\n".join(out)


def render(v: Version, rng: random.Random) -> str:
    prefix, org_name, country, specialty, evidence = v.org
    slug, topic = v.topic
    previous_date = v.previous_date.isoformat() if v.previous_date else "null"
    reviewed = v.reviewed.isoformat() if v.reviewed else "null"
    amendments = "".join(
        f"{key}: [{', '.join(ids)}]\n"
        for key, ids in (("amends", v.amends), ("amended_by", v.amended_by))
        if ids
    )
    front = f"""---
id: {v.id}
title: "{org_name} Guideline: Management of {topic}"
short_title: "{topic}"
organization: {org_name}
country: {country}
url: https://guidelines.example.org/{prefix}/{slug}/{v.published.year}
specialty: {specialty}
guideline_type: clinical-practice
evidence_system: {evidence}
conditions:
  - {topic}
tags:
  - {slug}
  - {prefix}
publication_date: {v.published.isoformat()}
previous_version_date: {previous_date}
status: {v.status}
supersedes: {_ids(v.supersedes)}
superseded_by: {_ids(v.superseded_by)}
{amendments}pdf_path: null
has_pdf: false
last_reviewed: {reviewed}
---"""
    return front + "\n" + _body(rng, topic)


# Shapes of history besides a chain, and the share of lineages that take each: real producers
# merge, split, publish focused updates and draft the next version (issue 15).
SHAPES = [("merge", 0.04), ("split", 0.04), ("amendment", 0.04), ("draft", 0.04)]


def _reviewed(rng: random.Random, published: date, current: bool) -> date:
    reviewed = (
        TODAY - timedelta(days=rng.randint(0, 700))
        if current
        else published + timedelta(days=rng.randint(0, 300))
    )
    return max(reviewed, published)


def _link(older: Version, newer: Version) -> None:
    older.superseded_by.append(newer.id)
    older.status = "superseded"
    newer.supersedes.append(older.id)
    newer.previous_date = max(newer.previous_date or older.published, older.published)


def _chain(
    rng: random.Random,
    org: tuple[str, str, str, str, str],
    topic: tuple[str, str],
    key: str,
    size: int,
) -> list[Version]:
    years = sorted(rng.sample(range(1995, 2026), size))
    versions: list[Version] = []
    for year in years:
        published = date(year, rng.randint(1, 12), rng.randint(1, 28))
        version = Version(
            f"{org[0]}-{key}-{year}", org, topic, published, _reviewed(rng, published, True)
        )
        if versions:
            _link(versions[-1], version)
            versions[-1].reviewed = _reviewed(rng, versions[-1].published, False)
        versions.append(version)
    return versions


def _shaped(
    shape: str,
    rng: random.Random,
    org: tuple[str, str, str, str, str],
    topic: tuple[str, str],
    key: str,
) -> list[Version]:
    """A lineage of three versions in `shape`."""
    first, second = sorted(rng.sample(range(1995, 2024), 2))

    def version(suffix: str, year: int) -> Version:
        published = date(year, rng.randint(1, 12), rng.randint(1, 28))
        return Version(
            f"{org[0]}-{key}{suffix}-{year}", org, topic, published, _reviewed(rng, published, True)
        )

    if shape == "merge":  # two versions replaced by one
        a, b, merged = version("-a", first), version("-b", first), version("", second)
        for older in (a, b):
            _link(older, merged)
            older.reviewed = _reviewed(rng, older.published, False)
        return [a, b, merged]
    if shape == "split":  # one version replaced by two, both current
        whole, adults, children = (
            version("", first),
            version("-adults", second),
            version("-children", second),
        )
        for newer in (adults, children):
            _link(whole, newer)
        whole.reviewed = _reviewed(rng, whole.published, False)
        return [whole, adults, children]
    if shape == "amendment":  # a base and two focused updates, all current
        base = version("", first)
        updates = [version("-update", second), version("-update", min(second + 1, 2025))]
        if updates[0].id == updates[1].id:
            updates.pop()
        for update in updates:
            update.amends.append(base.id)
            base.amended_by.append(update.id)
        return [base, *updates]
    # draft: a chain of two and the next version being drafted, planned for a future date
    older, current = version("", first), version("", second)
    _link(older, current)
    older.reviewed = _reviewed(rng, older.published, False)
    planned = TODAY + timedelta(days=rng.randint(30, 400))
    draft = Version(f"{org[0]}-{key}-{planned.year}", org, topic, planned, None, "draft")
    if draft.id == current.id:
        draft.id = f"{org[0]}-{key}-draft-{planned.year}"
    draft.supersedes.append(current.id)
    draft.previous_date = current.published
    return [older, current, draft]


def _lineages(n: int, rng: random.Random) -> list[list[Version]]:
    lineages: list[list[Version]] = []
    count = 0
    serial = 0
    while count < n:
        org = rng.choice(ORGS)
        topic = rng.choice(TOPICS)
        serial += 1
        key = f"{topic[0]}-{serial}"
        roll, shape = rng.random(), None
        for name, share in SHAPES:
            if roll < share:
                shape = name
                break
            roll -= share
        if shape is not None and n - count >= 3:
            versions = _shaped(shape, rng, org, topic, key)
        else:
            versions = _chain(rng, org, topic, key, min(rng.randint(1, 4), n - count))
        lineages.append(versions)
        count += len(versions)
    return lineages


Defect = tuple[str, Callable[[str], str]]


def _replace(old: str, new: str) -> Callable[[str], str]:
    def apply(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return apply


def _defects(v: Version) -> list[Defect]:
    """Defects local to one file: each keeps id and lineage keys readable."""
    country = v.org[2]
    reviewed = v.reviewed.isoformat() if v.reviewed else "null"
    return [
        ("GL103", _replace(f"country: {country}", "country: NO")),
        ("GL102", _replace("has_pdf: false", "has_pfd: false")),
        ("GL104", _replace("guideline_type: clinical-practice", "guideline_type: clinical")),
        ("GL105", _replace("url: https://", "url: ftp://")),
        ("GL107", _replace("tags:\n", f"tags:\n  - {v.topic[0]}\n")),
        ("GL008", _replace("short_title:", "title: duplicated\nshort_title:")),
        (
            "GL201",
            _replace(f"last_reviewed: {reviewed}", "last_reviewed: 2023-02-30"),
        ),
        ("GL305", _replace("has_pdf: false", "has_pdf: true")),
        (
            "GL306",
            _replace("pdf_path: null\nhas_pdf: false", "pdf_path: /tmp/x.pdf\nhas_pdf: true"),
        ),
        ("GL501", _replace("## Scope", "## Purpose")),
        ("GL502", _replace("## Scope", "# Guideline\n\n## Scope")),
        ("GL503", _replace("### ", "#### ")),
        ("GL505", lambda text: text + "\n## Notes\n"),
    ]


def _isolating_defects() -> list[Defect]:
    """Defects that make a file's metadata unreadable: only for single-version lineages."""
    return [
        ("GL006", _replace('short_title: "', 'short_title: unquoted: "')),
        ("GL005", lambda text: text.replace("\n---\n", "\n", 1)),
    ]


def generate(out: Path, n: int, defect_rate: float = 0.0, seed: int = 1) -> dict[str, str]:
    """Write `n` guideline files under `out`; return {file name: expected code} for defects."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    injected: dict[str, str] = {}
    for lineage in _lineages(n, rng):
        for version in lineage:
            text = render(version, rng)
            if rng.random() < defect_rate:
                choices = _defects(version)
                if len(lineage) == 1:
                    choices += _isolating_defects()
                code, apply = rng.choice(choices)
                text = apply(text)
                injected[f"{version.id}.md"] = code
            (out / f"{version.id}.md").write_text(text, encoding="utf-8")
    return injected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--defect-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    injected = generate(args.out, args.n, args.defect_rate, args.seed)
    print(f"wrote {args.n} files to {args.out} ({len(injected)} with an injected defect)")


if __name__ == "__main__":
    main()
