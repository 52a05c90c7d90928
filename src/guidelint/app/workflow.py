"""The editors' workflow: start, supersede, publish, amend, withdraw and reaffirm a guideline.

Each command is planned first: the files it would write, as minimal text edits on their
original bytes (the fix engine's edits: quoting, comments, key order and line endings stay).
The plan is checked as the whole corpus would be with those files in place; a plan that adds
an error is refused and nothing is written. Otherwise each file is written atomically, a new
file without ever replacing one that appeared meanwhile.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from guidelint.app.fix import Source, apply_fixes, value_edits
from guidelint.app.views.lineages import Version, read_versions
from guidelint.core.diagnostic import Diagnostic, Severity
from guidelint.core.fixes import Edit, Fix
from guidelint.core.settings import Config, Settings

if TYPE_CHECKING:
    from guidelint.readers.document import Document
    from guidelint.readers.yamlpos import ParsedYaml

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# Keys that describe one version's own history: a new version starts without them.
OWN_HISTORY = (
    "review_history",
    "next_review_date",
    "last_reviewed",
    "amends",
    "amended_by",
    "withdrawn_date",
    "withdrawal_reason",
    "referred_to",
)


class Refused(Exception):
    """The command cannot be done as asked; nothing was written. `exit_code` 2: the request
    itself (an unknown id, a version in the wrong state); 1: the result would not lint clean."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str  # as shown
    file: Path
    old: bytes | None  # None: a new file
    new: bytes


@dataclass(slots=True)
class Plan:
    changes: list[FileChange] = field(default_factory=list)
    said: list[str] = field(default_factory=list)  # what the plan does, in words

    def change(self, path: str, file: Path, old: bytes | None, new: bytes) -> None:
        for index, existing in enumerate(self.changes):
            if existing.path == path:
                self.changes[index] = FileChange(path, file, existing.old, new)
                return
        self.changes.append(FileChange(path, file, old, new))

    def current(self, corpus: Corpus, version: Version) -> bytes:
        """The version's bytes as this plan leaves them so far."""
        for existing in self.changes:
            if existing.path == version.path:
                return existing.new
        return corpus.read(version)


@dataclass(slots=True)
class Corpus:
    root: Path
    files: dict[str, Path]  # display path -> file
    versions: dict[str, Version]  # by id
    duplicated: set[str]  # ids that two files use
    config: Config  # the settings it was read with: limits, required sections

    def read(self, version: Version) -> bytes:
        from guidelint.readers.document import read_bounded

        return read_bounded(self.files[version.path], self.config.limits.max_file_bytes)

    def version(self, guideline_id: str, role: str) -> Version:
        if guideline_id in self.duplicated:
            raise Refused(f"{role} {guideline_id} is the id of more than one file; fix that first")
        found = self.versions.get(guideline_id)
        if found is None:
            raise Refused(f"{role} {guideline_id} is not the id of any guideline in {self.root}")
        return found


def read_corpus(root: Path, config: Config, settings: Settings) -> Corpus:
    from guidelint.engine.run import RunOptions, run

    result = run([root], settings, frozenset(), config, RunOptions(jobs=os.cpu_count() or 1))
    versions: dict[str, Version] = {}
    duplicated: set[str] = set()
    for version in read_versions(result.files.items(), config.limits):
        if version.id in versions:
            duplicated.add(version.id)
        versions.setdefault(version.id, version)
    files = {shown: Path(file) for shown, file in result.files.items()}
    return Corpus(root, files, versions, duplicated, config)


# Editing front matter ----------------------------------------------------------------------


def _apply(data: bytes, path: str, edits: Sequence[Edit], what: str) -> bytes:
    if not edits:
        raise Refused(f"{path}: cannot {what}: its front matter is not plain 'key: value' lines")
    new, applied = apply_fixes(data, path, [Fix.unsafe(what, *edits)])
    if not applied:
        raise Refused(f"{path}: cannot {what}: the edits overlap")
    return new


def set_values(data: bytes, path: str, values: Iterable[tuple[str, str]]) -> bytes:
    """The file with each top-level key set to a plain YAML value (added when missing)."""
    wanted = list(values)
    if not wanted:
        return data
    edits = value_edits(Source.of(data), path, wanted)
    return _apply(data, path, edits, "set " + ", ".join(key for key, _ in wanted))


def _parsed(data: bytes, path: str) -> tuple[Document, ParsedYaml]:
    from guidelint.core.limits import DEFAULT_LIMITS
    from guidelint.readers.document import parse_document
    from guidelint.readers.yamlpos import parse_front_matter

    document = parse_document(data, path).document
    if document is None:
        raise Refused(f"{path} cannot be read as a guideline; run guidelint on it first")
    parsed = parse_front_matter(
        document.front_matter, path, document.front_matter_first_line, DEFAULT_LIMITS
    )
    if parsed.diagnostics or not isinstance(parsed.data, dict):
        raise Refused(f"{path} has front matter guidelint cannot read; run guidelint on it first")
    return document, parsed


def remove_keys(data: bytes, path: str, keys: Iterable[str]) -> bytes:
    """The file without these top-level keys: each key's lines, from the key to its value's
    end, are deleted."""
    _, parsed = _parsed(data, path)
    edits = []
    for key in keys:
        located = parsed.spans.get((key,))
        if located is not None and located.key is not None:
            # Up to the start of the line after the value: its line break goes too. The
            # front matter's closing '---' line always follows.
            edits.append(Edit.delete(located.key.line, 1, located.value.end_line + 1, 1))
    return _apply(data, path, edits, "remove " + ", ".join(keys)) if edits else data


def add_to_list(
    data: bytes,
    path: str,
    key: str,
    item: str,
    *,
    single: bool = True,
    block: Sequence[str] = (),
) -> bytes:
    """The file with `item` (a flow YAML value) added to the list `key` holds.

    A missing or null key is set to the item alone with `single`, else to a list of one (as a
    block list of the `block` lines when given, the way editors write a list of mappings); a
    single value becomes a list of two; a flow list gets the item before its `]`; a block list
    a `- item` entry after its last, in the same indentation.
    """
    document, parsed = _parsed(data, path)
    value = parsed.data.get(key)
    if value is None:
        if single:
            return set_values(data, path, [(key, item)])
        if block and (key,) not in parsed.spans:
            # A new key at the end of the front matter, before its closing '---'.
            closing = document.body_first_line - 1
            entry = f"{key}:\n" + _block_entry("  ", block)
            return _apply(data, path, [Edit.insert(closing, 1, entry)], f"add {key}")
        return set_values(data, path, [(key, f"[{item}]")])
    source = Source.of(data)
    span = parsed.spans[(key,)].value
    start = source.offset(span.line, span.column)
    end = source.offset(span.end_line, span.end_column)
    if start is None or end is None:
        raise Refused(f"{path}: cannot add {item} to {key}: its value cannot be found")
    old = source.text[start:end]
    what = f"add {item} to {key}"
    if not isinstance(value, list):
        return _apply(data, path, [Edit.replace(span, f"[{old}, {item}]")], what)
    if old.startswith("["):
        inside = old[1:-1].strip()
        return _apply(
            data, path, [Edit.replace(span, f"[{inside}, {item}]" if inside else f"[{item}]")], what
        )
    first_line = source.line(span.line)
    indent = first_line[: len(first_line) - len(first_line.lstrip())]
    entry = _block_entry(indent, block) if block else f"{indent}- {item}\n"
    return _apply(data, path, [Edit.insert(span.end_line + 1, 1, entry)], what)


def _block_entry(indent: str, lines: Sequence[str]) -> str:
    """One entry of a block list: `- first`, the other lines under it."""
    return "".join(
        f"{indent}{'- ' if number == 0 else '  '}{line}\n" for number, line in enumerate(lines)
    )


def _ids_value(ids: Sequence[str]) -> str:
    return ids[0] if len(ids) == 1 else "[" + ", ".join(ids) + "]"


# The commands --------------------------------------------------------------------------------


def _new_id(corpus: Corpus, new_id: str, folder: Path) -> tuple[str, Path]:
    if not SLUG.fullmatch(new_id):
        raise Refused(
            f"{new_id!r} cannot be an id: use lowercase letters a-z, digits and single hyphens, "
            "such as aan-als-2027"
        )
    if new_id in corpus.versions:
        raise Refused(f"{new_id} is already the id of {corpus.versions[new_id].path}")
    file = folder / f"{new_id}.md"
    if os.path.lexists(file):
        raise Refused(f"{file} already exists")
    return _shown(file), file


def _shown(file: Path) -> str:
    from guidelint.engine.paths import display_path

    return display_path(file)


def plan_new(corpus: Corpus, new_id: str, today: date) -> Plan:
    """ID.md at the corpus root: every required key, the configured required sections."""
    shown, file = _new_id(corpus, new_id, corpus.root)
    front = [
        f"id: {new_id}",
        'title: ""',
        'organization: ""',
        'country: ""',
        'url: ""',
        'specialty: ""',
        'guideline_type: ""',
        'evidence_system: ""',
        "conditions: []",
        f"publication_date: {today.isoformat()}",
        "status: draft",
        "supersedes: null",
        "superseded_by: null",
    ]
    body = "".join(f"\n## {section}\n" for section in corpus.config.required_sections)
    text = "---\n" + "\n".join(front) + "\n---\n" + body
    plan = Plan()
    plan.change(shown, file, None, text.encode("utf-8"))
    plan.said.append(
        f"started {shown}, a draft: fill in the values and sections the check lists below"
    )
    return plan


def _must_be(version: Version, statuses: Sequence[str], role: str, doing: str) -> None:
    if version.status not in statuses:
        wanted = " or ".join(statuses)
        raise Refused(
            f"{role} {version.id} is {version.status or 'without a status'}, not {wanted}: "
            f"only a {wanted} version can be {doing}"
        )


def plan_supersede(corpus: Corpus, old_ids: Sequence[str], new_id: str, today: date) -> Plan:
    olds = [corpus.version(old_id, "OLD") for old_id in dict.fromkeys(old_ids)]
    for old in olds:
        _must_be(old, ("current",), "OLD", "superseded")
    first = olds[0]
    shown, file = _new_id(corpus, new_id, corpus.files[first.path].parent)
    dates = [old.publication_date for old in olds if old.publication_date is not None]
    text = remove_keys(corpus.read(first), first.path, OWN_HISTORY)
    text = set_values(
        text,
        shown,
        [
            ("id", new_id),
            ("status", "draft"),
            ("supersedes", _ids_value([old.id for old in olds])),
            ("superseded_by", "null"),
            ("previous_version_date", max(dates).isoformat() if dates else "null"),
            ("publication_date", today.isoformat()),
        ],
    )
    plan = Plan()
    plan.change(shown, file, None, text)
    names = ", ".join(old.id for old in olds)
    plan.said.append(
        f"started {shown}, a draft of the version that replaces {names}; edit it, then run "
        f"guidelint publish {new_id}"
    )
    return plan


def plan_amend(corpus: Corpus, base_id: str, new_id: str, today: date) -> Plan:
    base = corpus.version(base_id, "BASE")
    _must_be(base, ("current",), "BASE", "amended")
    shown, file = _new_id(corpus, new_id, corpus.files[base.path].parent)
    text = remove_keys(corpus.read(base), base.path, OWN_HISTORY)
    text = set_values(
        text,
        shown,
        [
            ("id", new_id),
            ("status", "draft"),
            ("supersedes", "null"),
            ("superseded_by", "null"),
            ("previous_version_date", "null"),
            ("publication_date", today.isoformat()),
            ("amends", f"[{base.id}]"),
        ],
    )
    plan = Plan()
    plan.change(shown, file, None, text)
    plan.said.append(
        f"started {shown}, a draft focused update of {base.id} (which stays current); edit "
        f"it, then run guidelint publish {new_id}"
    )
    return plan


def plan_publish(corpus: Corpus, new_id: str, day: date) -> Plan:
    new = corpus.version(new_id, "NEW")
    _must_be(new, ("draft",), "NEW", "published")
    values = [("status", "current"), ("publication_date", day.isoformat())]
    if new.last_reviewed is not None and new.last_reviewed < day:
        # Reviewed while a draft: published now, it was reviewed as it is published.
        values.append(("last_reviewed", day.isoformat()))
    plan = Plan()
    plan.change(
        new.path,
        corpus.files[new.path],
        corpus.read(new),
        set_values(corpus.read(new), new.path, values),
    )
    for old_id in new.supersedes:
        old = corpus.version(old_id, "the superseded version")
        _must_be(old, ("current", "superseded"), "the superseded version", "superseded")
        data = set_values(plan.current(corpus, old), old.path, [("status", "superseded")])
        if new.id not in old.superseded_by:
            data = add_to_list(data, old.path, "superseded_by", new.id)
        plan.change(old.path, corpus.files[old.path], corpus.read(old), data)
        plan.said.append(f"marked {old.path} superseded by {new.id}")
    for base_id in new.amends:
        base = corpus.version(base_id, "the amended version")
        _must_be(base, ("current",), "the amended version", "amended")
        if new.id not in base.amended_by:
            data = add_to_list(
                plan.current(corpus, base), base.path, "amended_by", new.id, single=False
            )
            plan.change(base.path, corpus.files[base.path], corpus.read(base), data)
            plan.said.append(f"noted in {base.path} that {new.id} amends it")
    plan.said.insert(0, f"published {new.path} ({new.id} is current from {day.isoformat()})")
    return plan


def plan_withdraw(
    corpus: Corpus, guideline_id: str, reason: str, referred_to: str | None, day: date
) -> Plan:
    """Withdraw the version, and with it the focused updates that amend it: an amendment
    does not stand without its base."""
    version = corpus.version(guideline_id, "ID")
    _must_be(version, ("current",), "ID", "withdrawn")
    if version.superseded_by:
        raise Refused(
            f"{guideline_id} names a successor ({', '.join(version.superseded_by)}): a replaced "
            "guideline is superseded, not withdrawn"
        )
    values = [
        ("status", "withdrawn"),
        ("withdrawn_date", day.isoformat()),
        ("withdrawal_reason", reason),
    ]
    if referred_to:
        values.append(("referred_to", _plain_or_quoted(referred_to)))
    amendments = [
        other
        for other in corpus.versions.values()
        if other.status == "current"
        and (guideline_id in other.amends or other.id in version.amended_by)
    ]
    plan = Plan()
    for withdrawn in (version, *amendments):
        data = corpus.read(withdrawn)
        plan.change(
            withdrawn.path,
            corpus.files[withdrawn.path],
            data,
            set_values(data, withdrawn.path, values),
        )
    plan.said.append(f"withdrew {version.path} ({reason}) on {day.isoformat()}")
    plan.said += [f"withdrew {a.path} too: it amends {guideline_id}" for a in amendments]
    return plan


def plan_reaffirm(corpus: Corpus, guideline_id: str, day: date) -> Plan:
    version = corpus.version(guideline_id, "ID")
    _must_be(version, ("current",), "ID", "reaffirmed")
    data = corpus.read(version)
    item = f"{{date: {day.isoformat()}, outcome: reaffirmed}}"
    block = (f"date: {day.isoformat()}", "outcome: reaffirmed")
    new = add_to_list(data, version.path, "review_history", item, single=False, block=block)
    new = set_values(new, version.path, [("last_reviewed", day.isoformat())])
    plan = Plan()
    plan.change(version.path, corpus.files[version.path], data, new)
    plan.said.append(
        f"reaffirmed {version.path} on {day.isoformat()} (review_history, last_reviewed)"
    )
    return plan


def _plain_or_quoted(text: str) -> str:
    """A value written plain when YAML reads it back as the same text, else double-quoted."""
    import json

    import yaml

    try:
        if yaml.safe_load(text) == text and "#" not in text:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text)


# Checking and writing ------------------------------------------------------------------------


def new_errors(
    corpus: Corpus, plan: Plan, config: Config, settings: Settings, enabled: frozenset[str]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The errors the plan adds to the corpus, and every problem of the files it writes."""
    from guidelint.engine.run import RunOptions, run

    options = RunOptions(jobs=os.cpu_count() or 1)
    before = run([corpus.root], settings, enabled, config, options)
    contents = {change.path: change.new for change in plan.changes}
    created = [Path(change.path) for change in plan.changes if change.old is None]
    after = run(
        [corpus.root, *created],
        settings,
        enabled,
        config,
        RunOptions(jobs=options.jobs, contents=contents),
    )

    def key(d: Diagnostic) -> tuple[str, str, str]:
        return (d.path, d.code, d.message)

    had = {key(d) for d in before.diagnostics}
    added = [d for d in after.diagnostics if d.severity is Severity.ERROR and key(d) not in had]
    touched = [d for d in after.diagnostics if d.path in contents]
    return added, touched


def write(plan: Plan) -> None:
    """Write every file of the plan, or none: a failure undoes what was written before it."""
    from guidelint.app.fix import write_atomic, write_if_unchanged

    done: list[FileChange] = []
    try:
        for change in plan.changes:
            if change.old is None:
                _create(change.file, change.new)
            else:
                problem = write_if_unchanged(change.file, change.old, change.new)
                if problem is not None:
                    raise Refused(f"{change.path} was not written: {problem}")
            done.append(change)
    except BaseException:
        for change in reversed(done):
            if change.old is None:
                change.file.unlink(missing_ok=True)
            else:
                write_atomic(change.file, change.old)
        raise


def _create(file: Path, data: bytes) -> None:
    """A new file with all its content at once, never replacing one that exists."""
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, file)  # fails if the name exists, unlike a rename
        except FileExistsError as exc:
            raise Refused(
                f"{file} appeared while guidelint was writing it; nothing written"
            ) from exc
    finally:
        Path(temporary).unlink(missing_ok=True)
