"""What HrFlow relays from CVs and job posts, made safe for where it goes.

A profile is parsed from a CV anyone can upload, so every field of a profile,
a job or a scoring reply may hold any JSON type, any length and any character,
even though it reaches us over HrFlow's authenticated API. Nothing read from
one reaches an email, a subject, a merge var, a log line or an answer without
passing through here: readers that treat a wrong type as absent, `line` that
leaves one visible, capped line of text, and the two checks that decide what
may reach a candidate (`address`, `plausible_name`).
"""
import re

NAME_CHARS = 100
FIELD_CHARS = 200
SUBJECT_CHARS = 200
SUMMARY_CHARS = 1000
GREETING_NAME_CHARS = 40
ELLIPSIS = "\u2026"

_ADDRESS_LOCAL_CHARS = 64
_ADDRESS_CHARS = 254
# What a local part may not hold: white space and controls are refused separately.
_NOT_IN_LOCAL_PART = frozenset('"(),:;<>@[\\]')
_ASCII_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_NAME_PUNCTUATION = frozenset(" -'.\u2019")
_DOMAIN_LIKE = re.compile(r"\.[^\W\d_]{2}|www\.", re.IGNORECASE)  # `.help`, `www.`; not the initials `J.R.R.`
MAX_NAME_WORDS = 4


def field(obj: object, *path: str) -> object:
    """The value at `path` in nested objects, or None wherever something on the way is not an object."""
    for name in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(name)
    return obj


def objects(value: object) -> "list[dict]":
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


def address(value: object) -> str:
    """`value` if it is a plausible email address to send to, else empty.

    Plausible: one `@`; a local part of at most 64 characters, without white space,
    controls, quotes or brackets, and dots only between other characters; at most
    254 characters in all; a domain of two or more labels of letters, digits and
    inner hyphens (international names allowed, checked in their ASCII form), the
    last one not all digits.
    """
    if not isinstance(value, str) or len(value.strip()) > _ADDRESS_CHARS:
        return ""
    text = value.strip()
    local, at, domain = text.partition("@")
    if not at or not _plausible_local_part(local) or not _plausible_domain(domain):
        return ""
    return text


def _plausible_local_part(local: str) -> bool:
    if not 0 < len(local) <= _ADDRESS_LOCAL_CHARS or local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    if not all(char.isprintable() and not char.isspace() and char not in _NOT_IN_LOCAL_PART for char in local):
        return False
    return local.isascii() or _unicodedata().normalize("NFKC", local) == local  # no full-width look-alikes


def _plausible_domain(domain: str) -> bool:
    """Labels of letters, digits and inner hyphens, as written: an international name must be what
    IDNA makes of it already (`encode("idna")` silently drops zero-width characters and soft hyphens,
    and maps full-width letters and ideographic full stops, which would send to another name than
    the one shown)."""
    try:
        ascii_domain = domain.encode("idna").decode("ascii")  # international labels to their xn-- form
        if not domain.isascii() and ascii_domain.encode("ascii").decode("idna").lower() != domain.lower():
            return False
    except UnicodeError:  # an empty or over-long label, a character IDNA refuses, another '@'
        return False
    labels = ascii_domain.split(".")
    return (
        len(labels) >= 2
        and all(_ASCII_LABEL.fullmatch(label) for label in labels)
        and not labels[-1].isdigit()
    )


def _unicodedata():
    import unicodedata  # only an acting workflow gets here

    return unicodedata


def plausible_name(value: object) -> str:
    """A name fit to greet a candidate with, else empty: at most four words and 40 characters of
    letters, with spaces, hyphens, apostrophes or dots between them, and no token that reads like a
    domain (a dot then two letters); so no digits, no `@`, no `://`, no `www.`, no sentence, and no
    control or invisible character (a name that needs cleaning is not a name). Anything else in a
    CV's name field is free text a stranger wrote, which must not reach a mail sent from the
    company's own domain: it is dropped whole, never shortened into something else."""
    if not isinstance(value, str):
        return ""
    name = value.strip()
    if len(name) > GREETING_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS or _DOMAIN_LIKE.search(name):
        return ""
    letters = 0
    for char in name:
        if char.isalpha():
            letters += 1
        elif char not in _NAME_PUNCTUATION and not _unicodedata().category(char).startswith("M"):
            return ""
    return " ".join(name.split()) if letters else ""
