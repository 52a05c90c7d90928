"""Fixes: text edits on a file's original bytes, applied the way ruff applies them.

A rule that can mend what it finds attaches a `Fix` to its finding: edits by line and column of
the original file (the same positions diagnostics use), and sometimes top-level metadata values
to set, which are turned into edits against the file they change when the fix is applied (the
lineage rules mend one file from what another says). Everything an edit does not touch stays
byte for byte: a byte-order mark, CRLF line endings, comments, quoting and key order. YAML is
never dumped again.

`--fix` checks, applies the non-overlapping fixes of each file in memory, checks the result
again, and repeats until nothing is left to fix (at most `MAX_ROUNDS` times). Then each changed
file is written atomically, unless it changed on disk since it was read.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from guidelint.core.diagnostic import Diagnostic
from guidelint.core.fixes import Edit, Fix, requote
from guidelint.core.safe_text import shown
from guidelint.core.span import Span

if TYPE_CHECKING:
    from guidelint.core.limits import Limits
    from guidelint.core.settings import Config, Settings
    from guidelint.engine.run import RunOptions, RunResult
    from guidelint.readers.yamlpos import Located, ParsedYaml

BOM = b"\xef\xbb\xbf"
LINE_BREAK = re.compile(r"\r\n|\r|\n")
DIFF_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
MAX_ROUNDS = 10


@dataclass(frozen=True, slots=True)
class FixScope:
    """The files a run's fixes may change, and the rules each one reports."""

    checked: frozenset[str]  # the files being checked
    reported: frozenset[tuple[str, str]]  # (file, code) of every problem reported

    @classmethod
    def of(cls, result: RunResult, checked: Iterable[str] | None = None) -> FixScope:
        files = result.paths if checked is None else checked
        reported = frozenset((d.path, d.code) for d in result.diagnostics)
        return cls(frozenset(files), reported)

    def allows(self, diagnostic: Diagnostic) -> bool:
        """Whether the problem's fix may change the file it is for.

        Only files being checked are changed: a fix for a file read for its lineage alone is
        not. A fix in another file (the other half of a link) is that file's problem too, so
        it is not made where that file suppresses or ignores the rule: its own report is gone.
        """
        fix = diagnostic.fix
        if fix is None:
            return False
        target = fix.target(diagnostic.path)
        if target not in self.checked:
            return False
        return target == diagnostic.path or (target, diagnostic.code) in self.reported


def applicable(diagnostic: Diagnostic, unsafe: bool, scope: FixScope) -> bool:
    """Whether --fix (with --unsafe-fixes when `unsafe`) would mend this problem."""
    fix = diagnostic.fix
    if fix is None or not (fix.applicability == "safe" or unsafe):
        return False
    return scope.allows(diagnostic)


def hidden(diagnostic: Diagnostic, unsafe: bool, scope: FixScope) -> bool:
    """Whether the problem has a fix that only --unsafe-fixes would apply."""
    fix = diagnostic.fix
    return (
        not unsafe
        and fix is not None
        and fix.applicability == "unsafe"
        and scope.allows(diagnostic)
    )


# Text edits ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Source:
    """A file's bytes split into what edits address: BOM, text, line starts and line ending."""

    bom: bytes
    text: str
    starts: tuple[int, ...]  # offset in `text` of each line's first character
    ends: tuple[int, ...]  # offset of each line's end, before its line break
    newline: str

    @classmethod
    def of(cls, data: bytes) -> Source:
        bom = BOM if data.startswith(BOM) else b""
        text = data[len(bom) :].decode("utf-8")
        starts, ends = [0], []
        breaks = list(LINE_BREAK.finditer(text))
        for match in breaks:
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(text))
        newline = breaks[0].group() if breaks else "\n"
        return cls(bom, text, tuple(starts), tuple(ends), newline)

    def offset(self, line: int, column: int) -> int | None:
        """Where (line, column) is in `text`; None when there is no such position."""
        if not 1 <= line <= len(self.starts) or column < 1:
            return None
        offset = self.starts[line - 1] + column - 1
        return offset if offset <= self.ends[line - 1] else None

    def line(self, number: int) -> str:
        return self.text[self.starts[number - 1] : self.ends[number - 1]]

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode("utf-8")


def _ranges(source: Source, edits: Iterable[Edit]) -> list[tuple[int, int, str]] | None:
    ranges = []
    for edit in edits:
        start = source.offset(edit.line, edit.column)
        end = source.offset(edit.end_line, edit.end_column)
        if start is None or end is None or end < start:
            return None
        ranges.append((start, end, edit.text.replace("\n", source.newline)))
    return ranges


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    if a == b:
        return False  # the same edit twice (two findings mended by one change)
    if a[0] == a[1] == b[0] == b[1]:
        return True  # two insertions at one place: their order would be a guess
    return a[0] < b[1] and b[0] < a[1]


class _Taken:
    """Edit ranges that do not overlap one another, in order, answering "does this range
    overlap one of you?" in logarithmic time, since one fix may hold thousands of edits (one
    raising thousands of headings) and checking every pair would be quadratic."""

    def __init__(self) -> None:
        # Sorted by (start, end, text). No two overlap, so their ends are in order too: of the
        # ranges starting before a point, the last one reaches furthest.
        self.ranges: list[tuple[int, int, str]] = []

    def overlaps(self, edit: tuple[int, int, str]) -> bool:
        start, end = edit[0], edit[1]
        low = bisect_left(self.ranges, (start,))
        high = bisect_left(self.ranges, (max(end, start + 1),))
        if high - low > 2:
            # At most an insertion and one other range can start where this one does, so a
            # third range starts inside it.
            return True
        nearby = self.ranges[max(low - 1, 0) : high]
        return any(_overlaps(edit, other) for other in nearby)

    def add(self, edit: tuple[int, int, str]) -> None:
        index = bisect_left(self.ranges, edit)
        if index == len(self.ranges) or self.ranges[index] != edit:
            self.ranges.insert(index, edit)


def apply_fixes(data: bytes, path: str, fixes: Iterable[Fix]) -> tuple[bytes, list[Fix]]:
    """The file with every fix applied that does not overlap an earlier one, and those fixes.

    Fixes are taken in order of their first position; a fix that overlaps one already taken,
    or whose positions no longer exist, waits for the next round (as in ruff).
    """
    source = Source.of(data)
    planned: list[tuple[int, Fix, list[tuple[int, int, str]]]] = []
    for fix in dict.fromkeys(fixes):  # the same fix on two findings is applied once
        edits = list(fix.edits) + value_edits(source, path, fix.values)
        if not edits:
            continue
        ranges = _ranges(source, edits)
        if ranges:
            planned.append((min(r[0] for r in ranges), fix, ranges))
    taken = _Taken()
    applied: list[Fix] = []
    for _, fix, ranges in sorted(planned, key=lambda item: item[0]):
        if _self_overlap(ranges) or any(taken.overlaps(r) for r in ranges):
            continue
        for r in ranges:
            taken.add(r)
        applied.append(fix)
    # One pass over the text, in order: replacing edit by edit copied the text each time.
    pieces = []
    done = 0
    for start, end, new in taken.ranges:
        pieces += [source.text[done:start], new]
        done = end
    pieces.append(source.text[done:])
    return source.encode("".join(pieces)), applied


def _self_overlap(ranges: list[tuple[int, int, str]]) -> bool:
    """Whether two of one fix's edits overlap: each is checked against those before it in
    order, which is every pair."""
    seen = _Taken()
    for edit in sorted(set(ranges)):
        if seen.overlaps(edit):
            return True
        seen.ranges.append(edit)  # in order, so appending keeps them sorted
    return False


# Setting a top-level value -----------------------------------------------------------------------
def value_edits(source: Source, path: str, values: Iterable[tuple[str, str]]) -> list[Edit]:
    """Edits that set each top-level key to a plain YAML value, keeping the rest as it is.

    A key that is present gets its value replaced (keeping its quotes); missing ones are added
    as new lines at the end of the front matter, in the order given, by one edit (two insertions
    at one place would overlap). Nothing is done to front matter that is not a block of
    `key: value` lines starting at column 1.
    """
    wanted = list(values)
    if not wanted:
        return []
    from guidelint.core.limits import DEFAULT_LIMITS
    from guidelint.readers.document import parse_document
    from guidelint.readers.yamlpos import parse_front_matter

    document = parse_document(source.encode(source.text), path).document
    if document is None:
        return []
    parsed = parse_front_matter(
        document.front_matter, path, document.front_matter_first_line, DEFAULT_LIMITS
    )
    top = [located for key, located in parsed.spans.items() if len(key) == 1]
    if parsed.diagnostics or not isinstance(parsed.data, dict):
        return []
    if any(located.key is None or located.key.column != 1 for located in top):
        return []
    edits = []
    added = ""
    for key, value in wanted:
        located = parsed.spans.get((key,))
        if located is None:
            misspelt = _misspelt(parsed, key)
            if misspelt is None:
                added += f"{key}: {value}\n"
                continue
            # The key is there under a name GL102 renames to it: adding it would make two.
            # Rename it (the same edit as GL102's) and set it, unless it holds another value.
            name, located = misspelt
            renamed = _renamed(source, located.key, name, key)
            if parsed.data.get(name) not in (None, "", value) or renamed is None:
                return []
            edits.append(renamed)
        span, key_span = located.value, located.key
        old = _text_at(source, span)
        if old is None or key_span is None:
            return []
        if span.line != span.end_line or (not old and span.line != key_span.line):
            return []  # a block value, or an empty value YAML placed on the next line
        if not old:
            edits.append(_after_colon(source, key_span, value))
        else:
            edits.append(Edit.replace(span, requote(old, value)))
    if added:
        edits.append(Edit.insert(document.body_first_line - 1, 1, added))
    return edits


def _misspelt(parsed: ParsedYaml, key: str) -> tuple[str, Located] | None:
    """The one unknown top-level key that stands for `key` (GL102 would rename it); None when
    there is none, or more than one (GL102 renames none of them then)."""
    from guidelint.checks.validation import known_keys
    from guidelint.core.suggest import meant_key

    known = known_keys()
    unknown = [
        (path[0], located)
        for path, located in parsed.spans.items()
        if len(path) == 1 and isinstance(path[0], str) and path[0] not in known
    ]
    meaning = [(name, located) for name, located in unknown if meant_key(name, known) == key]
    return meaning[0] if len(meaning) == 1 else None


def _renamed(source: Source, span: Span | None, name: str, key: str) -> Edit | None:
    if span is None:
        return None
    old = _text_at(source, span)
    if old is None or old not in (name, f'"{name}"', f"'{name}'"):
        return None
    return Edit.replace(span, requote(old, key))


def _after_colon(source: Source, key: Span, value: str) -> Edit:
    line = source.line(key.end_line)
    colon = line.index(":", key.end_column - 1)
    return Edit.insert(key.end_line, colon + 2, f" {value}")


def _text_at(source: Source, span: Span) -> str | None:
    start = source.offset(span.line, span.column)
    end = source.offset(span.end_line, span.end_column)
    if start is None or end is None or end < start:
        return None
    return source.text[start:end]


# Running: check, mend in memory, check again, write ------------------------------------------
@dataclass
class FixOutcome:
    result: RunResult  # what remains, checked after fixing
    fixed: list[Diagnostic]  # the findings mended, over all rounds
    original: dict[str, bytes] = field(default_factory=dict)  # display path -> bytes read
    files: dict[str, str] = field(default_factory=dict)  # display path -> the file's name
    fixed_bytes: dict[str, bytes] = field(default_factory=dict)  # display path -> new bytes
    not_written: dict[str, str] = field(default_factory=dict)  # display path -> why not
    # Files where a round of fixes made the file unreadable (a bug): that round was undone.
    reverted: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        return [p for p, data in self.fixed_bytes.items() if data != self.original[p]]


def fix_run(
    paths: list[Path],
    settings: Settings,
    enabled: frozenset[str],
    config: Config,
    options: RunOptions,
    *,
    unsafe: bool,
    write: bool,
) -> FixOutcome:
    """Check, mend and check again until nothing is left to mend; write only when `write`."""
    from guidelint.engine.run import run

    def check(contents: dict[str, bytes]) -> RunResult:
        return run(paths, settings, enabled, config, replace(options, contents=contents))

    fixer = _Fixer(check, unsafe, config.limits)
    for _ in range(MAX_ROUNDS):
        if not fixer.round():
            break
    outcome = FixOutcome(
        fixer.result,
        fixer.fixed,
        fixer.original,
        fixer.files,
        dict(fixer.contents),
        reverted=fixer.reverted,
    )
    if write:
        for target in outcome.changed:
            reason = write_if_unchanged(
                Path(fixer.files[target]), fixer.original[target], fixer.contents[target]
            )
            if reason is not None:
                outcome.not_written[target] = reason
        if outcome.not_written:
            # Report what is on disk for the files left alone, not what they would have become.
            kept = {p: data for p, data in fixer.contents.items() if p not in outcome.not_written}
            outcome.result = check(kept)
            outcome.fixed = [d for d in fixer.fixed if _target(d) not in outcome.not_written]
    return outcome


def fix_in_memory(
    check: Callable[[dict[str, bytes]], RunResult],
    held: dict[str, bytes],
    limits: Limits,
    *,
    unsafe: bool = False,
) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """The rounds of --fix on content held in memory, writing nothing: each file's content
    after fixing, and the problems mended. `check` judges a set of contents by display path
    (the files in `held` as they are then); a file it reports that is not held is read from
    disk, as --fix reads it."""
    fixer = _Fixer(check, unsafe, limits, held)
    for _ in range(MAX_ROUNDS):
        if not fixer.round():
            break
    return dict(fixer.contents), fixer.fixed


class _Fixer:
    """The state of one --fix run: the files' content in memory and what was mended so far."""

    def __init__(
        self,
        check: Callable[[dict[str, bytes]], RunResult],
        unsafe: bool,
        limits: Limits,
        held: dict[str, bytes] | None = None,
    ) -> None:
        self.check = check
        self.unsafe = unsafe
        self.limits = limits
        # Display path -> content, as mended so far; `held` starts it with files already in
        # memory (an editor's buffers), which are never read from disk.
        self.contents: dict[str, bytes] = dict(held or {})
        self.original: dict[str, bytes] = dict(self.contents)  # display path -> content as read
        self.fixed: list[Diagnostic] = []
        self.reverted: list[str] = []
        # Not planned again: unsafe fixes whose round left the corpus no better, and safe ones
        # that changed nothing while unsafe ones waited.
        self.refused: set[Fix] = set()
        self.held_back = False  # whether this round's plan leaves unsafe fixes for later
        self.result = check(self.contents)
        self.checked = set(self.result.paths)
        # The path shown is not always the file's name (caf\xe9.md): read and write this one.
        self.files = dict(self.result.files)

    def round(self) -> bool:
        """Apply one round of non-overlapping fixes; False when there was nothing to apply."""
        planned = self.plan()
        unread = [target for target in planned if target not in self.contents]
        if unread:
            # Mend only the bytes the findings were computed from: read, then check again.
            from guidelint.readers.document import read_bounded

            for target in unread:
                try:
                    # Never waiting on a FIFO put in the file's place since it was checked.
                    data = read_bounded(Path(self.files[target]), self.limits.max_file_bytes)
                except OSError:
                    self.checked.discard(target)
                else:
                    self.contents[target] = self.original[target] = data
            self.result = self.check(self.contents)
            return True
        before, checked_before = dict(self.contents), self.result
        mended: dict[str, list[Diagnostic]] = {}
        for target, diagnostics in planned.items():
            fixes = [d.fix for d in diagnostics if d.fix is not None]
            try:
                new, applied = apply_fixes(self.contents[target], target, fixes)
            except UnicodeDecodeError:
                continue
            if new != self.contents[target]:
                self.contents[target] = new
                chosen = set(applied)  # a set: a file may have thousands of fixes
                mended[target] = [d for d in diagnostics if d.fix in chosen]
        if not mended:
            if self.held_back:
                # These safe fixes change nothing (yet): let the unsafe ones have their round.
                self.refused |= {d.fix for ds in planned.values() for d in ds if d.fix}
                return True
            return False
        # A fix must never make a file unreadable; if one did (a bug), undo that round there.
        # Judged on the bytes, not on the diagnostics, which --select, --ignore, per-file
        # ignores and suppression comments may have left out.
        for target in sorted(mended):
            if _unreadable(self.contents[target], target, self.limits) and not _unreadable(
                before[target], target, self.limits
            ):
                self.contents[target] = before[target]
                self.reverted.append(target)
                del mended[target]
        self.result = self.check(self.contents)
        unsafe = {
            d.fix
            for diagnostics in mended.values()
            for d in diagnostics
            if d.fix is not None and d.fix.applicability == "unsafe"
        }
        if unsafe and not _better(checked_before, self.result):
            # An unsafe fix must leave fewer errors and no new one (the lineage rules cannot
            # foresee every combination): undo the round and do not offer its fixes again.
            self.contents, self.result = before, checked_before
            self.refused |= unsafe
            return True
        self.fixed += [d for diagnostics in mended.values() for d in diagnostics]
        return True

    def plan(self) -> dict[str, list[Diagnostic]]:
        """The problems to mend now, by the file their fix changes."""
        scope = FixScope.of(self.result, self.checked)
        wanted = [
            d
            for d in self.result.diagnostics
            if applicable(d, self.unsafe, scope)
            and _target(d) not in self.reverted
            and d.fix not in self.refused
        ]
        # Safe fixes first, in rounds of their own, so that an unsafe round is judged by
        # what the unsafe fixes alone did (a safe rename may reveal a new problem).
        safe = [d for d in wanted if d.fix is not None and d.fix.applicability == "safe"]
        self.held_back = bool(safe) and len(safe) < len(wanted)
        if safe:
            wanted = safe
        planned: dict[str, list[Diagnostic]] = {}
        for diagnostic in wanted:
            planned.setdefault(_target(diagnostic), []).append(diagnostic)
        return planned


def _better(before: RunResult, after: RunResult) -> bool:
    """Whether `after` has fewer errors than `before`, and no kind of error in a file more."""
    from collections import Counter

    def errors(result: RunResult) -> Counter[tuple[str, str]]:
        return Counter((d.path, d.code) for d in result.diagnostics if d.severity == "error")

    old, new = errors(before), errors(after)
    return new.total() < old.total() and not new - old


def _unreadable(data: bytes, path: str, limits: Limits) -> bool:
    """Whether a problem stops the file being read: encoding, front matter, YAML, limits."""
    from guidelint.readers.document import parse_document
    from guidelint.readers.yamlpos import parse_front_matter

    read = parse_document(data, path, limits)
    document = read.document
    if document is None or read.diagnostics:
        return True
    parsed = parse_front_matter(
        document.front_matter, path, document.front_matter_first_line, limits
    )
    return bool(parsed.diagnostics)


def _target(diagnostic: Diagnostic) -> str:
    return diagnostic.fix.target(diagnostic.path) if diagnostic.fix else diagnostic.path


def write_if_unchanged(file: Path, expected: bytes, new: bytes) -> str | None:
    """Write `new` atomically unless the file no longer holds `expected`; None, or why not.

    Only a regular file with one name is written. A file reached through a symbolic link is
    checked under its real name, so a link here was put in the file's place while guidelint
    ran: writing through it could change a file anywhere. Replacing a file that has other
    names (hard links) would leave them with the old text.
    """
    from guidelint.readers.document import FileTooLarge, read_bounded

    refusal = _not_writable(file)
    if refusal is not None:
        return refusal
    try:
        current = read_bounded(file, len(expected))
    except FileTooLarge:
        current = None  # it grew
    except OSError as exc:
        return f"it can no longer be read ({exc.strerror or exc.__class__.__name__})"
    if current != expected:
        return "it changed on disk while guidelint was fixing it; run guidelint --fix again"
    if _read_only(file):
        # Replacing the file by renaming would succeed in a writable folder, even as root:
        # a file marked read-only is left as it is.
        return "it is read-only; make it writable to let guidelint fix it"
    try:
        write_atomic(file, new)
    except OSError as exc:
        return f"it cannot be written ({exc.strerror or exc.__class__.__name__})"
    return None


def _not_writable(file: Path) -> str | None:
    try:
        info = os.lstat(file)
    except OSError as exc:
        return f"it can no longer be read ({exc.strerror or exc.__class__.__name__})"
    if stat.S_ISLNK(info.st_mode):
        return "it is a symbolic link; guidelint fixes only the file itself, by its real name"
    if not stat.S_ISREG(info.st_mode):
        return "it is no longer a regular file"
    if info.st_nlink > 1:
        return (
            f"the same file has {info.st_nlink} names (hard links), and fixing it here would "
            "leave the others unchanged; fix a copy, or remove the other names"
        )
    return None


def _read_only(file: Path) -> bool:
    try:
        mode = os.stat(file).st_mode  # noqa: PTH116
    except OSError:
        return False  # write_atomic reports it
    return not mode & 0o222 or not os.access(file, os.W_OK)


def write_atomic(file: Path, data: bytes) -> None:
    """Replace the file's content all at once: a temporary file beside it, synced, renamed.

    Readers, and a crash at any moment, see either the old or the new content, never a part.
    The file keeps its permission bits (and owner, where allowed). The name is replaced, never
    followed: a symbolic link is refused, not written through.
    """
    import tempfile  # here: the rules import this module, and every run imports the rules

    target = file
    info = os.lstat(target)
    if not stat.S_ISREG(info.st_mode):
        raise OSError(f"{file} is not a regular file")
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))  # noqa: PTH101
        with contextlib.suppress(OSError):  # only the owner's group or root may keep them
            os.chown(temporary, info.st_uid, info.st_gid)
        os.replace(temporary, target)  # noqa: PTH105
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every system lets a folder be opened for this."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def unified_diff(path: str, old: bytes, new: bytes) -> str:
    """A unified diff of one file, as `git diff` and ruff --diff show it.

    What the file holds is shown as text output shows it: a control or direction character
    inside a line is written as an escape (tabs and the line endings are kept), so that the
    diff cannot act on the terminal. A diff of a file holding one then no longer applies as a
    patch; `--fix` makes the change itself.
    """
    import difflib

    before = _diff_lines(old.decode("utf-8", "replace"))
    after = _diff_lines(new.decode("utf-8", "replace"))
    name = shown(path)
    lines = difflib.unified_diff(before, after, name, name)
    return "".join(
        _diff_line(line)
        if line.endswith("\n")
        else _diff_line(line) + "\n\\ No newline at end of file\n"
        for line in lines
    )


def _diff_line(line: str) -> str:
    body = line.removesuffix("\n")
    ending = line[len(body) :]
    if body.endswith("\r") and ending:
        body, ending = body[:-1], "\r" + ending
    return "\t".join(shown(part) for part in body.split("\t")) + ending


def _diff_lines(text: str) -> list[str]:
    """The lines as git and patch count them: each ends at `\\n`, keeping it (and a `\\r`
    before it). str.splitlines() would also break at U+2028, U+0085, a form feed and others,
    which makes a diff that does not apply."""
    return DIFF_LINE.findall(text)
