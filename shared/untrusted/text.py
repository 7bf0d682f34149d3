"""What HrFlow relays from CVs and job posts, made safe for where it goes.

A profile is parsed from a CV anyone can upload, so every field of a profile,
a job or a scoring reply may hold any JSON type, any length and any character,
even though it reaches us over HrFlow's authenticated API. Nothing read from
one reaches an email, a subject, a merge var, a log line or an answer without
passing through here (or `candidate`, for what may reach a candidate): readers
that treat a wrong type as absent, and `line`, which leaves one visible, capped
line of text.
"""
from __future__ import annotations

import re

NAME_CHARS = 100
FIELD_CHARS = 200
SUBJECT_CHARS = 200
SUMMARY_CHARS = 1000
ELLIPSIS = "\u2026"


def field(obj: object, *path: str) -> object:
    """The value at `path` in nested objects, or None wherever something on the way is not an object."""
    for name in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(name)
    return obj


def objects(value: object) -> list[dict[str, object]]:
    """The objects of a list, skipping anything else; empty for anything that is not a list."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# What a visible line drops, in one regex scan (in C, and costing the same for every text, whatever
# came before): control characters other than white space (which becomes one space), lone surrogates
# (Cs), and every format character (Cf: bidi overrides and isolates, zero-width and other invisible
# characters) of Unicode 15.1, a superset of what the Unicode of older Pythons lists (a test checks
# it against the running Python's `unicodedata`).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb\U000110bd"
    "\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
# A field is cleaned from at most this many of its characters for each one shown: cleaning then costs
# what showing does, whatever the field's length.
READ_PER_SHOWN = 4


def capped(text: str, limit: int) -> str:
    """`text`, or its first characters and an ellipsis, in at most `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def visible(value: object) -> str:
    """Relayed text as one visible line, whatever its length; empty for anything that is not text.

    Linear in the length of `value`; HTML escaping is left to where the line goes.
    """
    if not isinstance(value, str):
        return ""
    return " ".join(_INVISIBLE.sub("", value).split())


def line(value: object, limit: int) -> str:
    """Relayed text as one visible line of at most `limit` characters, cleaned from its first
    `READ_PER_SHOWN * limit` characters only (and then ending with an ellipsis)."""
    if not isinstance(value, str):
        return ""
    read = READ_PER_SHOWN * limit
    if len(value) <= read:
        return capped(visible(value), limit)
    return visible(value[:read])[: limit - 1].rstrip() + ELLIPSIS
