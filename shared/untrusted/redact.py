"""Mask personal data and secrets before anything is logged or returned.

The text may come from a CV anyone can write, so it is hostile: each step takes
time linear in its length, whatever it holds. Each regex starts with a
character the engine scans for in C, rejects every other start in a step or
two, and reads a bounded number of characters from each start; replacements
are literal strings, so no Python code runs per match.
"""
from __future__ import annotations

import functools
import re

from shared.core.typecheck import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

_MIN_SECRET_CHARS = 4

# Email addresses are masked in the reversed text, where the local part comes
# after its "@": a regex reads forwards, and from the "@" it reads a bounded
# window of the local part. What could be a local part is masked before any
# "@", whatever follows it (a domain, `localhost`, `[10.0.0.1]`, or nothing
# when the text was cut): masking a little more than an address costs nothing.
#
# Unquoted: the "@" (found by a fast scan), then up to 64 characters of the
# local part (RFC 5321's limit) but never its first one, which the lookahead
# leaves in place: at most 65 steps and one step back per "@". A run longer
# than 64 characters is no address: its 64 characters next to the "@" are
# masked and those before stay, as masking them would mean reading an
# unbounded run for characters no address holds.
_LOCAL_CHAR = r"""[^\s@"<>,;:()\[\]\\]"""
_LOCAL_PART_BACKWARDS = re.compile("@" + _LOCAL_CHAR + "{0,64}(?=" + _LOCAL_CHAR + ")")
# Quoted (`"j d"@example.org`): the `@"` (a two-character scan), then the
# quoted text up to its opening quote, at most 62 characters (64 with the
# quotes). Backwards, an escaped quote `\"` reads `"\`, so a quote followed by
# a backslash is part of the text. Each character has one way to match and
# nothing follows the repeat, so there is no stepping back.
_QUOTED_LOCAL_PART_BACKWARDS = re.compile(r'@"(?:[^"\r\n]|"(?=\\)){0,62}')

# A phone number: a "+" and at least 7 digits, or at least 9 digits of which
# the first two are adjacent; between two of its first 7 digits (5 after a
# "+") at most two of ` ().-`; standing alone (not inside a word or a key such
# as `d8213938…`, not after ".", "+" or "-"); its last two digits adjacent and
# not followed by a word character. All but those two digits are masked:
# `+33 6 12 34 56 78` -> `***78`, `+33612345678` -> `***78`.
#
# Two regexes, so that each starts with what the engine scans for in C: a "+",
# or a digit. The second digit rejects in one step a digit standing alone
# (`1 2 3 …`), then the lookbehind a start inside a word or a number. From a
# start at most 43 characters are read: the first digits one by one (each has
# one way to match, as a separator cannot stand for a digit), then at most 24
# more, stepped back over one by one to find the last two digits. A longer
# run is no phone number: what lies beyond stays as it is.
_PHONE_END = r"[ ().-]{0,2}\d" * 5 + r"[\d ().-]{0,24}(?=\d\d(?!\w))"
_PLUS_PHONE = re.compile(r"\+(?<![\w.+-].)" + _PHONE_END)
_PHONE = re.compile(r"\d\d(?<![\w.+-]..)" + _PHONE_END)


def mask_email(address: str) -> str:
    """`address`, or any text, with its email addresses masked: `jane.doe@example.com` -> `j***@example.com`.

    The first character of the local part and the domain stay, to tell
    addresses apart in a log; a quoted local part goes whole (`"***"@example.org`).
    """
    if "@" not in address:
        return address
    backwards = _QUOTED_LOCAL_PART_BACKWARDS.sub('@"***', address[::-1])
    return _LOCAL_PART_BACKWARDS.sub("@***", backwards)[::-1]


def _folded(text: str) -> str:
    """`text` in lower case, one character for one, so that a position in it is a position in `text`.

    "İ" is the one character whose lower case is two ("i" and a combining dot):
    it is folded to "i" first.
    """
    return text.replace("\u0130", "i").lower()


@functools.lru_cache(maxsize=32)  # the same settings every execution
def _folded_secrets(secrets: tuple[str, ...]) -> frozenset[str]:
    """The secrets worth looking for (4 characters or more), folded as `_folded` folds the text."""
    return frozenset(_folded(secret) for secret in secrets if len(secret) >= _MIN_SECRET_CHARS)


def remove_secrets(text: str, secrets: Iterable[str]) -> str:
    """`text` with each secret of 4 characters or more replaced by `[redacted]` wherever it occurs, in any case.

    `str.find` on the folded text finds them (linear, in C). Overlapping ones
    (a secret inside a longer one) become one `[redacted]`, so that no part
    of either is left whatever their order.
    """
    folded, spans = None, []
    for secret in _folded_secrets(tuple(secrets)):
        folded = _folded(text) if folded is None else folded
        start = folded.find(secret)
        while start >= 0:
            spans.append((start, start + len(secret)))
            start = folded.find(secret, start + len(secret))
    pieces: list[str] = []
    end = 0
    for start, stop in sorted(spans):
        if start >= end:  # else it overlaps the one before, which grows
            pieces += (text[end:start], "[redacted]")
        end = max(end, stop)
    return "".join(pieces) + text[end:] if pieces else text


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without the given secrets, and with email addresses and phone numbers masked.

    Run it on the whole text, before anything cuts it short: a secret or an
    address cut in two is no longer recognisable.
    """
    text = _PHONE.sub("***", _PLUS_PHONE.sub("***", remove_secrets(text, secrets)))
    return mask_email(text)
