"""Verify `HTTP-HRFLOW-SIGNATURE` values, in every variant HrFlow has published.

- `signed-request`: ``sig + "." + payload``, each part base64url (Python SDK
  4.3.0, `hrflow/webhook`; PHP SDK) or standard base64 (JavaScript SDK
  `src/webhooks.ts` and the Riminder SDKs' tests), padded or not. `payload` is
  the event as UTF-8 JSON; `sig` is the HMAC-SHA256 of the decoded payload
  (Python, PHP and the former Go, Ruby, Java and C# SDKs) or of the payload part
  exactly as sent (JavaScript SDK; the PHP example on HrFlow's API reference),
  as 64 hex digits in either case (Python SDK) or 32 raw bytes (the others).
  Whatever was signed, the event is the decoded payload.
- `form-json`: hex HMAC of the compact JSON of ``{type, origin, message,
  profile|job}`` with the values exactly as received (the webhook page's
  workflow example).
- `raw-body`: hex HMAC of the raw request body (the webhook page's Ruby example).

Always HMAC-SHA256 with a configured secret, compared in constant time, every
secret tried. `verify_signature` checks and returns what the signature covers,
nothing else; turning that into an event is `event.parse_event`'s job. Every
failure is a `SignatureError` whose sentence says, without showing any value,
the header's shape and what was tried (never how many secrets there are); or a
`MalformedRequest` when the raw body is not text or what it signs is not an
event. Signing is for the tests and the local tools alone, so the signers live
with them, in localcatch/signers.py: a workflow only verifies.
"""
from __future__ import annotations

import binascii
import functools
import hmac
import json
import re

from shared.core.errors import MalformedRequest, SignatureError
from shared.core.records import Record
from shared.core.typecheck import TYPE_CHECKING
from shared.wire.event import EVENT_FIELDS, OBJECT_FIELDS
from shared.wire.headers import SIGNATURE_HEADER, SIGNATURE_HEADERS

if TYPE_CHECKING:
    from collections.abc import Sequence

SCHEMES = ("signed-request", "form-json", "raw-body")
MAX_SIGNATURE_CHARS = 1 << 20

# The shapes a header can have, as rejections name them (never its value).
ABSENT, NOT_TEXT, TOO_LONG = "absent", "not text", "longer than {} characters".format(MAX_SIGNATURE_CHARS)
HEX_DIGITS, TWO_BASE64_PARTS, SOMETHING_ELSE = "64 hex digits", "two base64 parts", "something else"
SCHEMES_OF_SHAPE = {HEX_DIGITS: ("raw-body", "form-json"), TWO_BASE64_PARTS: ("signed-request",)}

_BASE64URL_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_EITHER_ALPHABET = _BASE64URL_ALPHABET + b"+/="
_TO_STANDARD_BASE64 = bytes.maketrans(b"-_", b"+/")
_HEX_DIGEST = re.compile(r"[0-9A-Fa-f]{64}")
_SECRET_SEPARATORS = re.compile(r"[,\r\n]")  # not spaces: a secret may hold them
_SIGNED_MESSAGES = ("the decoded payload", "the payload part as sent")


class Verified(Record):
    """What a valid signature covers: the scheme and variant that verified, and the event fields it signed."""

    scheme: str
    variant: str
    fields: dict[str, object]


@functools.lru_cache(maxsize=32)  # the same setting is split for verifying and for redacting
def split_secrets(value: str) -> tuple[str, ...]:
    """Split a webhook-secret setting into its secrets as text: several (while rotating) are separated
    by commas or line breaks, each stripped; a secret may hold spaces."""
    return tuple(part.strip() for part in _SECRET_SEPARATORS.split(value) if part.strip())


def _hmac(secret: bytes, message: bytes) -> bytes:
    return hmac.digest(secret, message, "sha256")  # one call into OpenSSL, no HMAC object


def _matches_any(secrets: Sequence[bytes], message: bytes, presented: bytes) -> bool:
    """Constant-time check of one presented digest against every secret (no early exit)."""
    matched = False
    for secret in secrets:
        matched |= hmac.compare_digest(_hmac(secret, message), presented)
    return matched


def header_shape(header: object) -> str:
    """What a signature header looks like, to say so without showing it: `ABSENT`, `NOT_TEXT`,
    `TOO_LONG`, `HEX_DIGITS`, `TWO_BASE64_PARTS` (two parts of the base64 alphabets joined by a
    dot) or `SOMETHING_ELSE`. Linear, and cheap: every rejection says it."""
    if header is None:
        return ABSENT
    if not isinstance(header, str):
        return NOT_TEXT
    if len(header) > MAX_SIGNATURE_CHARS:
        return TOO_LONG
    text = header.strip()
    if _HEX_DIGEST.fullmatch(text):
        return HEX_DIGITS
    first, dot, second = text.partition(".")
    if dot and first and second and first.isascii() and second.isascii():
        if not (first + second).encode("ascii").translate(None, _EITHER_ALPHABET):
            return TWO_BASE64_PARTS
    return SOMETHING_ELSE


def _decode_part(text: str, what: str) -> tuple[bytes, str]:
    """Decode one part of a signed request and say its alphabet: base64url or standard base64,
    padded or not, but one alphabet, whole padding and no spare bits set, so that each signed
    value has one text per alphabet. Linear and allocation-light: headers can be large."""
    unpadded = text.rstrip("=")
    remainder, padding = len(unpadded) % 4, len(text) - len(unpadded)
    raw = unpadded.encode("ascii")  # the header's shape was checked: ASCII
    alphabet = _BASE64_ALPHABET if raw.translate(None, _BASE64URL_ALPHABET) else _BASE64URL_ALPHABET
    if remainder == 1 or (padding and padding != -remainder % 4) or raw.translate(None, alphabet):
        raise SignatureError("The {} of the signed request is neither base64url nor base64.".format(what))
    if remainder and alphabet.index(raw[-1]) & (0x0F if remainder == 2 else 0x03):
        raise SignatureError("The {} of the signed request is not canonical base64.".format(what))
    return binascii.a2b_base64(raw.translate(_TO_STANDARD_BASE64) + b"=" * (-remainder % 4)), _alphabet_of(raw)


def _alphabet_of(raw: bytes) -> str:
    """Which alphabet a valid part shows: one holding none of `-_+/` is valid in both."""
    if b"-" in raw or b"_" in raw:
        return "base64url"
    return "base64" if b"+" in raw or b"/" in raw else ""


def _as_digest(signature: bytes) -> tuple[bytes, str]:
    """Read a signature given as 32 raw bytes or as 64 hex digits (either case), and say which."""
    if len(signature) == 32:
        return signature, "raw digest"
    if len(signature) == 64 and _HEX_DIGEST.fullmatch(signature.decode("latin-1")):
        return bytes.fromhex(signature.decode("ascii")), "hex digest"
    raise SignatureError("The signature part of the signed request decodes to {} bytes, neither 64 hex digits "
                         "nor a 32-byte digest.".format(len(signature)))


def form_json_message(fields: dict[str, object]) -> bytes:
    """The bytes scheme `form-json` signs: the four event fields as received, in order.

    Exactly ``json.dumps({"type", "origin", "message", "profile" or "job"},
    separators=(",", ":"))``: keys in that order, a missing field as null, an
    object field as the text received (a form) or as an object (a JSON body),
    non-ASCII characters escaped as \\uXXXX, encoded as UTF-8.
    """
    object_fields = [name for name in OBJECT_FIELDS if name in fields]
    if len(object_fields) != 1:
        raise SignatureError("The request must carry exactly one of the fields profile or job.")
    event = {name: fields.get(name) for name in EVENT_FIELDS + (object_fields[0],)}
    for name, value in event.items():
        if value is not None and not isinstance(value, (str, dict)):
            raise SignatureError("The field {} is neither text nor an object.".format(name))
    try:
        return json.dumps(event, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        raise SignatureError("The event fields cannot be serialized for signing.") from None


def _raw_body_bytes(raw_body: object) -> bytes:
    """The body as sent: bytes, or text as UTF-8. Anything else is malformed (`bytes(10**9)` would allocate)."""
    if isinstance(raw_body, (bytes, bytearray)):
        return bytes(raw_body)
    if isinstance(raw_body, str):
        try:
            return raw_body.encode("utf-8")
        except UnicodeEncodeError:
            raise MalformedRequest("The raw body is text that UTF-8 cannot encode.") from None
    raise MalformedRequest("The raw body is neither bytes nor text.")


def _verify_signed_request(header: str, secrets: Sequence[bytes], where: str) -> Verified:
    encoded_signature, _, encoded_payload = header.partition(".")
    signature, signature_alphabet = _decode_part(encoded_signature, "signature part")
    payload, payload_alphabet = _decode_part(encoded_payload, "payload part")
    digest, digest_form = _as_digest(signature)
    # Both messages against every secret, whatever matches first: the time taken says nothing.
    matched = [_matches_any(secrets, message, digest) for message in (payload, encoded_payload.encode("ascii"))]
    if not any(matched):
        raise SignatureError(
            "No secret verifies the {}: it is {}, so it was checked as signed-request, the HMAC-SHA256 of "
            "{} and of {}, against its {}.".format(where, TWO_BASE64_PARTS, *_SIGNED_MESSAGES, digest_form))
    try:
        event = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SignatureError("The signed payload is not UTF-8 JSON.") from None
    if not isinstance(event, dict):
        raise SignatureError("The signed payload is not a JSON object.")
    alphabets = " and ".join(sorted({signature_alphabet, payload_alphabet} - {""})) or "base64url or base64"
    variant = "HMAC of {}, {}, {} parts".format(_SIGNED_MESSAGES[matched.index(True)], digest_form, alphabets)
    return Verified("signed-request", variant, event)


def _parse_raw_body(body: bytes) -> dict[str, object]:
    """The event fields of a raw body: a JSON object, or a form with each field once."""
    from urllib.parse import parse_qsl

    try:
        text = body.decode("utf-8")
        if text.lstrip().startswith("{"):
            fields = json.loads(text)
            if isinstance(fields, dict):
                return fields
        else:
            pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True)
            fields = dict(pairs)
            if len(fields) == len(pairs):
                return fields
    except (UnicodeDecodeError, ValueError, RecursionError):
        pass
    raise MalformedRequest("The signed raw body is neither a JSON object nor a form with unique fields.")


def _verify_hex(header: str, secrets: Sequence[bytes], fields: dict[str, object], raw_body: object,
                schemes: Sequence[str], where: str) -> Verified:
    """Check a hex header by raw-body, then form-json, as far as `schemes` accept them."""
    digest = bytes.fromhex(header)
    tried, untried = [], []
    if "raw-body" in schemes:
        if raw_body is None:
            untried.append("raw-body (the runtime passed no raw body)")
        else:
            body = _raw_body_bytes(raw_body)
            if _matches_any(secrets, body, digest):
                return Verified("raw-body", "HMAC of the raw body, hex digest", _parse_raw_body(body))
            tried.append("raw-body, the HMAC-SHA256 of the raw body")
    if "form-json" in schemes:
        if "type" not in fields:
            untried.append("form-json (the body has no type field)")
        else:
            if _matches_any(secrets, form_json_message(fields), digest):
                return Verified("form-json", "HMAC of the compact JSON of the event fields, hex digest", fields)
            tried.append("form-json, the HMAC-SHA256 of the compact JSON of type, origin, message and profile or job")
    if tried:
        sentence = "No secret verifies the {}: it is {}, so it was checked as {}.".format(
            where, HEX_DIGITS, " and as ".join(tried))
    else:
        sentence = "Nothing could check the {}: it is {}, but no scheme of that shape applies.".format(
            where, HEX_DIGITS)
    raise SignatureError(sentence + "".join(" Not tried: {}.".format(reason) for reason in untried))


def _excluded_by_setting(shape: str, schemes: Sequence[str], where: str) -> str | None:
    """Why nothing was checked when `HRFLOW_SIGNATURE_SCHEME` leaves out every scheme of this shape."""
    of_shape = SCHEMES_OF_SHAPE.get(shape, ())
    if of_shape and not set(of_shape) & set(schemes):
        return ("The {} is {}, the shape of {}, but HRFLOW_SIGNATURE_SCHEME excludes {} (it accepts only {}), "
                "so nothing was checked.".format(where, shape, " and ".join(of_shape), "them" if len(of_shape) > 1
                                                 else "it", ", ".join(schemes)))
    return None


def verify_signature(
    header: object,
    secrets: Sequence[bytes],
    fields: dict[str, object],
    raw_body: object = None,
    schemes: Sequence[str] = SCHEMES,
    header_name: str = SIGNATURE_HEADER,
) -> Verified:
    """Check `header` (received as `header_name`) by the accepted `schemes` against every secret
    and return what it signs, or raise `SignatureError` saying why, without showing any value."""
    shape = header_shape(header)
    try:
        return _verify_shaped(shape, header, secrets, fields, raw_body, schemes, "{} header".format(header_name))
    except SignatureError as error:
        error.shape = shape
        raise


def _verify_shaped(shape: str, header: object, secrets: Sequence[bytes], fields: dict[str, object], raw_body: object,
                   schemes: Sequence[str], where: str) -> Verified:
    if not secrets:
        raise SignatureError("No webhook secret is configured, so nothing can be verified.")
    if shape == ABSENT:
        raise SignatureError("The request has no signature header: looked for {} (any case, '-' or '_').".format(
            ", ".join(SIGNATURE_HEADERS)))
    if shape in (NOT_TEXT, TOO_LONG) or not isinstance(header, str):
        raise SignatureError("The {} is {}.".format(where, shape))
    if shape == SOMETHING_ELSE:
        raise SignatureError(
            "The {} is neither {} nor {} joined by a dot ({} characters), the shapes of HrFlow's schemes, so "
            "nothing was checked.".format(where, HEX_DIGITS, TWO_BASE64_PARTS, len(header)))
    excluded = _excluded_by_setting(shape, schemes, where)
    if excluded:
        raise SignatureError(excluded)
    if shape == TWO_BASE64_PARTS:
        return _verify_signed_request(header.strip(), secrets, where)
    return _verify_hex(header.strip(), secrets, fields, raw_body, schemes, where)
