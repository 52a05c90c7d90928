"""Read a file's bytes, decode them, and split front matter from body.

The split follows python-frontmatter's delimiter rule (a line of three or more dashes, trailing
blanks allowed) but, unlike it, reports unclosed or misplaced front matter instead of silently
treating the whole file as body.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path

from guidelint.core import codes
from guidelint.core.diagnostic import Diagnostic, Severity
from guidelint.core.limits import DEFAULT_LIMITS, Limits
from guidelint.core.span import Span

DELIMITER = re.compile(r"-{3,}[ \t]*")
# A delimiter line after the first, with the line break before it.
CLOSING_DELIMITER = re.compile(r"\n-{3,}[ \t]*(?=\n|\Z)")
# What may start a line of Markdown inside lists and quotes: markers, numbers, indentation.
CONTAINER_PREFIX = "[ \t>*+\\-0-9.)]"
INLINE_MARKERS = ("*", "_", "[")
BLANK_LINES = re.compile(r"\n[ \t]*\n")
BOM = b"\xef\xbb\xbf"
UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
BINARY_SNIFF_BYTES = 8000


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded guideline file. Newlines are normalised to \\n; line numbers are unchanged."""

    path: str
    text: str
    front_matter: str
    front_matter_first_line: int
    body: str
    body_first_line: int
    line_count: int


@dataclass(frozen=True, slots=True)
class ReadResult:
    document: Document | None
    diagnostics: list[Diagnostic]


def _error(path: str, span: Span, code: str, message: str) -> ReadResult:
    return ReadResult(None, [Diagnostic.at(path, span, code, Severity.ERROR, message)])


def _mb(size: int) -> str:
    """A size as people read it: 1.5 MB, 300 KB, 100 bytes."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{size // 1024} KB" if size >= 1024 else f"{size} bytes"


class NotRegularFile(OSError):
    """What was opened is a folder, FIFO or device, not a file."""


class FileTooLarge(OSError):
    def __init__(self, size: int) -> None:
        super().__init__(f"file of {size} bytes")
        self.size = size


def open_regular(file: Path) -> int:
    """A descriptor open for reading on a regular file; raises NotRegularFile otherwise.

    Opening never blocks, and the check is made on what was opened, not on the name: a FIFO
    or folder put in a file's place is refused, never waited on.
    """
    return _open_regular(file)[0]


def _open_regular(file: Path) -> tuple[int, os.stat_result]:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)  # Windows would otherwise translate line ends
    handle = os.open(file, flags)
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode):
        os.close(handle)
        raise NotRegularFile(file)
    return handle, info


def read_bounded(file: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, refusing anything else and anything over `max_bytes`.

    The checks are made on the opened file, not on its name: a file replaced after it was
    listed (by a FIFO, a folder, or something larger) is judged as what is actually read,
    and opening never blocks. At most `max_bytes + 1` bytes are ever read.
    """
    handle, info = _open_regular(file)
    try:
        if info.st_size > max_bytes:
            raise FileTooLarge(info.st_size)
        # One read for a file of the size it had when opened: asked for one byte more, it
        # gives exactly its size. Anything else (a read cut short, a file growing) reads on
        # to the end, or to one byte over the limit.
        first = os.read(handle, min(info.st_size, max_bytes) + 1)
        if len(first) == info.st_size:
            return first
        chunks = [first]
        remaining = max_bytes + 1 - len(first)
        while remaining > 0:
            chunk = os.read(handle, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:  # it grew while being read
            raise FileTooLarge(len(data))
        return data
    finally:
        os.close(handle)


def read_document(file: Path, display_path: str, limits: Limits) -> ReadResult:
    try:
        # The name is checked first, so that a device is never even opened.
        if not stat.S_ISREG(file.stat().st_mode):
            raise NotRegularFile(file)
        data = read_bounded(file, limits.max_file_bytes)
    except NotRegularFile:
        # A FIFO or device would block or never end; a folder is walked, not read.
        return _error(
            display_path,
            Span.point(1),
            codes.FILE_UNREADABLE,
            "not a regular file, so it cannot be checked",
        )
    except FileTooLarge as exc:
        return _error(
            display_path,
            Span.point(1),
            codes.FILE_TOO_LARGE,
            f"file is {_mb(exc.size)}, over the {_mb(limits.max_file_bytes)} max-file-bytes "
            "limit for a guideline file; split it or raise max-file-bytes",
        )
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return _error(
            display_path, Span.point(1), codes.FILE_UNREADABLE, f"file cannot be read: {reason}"
        )
    return parse_document(data, display_path, limits)


def parse_document(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    if not data.strip():
        return _error(
            path,
            Span.point(1),
            codes.EMPTY_FILE,
            "file is empty; add front matter and a body, or delete it",
        )
    if data.startswith(UTF16_32_BOMS):
        return _error(
            path,
            Span.point(1),
            codes.NOT_UTF8,
            "file is saved as UTF-16 or UTF-32; save it as UTF-8",
        )
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        return _error(
            path,
            Span.point(1),
            codes.BINARY_FILE,
            "file looks binary (it contains NUL bytes), not Markdown",
        )
    # A byte order mark is not text: strip it before decoding, so that error offsets count
    # from the first character (the utf-8-sig codec counts them without the mark, silently).
    data = data.removeprefix(BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _error(path, _byte_span(data, exc.start), codes.NOT_UTF8, _decode_message(data, exc))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    read = _split(text, path)
    if read.document is not None:
        problem = _too_large(read.document, limits) or _too_deep(read.document, limits)
        if problem is not None:
            return problem
    return read


def _too_large(document: Document, limits: Limits) -> ReadResult | None:
    """GL010 when the body is larger than the Markdown parser may take on.

    Its syntax tree takes 100 to 500 times the body's size in memory (5 GB for a 10 MB body
    of short paragraphs), so the body, not only the file, has a size limit.
    """
    body, limit = document.body, limits.max_markdown_bytes
    if len(body) * 4 <= limit:  # a character is at most four bytes: surely within
        return None
    size = len(body) if len(body) > limit else len(body.encode("utf-8"))
    if size <= limit:
        return None
    return _error(
        document.path,
        Span.point(document.body_first_line),
        codes.RESOURCE_LIMIT,
        f"the body is {_mb(size)}, over the {_mb(limit)} max-markdown-bytes limit, too large to "
        "check safely; split the guideline, or raise max-markdown-bytes",
    )


def _byte_span(data: bytes, offset: int) -> Span:
    """Where the byte at `offset` is, as the lines and columns of the text would count it."""
    text = data[:offset].decode("utf-8", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    line_start = text.rfind("\n") + 1
    return Span.point(text.count("\n", 0, line_start) + 1, len(text) - line_start + 1)


def _decode_message(data: bytes, exc: UnicodeDecodeError) -> str:
    byte = data[exc.start]
    return (
        f"byte 0x{byte:02X} is not valid UTF-8 (the file may be saved as Latin-1 or "
        "Windows-1252); save it as UTF-8"
    )


def _split(text: str, path: str) -> ReadResult:
    # Sliced at the delimiters found, not split into lines: this runs for every file.
    first_end = text.find("\n")
    if first_end >= 0 and DELIMITER.fullmatch(text, 0, first_end):
        closing = CLOSING_DELIMITER.search(text, first_end)
        if closing is not None:
            close = text.count("\n", 0, closing.start() + 1)  # the closing line's index
            document = Document(
                path=path,
                text=text,
                front_matter=text[first_end + 1 : closing.start() + 1],
                front_matter_first_line=2,
                body=text[closing.end() + 1 :],
                body_first_line=close + 2,
                line_count=text.count("\n") + (0 if text.endswith("\n") else 1),
            )
            return ReadResult(document, [])
    return _split_lines(text, path)


def _split_lines(text: str, path: str) -> ReadResult:
    """_split, line by line: the reference, and where the front matter is not well formed."""
    lines = text.split("\n")
    line_count = len(lines) - 1 if text.endswith("\n") else len(lines)
    if not DELIMITER.fullmatch(lines[0]):
        first = next((i for i, line in enumerate(lines) if line.strip()), 0)
        if DELIMITER.fullmatch(lines[first]):
            return _error(
                path,
                Span.point(first + 1),
                codes.MISSING_FRONT_MATTER,
                f"front matter must start on line 1; remove the {first} blank line(s) above '---'",
            )
        return _error(
            path,
            Span.point(1),
            codes.MISSING_FRONT_MATTER,
            "no front matter: start the file with a line '---', the metadata, then another '---'",
        )
    close = next((i for i in range(1, len(lines)) if DELIMITER.fullmatch(lines[i])), None)
    if close is None:
        return _error(
            path,
            Span(1, 1, 1, len(lines[0]) + 1),
            codes.UNCLOSED_FRONT_MATTER,
            "front matter opened here is never closed; add a line '---' after the metadata"
            + _probable_end(lines),
        )
    front_matter = "\n".join(lines[1:close]) + "\n" if close > 1 else ""
    body = "\n".join(lines[close + 1 :])
    document = Document(
        path=path,
        text=text,
        front_matter=front_matter,
        front_matter_first_line=2,
        body=body,
        body_first_line=close + 2,
        line_count=line_count,
    )
    return ReadResult(document, [])


@cache
def _deep_prefixes(shortest: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Lines opening with at least `shortest` container characters: the first, and the others
    (found after their line break: a pattern that starts with one is searched for quickly)."""
    prefix = f"({CONTAINER_PREFIX}{{{shortest},}})"
    return re.compile(prefix), re.compile("\n" + prefix)


def _too_deep(document: Document, limits: Limits) -> ReadResult | None:
    """GL010 when the body could nest deeper than the Markdown parser can safely go.

    Both measures are upper bounds, found in linear time: every level of list or quote
    nesting takes at least one column of markers or indentation at the start of the line that
    opens it, and every level of inline nesting (emphasis, links, images) takes at least one
    marker in its paragraph.
    """
    body, limit = document.body, limits.max_markdown_depth
    first_line, other_lines = _deep_prefixes(max(limit // 4, 1))  # a tab is up to 4 columns
    matches = chain(filter(None, [first_line.match(body)]), other_lines.finditer(body))
    for match in matches:
        prefix = match.group(1)
        width = len(prefix) + 3 * prefix.count("\t")
        if width > limit:
            line = document.body_first_line + body.count("\n", 0, match.start(1))
            return _error(
                document.path,
                Span(line, 1, line, len(prefix) + 1),
                codes.RESOURCE_LIMIT,
                f"this line starts with {width} columns of list, quote or indentation markers, "
                f"over the max-markdown-depth limit of {limit}: the body nests too deeply to be "
                "read; guideline text needs a few levels",
            )
    markers = limits.max_inline_markers
    if sum(map(body.count, INLINE_MARKERS)) <= markers:
        return None
    start = 0
    for paragraph in BLANK_LINES.split(body):
        count = sum(map(paragraph.count, INLINE_MARKERS))
        if count > markers:
            offset = body.index(paragraph, start)
            line = document.body_first_line + body.count("\n", 0, offset)
            return _error(
                document.path,
                Span.point(line),
                codes.RESOURCE_LIMIT,
                f"the paragraph starting here holds {count} emphasis and link markers (*, _, [), "
                f"over the limit of {markers} (ten per level of max-markdown-depth): it may nest "
                "too deeply to be read; split it or remove the markers",
            )
        start += len(paragraph)
    return None


_HEADING = re.compile(r"#{1,6}[ \t]+\S")


def _probable_end(lines: list[str]) -> str:
    """Where the closing '---' belongs: after the last line before the body's first heading."""
    for number in range(2, len(lines)):
        if _HEADING.match(lines[number]) and not lines[number - 1].strip():
            last = next((n for n in range(number - 1, 0, -1) if lines[n].strip()), None)
            if last is not None:
                return f" (after line {last + 1}, before the heading '{lines[number].strip()}')"
    return ""
