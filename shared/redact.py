"""Mask personal data and secrets before anything is logged or returned."""
import re

from .typecheck import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

# Local parts may hold any letter (`josé.martín@`), so anything but white space and delimiters.
_EMAIL = re.compile(r"([^\s@\"'<>,;:()\[\]\\])[^\s@\"'<>,;:()\[\]\\]*@([\w.-]+\.\w{2,})")
# A "+" number, or a run of digits and separators standing alone (not inside a
# key such as "d821393853fc"), long enough not to be a date.
_PHONE = re.compile(r"(?<![\w.+-])\+?\(?\d[\d ().-]{6,}\d(?![\w])")
_MIN_SECRET_CHARS = 4


def mask_email(address: str) -> str:
    """`jane.doe@example.com` -> `j***@example.com`."""
    return _EMAIL.sub(r"\1***@\2", address)


def _mask_phone(match: "re.Match") -> str:
    digits = re.sub(r"\D", "", match.group(0))
    long_enough = len(digits) >= (7 if match.group(0).startswith("+") else 9)
    return "***" + digits[-2:] if long_enough else match.group(0)


def redact(text: str, secrets: "Iterable[str]" = ()) -> str:
    """`text` with the given secrets removed and email addresses and phone numbers masked."""
    for secret in sorted((s for s in secrets if len(s) >= _MIN_SECRET_CHARS and s in text), key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    if "@" in text:
        text = mask_email(text)
    return _PHONE.sub(_mask_phone, text)
