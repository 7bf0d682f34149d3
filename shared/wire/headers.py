"""What Catch hands a workflow: `_request`, the parsed body fields and the headers flattened into one
dict; its shape, the headers found by any spelling of their names, and the raw body where there is one."""
from __future__ import annotations

from shared.core.errors import MalformedRequest

SIGNATURE_HEADER = "HTTP-HRFLOW-SIGNATURE"
# The names HrFlow's material gives the header, each matched in any case with '-' or '_': its
# webhook page; the same as PHP's $_SERVER shows it, which a web server hands on without HTTP-;
# and the name the JavaScript SDK still reads, from HrFlow's Riminder days.
SIGNATURE_HEADERS = (SIGNATURE_HEADER, "HRFLOW-SIGNATURE", "HTTP-RIMINDER-SIGNATURE")
MAX_REQUEST_FIELDS = 256
RAW_BODY_FIELD = "_raw_body"


def _normalized(name: str) -> str:
    return name.lower().replace("_", "-")


_SIGNATURE_NAMES = frozenset(_normalized(name) for name in SIGNATURE_HEADERS)


def find_header(_request: dict[str, object], *names: str) -> tuple[str | None, object]:
    """The name and value of the header known by any of `names`, matching names
    case-insensitively with `-` and `_` alike; (None, None) when absent.

    Two names or spellings of it with different values are malformed.
    """
    return _found(_request, frozenset(_normalized(name) for name in names), names[0])


def _found(_request: dict[str, object], wanted: frozenset[str], display: str) -> tuple[str | None, object]:
    lengths = {len(name) for name in wanted}
    found = [
        (key, value)
        for key, value in _request.items()
        if isinstance(key, str) and len(key) in lengths and _normalized(key) in wanted
    ]
    # Only text is compared: two deeply nested values would recurse.
    if len(found) > 1 and not all(isinstance(value, str) and value == found[0][1] for _, value in found):
        raise MalformedRequest("The request carries the header {} twice, with different values ({}).".format(
            display, ", ".join(sorted(key for key, _ in found))))
    return found[0] if found else (None, None)


def find_signature(_request: dict[str, object]) -> tuple[str | None, object]:
    """The signature header under any of its names (`SIGNATURE_HEADERS`): as received, and its value."""
    return _found(_request, _SIGNATURE_NAMES, SIGNATURE_HEADERS[0])


def check_shape(_request: object) -> dict[str, object]:
    """`_request`, if it can be a Catch request: rejected before any other work if not."""
    if not isinstance(_request, dict):
        raise MalformedRequest("The request is not a dict of fields and headers.")
    if len(_request) > MAX_REQUEST_FIELDS:
        raise MalformedRequest("The request has more than {} fields and headers.".format(MAX_REQUEST_FIELDS))
    return _request


def raw_body(_request: dict[str, object]) -> object:
    """The raw body, where the host passes it (the local emulator does; Catch may not)."""
    return _request.get(RAW_BODY_FIELD)
