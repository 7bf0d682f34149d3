"""What may reach a candidate, in an email sent from the company's own domain to whatever address a CV
names: that address, if it is plausible and clean as written, and a name to greet with, if it is one."""
from __future__ import annotations

import re

from shared.core.typecheck import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

GREETING_NAME_CHARS = 40
MAX_NAME_WORDS = 4
_ADDRESS_LOCAL_CHARS = 64
_ADDRESS_CHARS = 254
# What a local part may not hold: white space and controls are refused separately.
_NOT_IN_LOCAL_PART = frozenset('"(),:;<>@[\\]')
_ASCII_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_NAME_PUNCTUATION = frozenset(" -'.\u2019")
_DOMAIN_LIKE = re.compile(r"\.[^\W\d_]{2}|www\.", re.IGNORECASE)  # `.help`, `www.`; not the initials `J.R.R.`


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


def _unicodedata() -> ModuleType:
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
