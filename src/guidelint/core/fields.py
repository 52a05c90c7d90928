"""Facts about the metadata fields that several layers need, stated once."""

from __future__ import annotations

# The fields whose values are calendar dates: the model checks them as dates, and a value that
# is no calendar date is reported as such, with what is wrong with it, not as a bad type.
DATE_FIELDS = (
    "publication_date",
    "previous_version_date",
    "last_reviewed",
    "next_review_date",
    "withdrawn_date",
)
