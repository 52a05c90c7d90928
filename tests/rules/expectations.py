"""Where each rule's failing fixture must be reported: (fixture, {(file, code, line, column)}).

A fixture may carry companions: a defect that by its nature also breaks another rule (an older
version still `current` and named as superseded is both GL301 and GL405) lists both. Every
other fixture has exactly its one diagnostic, so a missing rule fails its test.
"""

FAILING: dict[str, tuple[str, set[tuple[str, str, int, int]]]] = {
    # reading
    "GL001": ("reading/gl001-fail.md", {("gl001-fail.md", "GL001", 3, 11)}),
    "GL002": ("reading/gl002-fail.md", {("gl002-fail.md", "GL002", 1, 1)}),
    "GL003": ("reading/gl003-fail.md", {("gl003-fail.md", "GL003", 1, 1)}),
    "GL004": ("reading/gl004-fail.md", {("gl004-fail.md", "GL004", 1, 1)}),
    "GL005": ("reading/gl005-fail.md", {("gl005-fail.md", "GL005", 1, 1)}),
    "GL006": ("reading/gl006-fail.md", {("gl006-fail.md", "GL006", 3, 30)}),
    "GL007": ("reading/gl007-fail.md", {("gl007-fail.md", "GL007", 2, 1)}),
    "GL008": ("reading/gl008-fail.md", {("gl008-fail.md", "GL008", 24, 1)}),
    "GL009": ("reading/gl009-fail.md", {("gl009-fail.md", "GL009", 4, 14)}),
    "GL010": ("reading/gl010-fail.md", {("gl010-fail.md", "GL010", 15, 11)}),
    # schema
    "GL101": ("schema/gl101-fail.md", {("gl101-fail.md", "GL101", 1, 1)}),
    "GL102": ("schema/gl102-fail.md", {("gl102-fail.md", "GL102", 28, 1)}),
    "GL103": ("schema/gl103-fail.md", {("gl103-fail.md", "GL103", 6, 10)}),
    "GL104": ("schema/gl104-fail.md", {("gl104-fail.md", "GL104", 10, 18)}),
    "GL105": ("schema/gl105-fail.md", {("gl105-fail.md", "GL105", 7, 6)}),
    "GL106": ("schema/gl106-fail.md", {("gl106-fail.md", "GL106", 4, 14)}),
    "GL107": ("schema/gl107-fail.md", {("gl107-fail.md", "GL107", 19, 5)}),
    # dates
    "GL201": ("dates/gl201-fail.md", {("gl201-fail.md", "GL201", 21, 19)}),
    "GL202": ("dates/gl202-fail.md", {("gl202-fail.md", "GL202", 22, 24)}),
    "GL203": ("dates/gl203-fail.md", {("gl203-fail.md", "GL203", 28, 16)}),
    "GL204": ("dates/gl204-fail.md", {("gl204-fail.md", "GL204", 28, 16)}),
    "GL205": ("dates/gl205-fail.md", {("gl205-fail.md", "GL205", 21, 19)}),
    "GL206": ("dates/gl206-fail.md", {("gl206-fail.md", "GL206", 28, 16)}),
    "GL207": ("dates/gl207-fail.md", {("gl207-fail.md", "GL207", 32, 11)}),
    "GL208": ("dates/gl208-fail.md", {("gl208-fail.md", "GL208", 28, 16)}),
    "GL209": ("dates/gl209-fail.md", {("gl209-fail.md", "GL209", 29, 19)}),
    # lifecycle
    "GL301": (
        "lifecycle/gl301-fail.md",
        {("gl301-fail.md", "GL301", 23, 9), ("gl301-fail.md", "GL402", 25, 16)},
    ),
    "GL302": ("lifecycle/gl302-fail.md", {("gl302-fail.md", "GL302", 23, 9)}),
    "GL303": ("lifecycle/gl303-fail.md", {("gl303-fail.md", "GL303", 24, 13)}),
    "GL304": ("lifecycle/gl304-fail.md", {("gl304-fail.md", "GL304", 24, 13)}),
    "GL305": ("lifecycle/gl305-fail.md", {("gl305-fail.md", "GL305", 27, 10)}),
    "GL306": ("lifecycle/gl306-fail.md", {("gl306-fail.md", "GL306", 26, 11)}),
    "GL307": ("lifecycle/gl307-fail.md", {("gl307-fail.md", "GL307", 2, 5)}),
    "GL308": ("lifecycle/gl308-fail-2023.md", {("gl308-fail-2023.md", "GL308", 2, 5)}),
    "GL309": ("lifecycle/gl309-fail.md", {("gl309-fail.md", "GL309", 29, 20)}),
    "GL310": ("lifecycle/gl310-fail.md", {("gl310-fail.md", "GL310", 23, 9)}),
    "GL311": (
        "lifecycle/gl311-fail.md",
        # The successor is not in the one-file corpus.
        {("gl311-fail.md", "GL311", 25, 16), ("gl311-fail.md", "GL402", 25, 16)},
    ),
    # lineage
    "GL401": (
        "lineage/gl401-fail",
        {("a/gl-dup.md", "GL401", 2, 5), ("b/gl-dup.md", "GL401", 2, 5)},
    ),
    "GL402": (
        "lineage/gl402-fail",
        {
            ("gl-old-2009.md", "GL402", 25, 16),
            # The old version names a successor that is not the new one: also one-sided.
            ("gl-old-2009.md", "GL403", 25, 16),
            ("gl-new-2024.md", "GL403", 24, 13),
        },
    ),
    "GL403": (
        "lineage/gl403-fail",
        {("gl-old-2009.md", "GL403", 25, 16), ("gl-new-2024.md", "GL403", 24, 13)},
    ),
    "GL404": (
        "lineage/gl404-fail",
        {
            ("gl-old-2009.md", "GL404", 24, 13),
            ("gl-new-2024.md", "GL404", 24, 13),
            # In a loop one of the two is necessarily older than its "predecessor".
            ("gl-old-2009.md", "GL407", 21, 19),
            ("gl-old-2009.md", "GL202", 22, 24),
        },
    ),
    "GL405": (
        "lineage/gl405-fail",
        {
            ("gl-old-2009.md", "GL405", 23, 9),
            ("gl-new-2024.md", "GL405", 23, 9),
            ("gl-old-2009.md", "GL301", 23, 9),
        },
    ),
    "GL406": ("lineage/gl406-fail", {("gl-new-2024.md", "GL406", 22, 24)}),
    "GL407": (
        "lineage/gl407-fail",
        {
            ("gl-new.md", "GL407", 21, 19),
            # previous_version_date equals the predecessor's date, so it is after publication.
            ("gl-new.md", "GL202", 22, 24),
        },
    ),
    "GL408": (
        "lineage/gl408-fail",
        {
            ("gl-old-2024.md", "GL408", 25, 16),
            # Naming a successor while current is also GL301.
            ("gl-old-2024.md", "GL301", 23, 9),
        },
    ),
    "GL409": ("lineage/gl409-fail", {("gl-update-2017.md", "GL409", 23, 9)}),
    # headings
    "GL501": ("headings/gl501-fail.md", {("gl501-fail.md", "GL501", 30, 1)}),
    "GL502": ("headings/gl502-fail.md", {("gl502-fail.md", "GL502", 31, 1)}),
    "GL503": ("headings/gl503-fail.md", {("gl503-fail.md", "GL503", 37, 1)}),
    "GL504": ("headings/gl504-fail.md", {("gl504-fail.md", "GL504", 62, 1)}),
    "GL505": ("headings/gl505-fail.md", {("gl505-fail.md", "GL505", 97, 1)}),
    "GL506": ("headings/gl506-fail.md", {("gl506-fail.md", "GL506", 37, 1)}),
    # suppression comments
    "GL901": ("suppression/gl901-fail.md", {("gl901-fail.md", "GL901", 31, 1)}),
    "GL902": ("suppression/gl902-fail.md", {("gl902-fail.md", "GL902", 28, 28)}),
}

# Passing fixtures: near misses where there is one, otherwise a clean file.
PASSING: dict[str, str] = {
    "GL001": "reading/gl001-pass.md",  # UTF-8 with BOM, CRLF and non-ASCII text
    "GL002": "reading/clean.md",
    "GL003": "reading/clean.md",
    "GL004": "reading/clean.md",
    "GL005": "reading/clean.md",
    "GL006": "reading/gl006-pass.md",  # the colon is inside quotes
    "GL007": "reading/clean.md",
    "GL008": "reading/clean.md",
    "GL009": "reading/gl009-pass.md",  # !!str is a core tag
    "GL010": "reading/gl010-pass.md",  # an anchor and alias within bounds
    **{
        code: f"schema/{code.lower()}-pass.md"
        for code in ("GL101", "GL102", "GL103", "GL104", "GL105", "GL106", "GL107")
    },
    **{
        code: f"dates/{code.lower()}-pass.md"
        for code in ("GL201", "GL202", "GL203", "GL204", "GL205", "GL206", "GL207", "GL208")
    },
    **{
        code: f"lifecycle/{code.lower()}-pass.md"
        for code in ("GL301", "GL302", "GL303", "GL304", "GL305", "GL306", "GL307")
    },
    "GL209": "dates/gl209-pass.md",
    "GL308": "lifecycle/gl308-pass-2024.md",
    "GL309": "lifecycle/gl309-pass.md",  # withdrawn, with a date, a reason and a referral
    "GL310": "lifecycle/gl310-pass.md",
    "GL311": "lifecycle/gl311-pass.md",  # withdrawn, referring readers to an id
    **dict.fromkeys(
        ("GL401", "GL402", "GL403", "GL404", "GL405", "GL406", "GL407"), "lineage/clean"
    ),
    "GL408": "lineage/draft-successor",  # the draft names what it replaces, not named back
    "GL409": "lineage/amendment",  # a base and its focused update, both current
    **{
        code: f"headings/{code.lower()}-pass.md"
        for code in ("GL501", "GL502", "GL503", "GL504", "GL505", "GL506")
    },
    # Used suppressions: a skipped heading level in the body, an impossible date in the front
    # matter; and a suppression-like text inside a quoted value, which is not one.
    "GL901": "suppression/gl901-pass.md",
    "GL902": "suppression/gl902-pass.md",
}
