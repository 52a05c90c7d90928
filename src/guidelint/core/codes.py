"""The codes of the rules reported below the rule families: while a file is read and its front
matter parsed (GL0xx), by the schema check (GL1xx), and about suppression comments (GL9xx).

Each constant is named after its rule, and the rule is defined with it (tests/test_codes.py):
a reader reports `codes.YAML_SYNTAX`, never the text "GL006".
"""

from __future__ import annotations

NOT_UTF8 = "GL001"
BINARY_FILE = "GL002"
EMPTY_FILE = "GL003"
MISSING_FRONT_MATTER = "GL004"
UNCLOSED_FRONT_MATTER = "GL005"
YAML_SYNTAX = "GL006"
FRONT_MATTER_NOT_MAPPING = "GL007"
DUPLICATE_KEY = "GL008"
UNSUPPORTED_YAML_TAG = "GL009"
RESOURCE_LIMIT = "GL010"
FILE_TOO_LARGE = "GL011"
FILE_UNREADABLE = "GL012"

SCHEMA_VIOLATION = "GL100"
MISSING_REQUIRED_KEY = "GL101"
UNKNOWN_KEY = "GL102"
WRONG_TYPE = "GL103"
UNKNOWN_VOCABULARY_VALUE = "GL104"
INVALID_FORMAT = "GL105"
EMPTY_VALUE = "GL106"
DUPLICATE_LIST_ITEM = "GL107"
KEY_ORDER = "GL108"

UNUSED_SUPPRESSION = "GL901"
INVALID_SUPPRESSION = "GL902"
