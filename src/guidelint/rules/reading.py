"""GL0xx: problems found while a file is read, decoded and its front matter parsed."""

from guidelint.core import codes
from guidelint.rules.base import read_rule

RULES = [
    read_rule(
        codes.NOT_UTF8,
        "not-utf8",
        """
        The file is not UTF-8 text.

        ## What it does
        Reports a file that is saved as UTF-16 or UTF-32, or that contains bytes that are not
        valid UTF-8 (as Latin-1 or Windows-1252 files do), at the first bad byte.

        ## Why is this bad?
        Every tool in the corpus reads UTF-8; other encodings garble accented names.

        ## Example
        A file saved from an old editor as Windows-1252 with `Sjögren` in the title.

        Use instead: save the file as UTF-8 (with or without a byte order mark).
        """,
    ),
    read_rule(
        codes.BINARY_FILE,
        "binary-file",
        """
        The file looks binary, not like Markdown.

        ## What it does
        Reports a `.md` file whose first 8,000 bytes contain a NUL byte.

        ## Why is this bad?
        A binary file named `.md` is usually a PDF or image saved under the wrong name.

        ## Example
        `nice-ckd-2021.md` that is really a PDF.

        Use instead: rename the file to what it is, and write the guideline as Markdown.
        """,
    ),
    read_rule(
        codes.EMPTY_FILE,
        "empty-file",
        """
        The file is empty.

        ## What it does
        Reports a file with no content or only blank lines.

        ## Why is this bad?
        An empty guideline file has no metadata and no recommendations.

        ## Example
        A file created by mistake with nothing in it.

        Use instead: add front matter and a body, or delete the file.
        """,
    ),
    read_rule(
        codes.MISSING_FRONT_MATTER,
        "missing-front-matter",
        """
        The file does not start with front matter.

        ## What it does
        Reports a file whose first line is not `---`, or whose `---` comes after blank lines.

        ## Why is this bad?
        The metadata (id, dates, status, lineage) lives in the front matter; without it the
        guideline cannot be indexed or checked.

        ## Example
        ```markdown
        ## Scope
        ```

        Use instead:
        ```markdown
        ---
        id: aan-als-2024
        ...
        ---
        ## Scope
        ```
        """,
    ),
    read_rule(
        codes.UNCLOSED_FRONT_MATTER,
        "unclosed-front-matter",
        """
        The front matter is opened with `---` but never closed.

        ## What it does
        Reports the opening `---` when no later line is `---`.

        ## Why is this bad?
        Without the closing line the whole file would be read as metadata.

        ## Example
        ```markdown
        ---
        id: aan-als-2024
        ## Scope
        ```

        Use instead: add a line `---` after the last metadata line.
        """,
    ),
    read_rule(
        codes.YAML_SYNTAX,
        "yaml-syntax",
        """
        The front matter is not valid YAML.

        ## What it does
        Reports a YAML syntax error where the mistake was made, which is often a line before
        the place the YAML parser gave up, and says in plain words what to change for the
        common causes: no space after a colon (`status:current`), a quote that is never
        closed, typographic quotes (`“…”`, with a safe fix to straight quotes), a missing
        closing `---` (the body is then not checked as a body), a tab used for indentation, a
        list item without a space after its dash (`-ALS`), a value starting with `@`, a
        backtick or `%`, and an unquoted `: ` inside a value.

        ## Why is this bad?
        Nothing in the metadata can be read until the syntax is right.

        ## Example
        ```yaml
        title: AAN Guideline: ALS
        status:current
        conditions:
          -ALS
        ```

        Use instead:
        ```yaml
        title: "AAN Guideline: ALS"
        status: current
        conditions:
          - ALS
        ```
        """,
    ),
    read_rule(
        codes.FRONT_MATTER_NOT_MAPPING,
        "front-matter-not-mapping",
        """
        The front matter is empty, or is not a list of `key: value` lines.

        ## What it does
        Reports front matter that is empty, a list, a single value, or has a key that is itself
        a list or mapping.

        ## Why is this bad?
        Guideline metadata is a set of named values such as `id` and `status`.

        ## Example
        ```yaml
        - aan-als-2024
        ```

        Use instead:
        ```yaml
        id: aan-als-2024
        ```
        """,
    ),
    read_rule(
        codes.DUPLICATE_KEY,
        "duplicate-key",
        """
        A key appears twice in the front matter.

        ## What it does
        Reports the second occurrence of a key, naming the line of the first.

        ## Why is this bad?
        YAML silently keeps only the last value, so an edit to the first one has no effect.

        ## Example
        ```yaml
        status: current
        status: superseded
        ```

        Use instead: keep one `status` line.
        """,
    ),
    read_rule(
        codes.UNSUPPORTED_YAML_TAG,
        "unsupported-yaml-tag",
        """
        The front matter uses a YAML tag or merge key that guideline metadata does not allow.

        ## What it does
        Reports explicit tags such as `!!python/object`, `!!binary` or `!custom`, and merge keys
        (`<<`). Nothing named by a tag is ever constructed or run. Also reports a value that
        is not what its tag says (`!!int twelve`, `!!bool maybe`), or that YAML 1.1 reads as a
        number it cannot build (`0x_`).

        ## Why is this bad?
        Tags can make YAML loaders build arbitrary objects; metadata needs only text, numbers,
        true/false, dates and lists.

        ## Example
        ```yaml
        title: !!python/object:os.system ls
        ```

        Use instead:
        ```yaml
        title: "AAN Practice Guideline"
        ```
        """,
    ),
    read_rule(
        codes.RESOURCE_LIMIT,
        "resource-limit",
        """
        The front matter or the body is too large or too deeply nested, or aliases expand too far.

        ## What it does
        Stops reading the front matter when it exceeds a size limit (`max-front-matter-bytes`,
        256 KB), a nesting depth (`max-yaml-depth`, 64), or a number of values after alias
        expansion (`max-yaml-values`, 10,000), and reports which limit; a number written with
        more than 100 characters is reported too. Stops before reading the body when it is
        larger than `max-markdown-bytes` (1 MiB), when a line starts with more list, quote or
        indentation markers than `max-markdown-depth` (1,000 columns; at most 2,000), or when
        a paragraph holds more than ten times that many `*`, `_` and `[`. Set the limits in the
        `limits` table of the configuration.

        ## Why is this bad?
        Guideline metadata is a few dozen lines; anything far larger is a mistake or an attack
        (a "billion laughs" alias bomb) that would exhaust memory. The Markdown parser needs
        up to 500 times a body's size in memory, and crashes on Markdown nested thousands of
        levels deep.

        ## Example
        ```yaml
        a: &a [x, x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
        ```

        Use instead: write the values out; metadata needs no anchors.
        """,
    ),
    read_rule(
        codes.FILE_TOO_LARGE,
        "file-too-large",
        """
        The file is larger than the size limit (10 MiB by default).

        ## What it does
        Reports a guideline file over the limit without reading it. Set the limit with
        `max-file-bytes` in the `limits` table of the configuration.

        ## Why is this bad?
        A guideline text is tens of kilobytes; a file of many megabytes is usually a pasted
        document or data that belongs elsewhere.

        ## Example
        A 50 MB Markdown export with embedded images.

        Use instead: keep images and PDFs as separate files and link them.
        """,
    ),
    read_rule(
        codes.FILE_UNREADABLE,
        "file-unreadable",
        """
        The file cannot be read.

        ## What it does
        Reports a file that exists but cannot be opened or read (permissions, a broken link,
        a symbolic link loop, a file removed while guidelint ran), a `*.md` name that is
        not a regular file (a FIFO or device, or a file replaced by one while guidelint ran),
        which is never waited on, and a symbolic link to a file outside the repository, which
        is never followed.

        ## Why is this bad?
        An unreadable file is not checked at all.

        ## Example
        A file with mode `000`.

        Use instead: make the file readable, or remove it from the corpus.
        """,
    ),
]
