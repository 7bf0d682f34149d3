"""Verify and make `HTTP-HRFLOW-SIGNATURE` values, for the three schemes HrFlow documents.

- `signed-request`: ``base64url(sig) + "." + base64url(payload)``, payload the
  event as UTF-8 JSON, sig the HMAC-SHA256 of the payload as hex text (Python
  SDK) or as raw bytes (PHP SDK). The payload is the event.
- `form-json`: hex HMAC of the compact JSON of ``{type, origin, message,
  profile|job}`` with the values exactly as received (the workflow example).
- `raw-body`: hex HMAC of the raw request body (the Ruby example).

`verify_signature` checks and returns what the signature covers, nothing else;
turning that into an event is `request.parse_event`'s job. Every failure is a
`SignatureError` with its own sentence, or a `MalformedRequest` when the raw
body is not text or what it signs is not an event. The `sign_*` helpers sit
beside it so that tests and local tools never hand-craft a signature.
"""
import base64
import binascii
import functools
import hashlib
import hmac
import json
import re
from typing import NamedTuple, Optional, Sequence, Union

from .errors import MalformedRequest, SignatureError

SIGNATURE_HEADER = "HTTP-HRFLOW-SIGNATURE"
SCHEMES = ("signed-request", "form-json", "raw-body")
MAX_SIGNATURE_CHARS = 1 << 20
EVENT_FIELDS = ("type", "origin", "message")
OBJECT_FIELDS = ("profile", "job")

_BASE64URL_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_TO_STANDARD_BASE64 = bytes.maketrans(b"-_", b"+/")
_HEX_DIGEST = re.compile(r"[0-9A-Fa-f]{64}")
_SECRET_SEPARATORS = re.compile(r"[\s,]+")


class Verified(NamedTuple):
    """What a valid signature covers: the scheme and the event fields it signed."""

    scheme: str
    fields: dict


@functools.lru_cache(maxsize=32)  # the same setting is split for verifying and for redacting
def split_secrets(value: str) -> "tuple[str, ...]":
    """Split a webhook-secret setting into its secrets as text (commas or white space, for rotation)."""
    return tuple(part for part in _SECRET_SEPARATORS.split(value) if part)


def parse_secrets(value: str) -> "tuple[bytes, ...]":
    """The secrets of a webhook-secret setting, as the bytes HMAC keys on."""
    return tuple(part.encode("utf-8") for part in split_secrets(value))


def _hmac(secret: bytes, message: bytes) -> bytes:
    return hmac.new(secret, message, hashlib.sha256).digest()


def _matches_any(secrets: Sequence[bytes], message: bytes, presented: bytes) -> bool:
    """Constant-time check of one presented digest against every secret (no early exit)."""
    matched = False
    for secret in secrets:
        matched |= hmac.compare_digest(_hmac(secret, message), presented)
    return matched


def _b64url_decode(text: str, what: str) -> bytes:
    """Decode canonical base64url, padded or not: its alphabet only, whole padding, no spare bits set,
    so each signed value has one header text. Linear and allocation-light: headers can be large."""
    unpadded = text.rstrip("=")
    remainder, padding = len(unpadded) % 4, len(text) - len(unpadded)
    if not unpadded.isascii() or remainder == 1 or (padding and padding != -remainder % 4):
        raise SignatureError("The {} of the signed request is not base64url.".format(what))
    raw = unpadded.encode("ascii")
    if raw.translate(None, _BASE64URL_ALPHABET):
        raise SignatureError("The {} of the signed request is not base64url.".format(what))
    if remainder and _BASE64URL_ALPHABET.index(raw[-1]) & (0x0F if remainder == 2 else 0x03):
        raise SignatureError("The {} of the signed request is not canonical base64url.".format(what))
    return binascii.a2b_base64(raw.translate(_TO_STANDARD_BASE64) + b"=" * (-remainder % 4))


def _b64url_encode(data: bytes, padded: bool) -> str:
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return text if padded else text.rstrip("=")


def _as_digest(signature: bytes) -> bytes:
    """Read a signature given as 32 raw bytes or as 64 hex digits (either case)."""
    if len(signature) == 32:
        return signature
    if len(signature) == 64 and _HEX_DIGEST.fullmatch(signature.decode("latin-1")):
        return bytes.fromhex(signature.decode("ascii"))
    raise SignatureError("The signature is neither 64 hex digits nor 32 bytes.")


def form_json_message(fields: dict) -> bytes:
    """The bytes scheme `form-json` signs: the four event fields as received, in order."""
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


def _raw_body_bytes(raw_body: Union[str, bytes]) -> bytes:
    """The body as sent: bytes, or text as UTF-8. Anything else is malformed (`bytes(10**9)` would allocate)."""
    if isinstance(raw_body, (bytes, bytearray)):
        return bytes(raw_body)
    if isinstance(raw_body, str):
        try:
            return raw_body.encode("utf-8")
        except UnicodeEncodeError:
            raise MalformedRequest("The raw body is text that UTF-8 cannot encode.") from None
    raise MalformedRequest("The raw body is neither bytes nor text.")


def _verify_signed_request(header: str, secrets: Sequence[bytes]) -> Verified:
    encoded_signature, dot, encoded_payload = header.partition(".")
    if not dot or not encoded_signature or not encoded_payload:
        raise SignatureError("The signed request is not two base64url parts joined by a dot.")
    digest = _as_digest(_b64url_decode(encoded_signature, "signature part"))
    payload = _b64url_decode(encoded_payload, "payload part")
    if not _matches_any(secrets, payload, digest):
        raise SignatureError("No secret produces the signature of the signed request.")
    try:
        event = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SignatureError("The signed payload is not UTF-8 JSON.") from None
    if not isinstance(event, dict):
        raise SignatureError("The signed payload is not a JSON object.")
    return Verified("signed-request", event)


def _parse_raw_body(body: bytes) -> dict:
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


def verify_signature(
    header: object,
    secrets: Sequence[bytes],
    fields: dict,
    raw_body: Optional[Union[str, bytes]] = None,
    schemes: Sequence[str] = SCHEMES,
) -> Verified:
    """Check `header` by the accepted `schemes` against every secret and return what it signs,
    or raise `SignatureError`."""
    if not secrets:
        raise SignatureError("No webhook secret is configured, so nothing can be verified.")
    if header is None:
        raise SignatureError("The request has no {} header.".format(SIGNATURE_HEADER))
    if not isinstance(header, str):
        raise SignatureError("The {} header is not text.".format(SIGNATURE_HEADER))
    if len(header) > MAX_SIGNATURE_CHARS:
        raise SignatureError("The {} header is longer than {} characters.".format(SIGNATURE_HEADER, MAX_SIGNATURE_CHARS))
    header = header.strip()
    if "." in header:
        if "signed-request" not in schemes:
            raise SignatureError("The header is a signed request, a scheme this workflow does not accept.")
        return _verify_signed_request(header, secrets)
    if not _HEX_DIGEST.fullmatch(header):
        raise SignatureError("The signature is neither a signed request nor 64 hex digits.")
    digest = bytes.fromhex(header)
    if raw_body is not None and "raw-body" in schemes:
        body = _raw_body_bytes(raw_body)
        if _matches_any(secrets, body, digest):
            return Verified("raw-body", _parse_raw_body(body))
    if "type" in fields and "form-json" in schemes and _matches_any(secrets, form_json_message(fields), digest):
        return Verified("form-json", fields)
    raise SignatureError("No secret produces the signature of the request's event fields.")


def sign_signed_request(
    payload: Union[dict, str, bytes], secret: str, raw_digest: bool = False, padded: bool = True
) -> str:
    """Header for scheme `signed-request`: hex digest (Python SDK) or raw (`raw_digest`, PHP SDK).

    Padded by default, since the Python SDK's decoder needs the padding. A dict
    payload is dumped as ASCII JSON for the same decoder; pass text or bytes to
    sign other payloads as they are.
    """
    if isinstance(payload, dict):
        payload = json.dumps(payload)  # ASCII: the Python SDK decodes the payload as ASCII
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    digest = _hmac(secret.encode("utf-8"), data)
    signature = digest if raw_digest else digest.hex().encode("ascii")
    return _b64url_encode(signature, padded) + "." + _b64url_encode(data, padded)


def sign_form_json(fields: dict, secret: str) -> str:
    """Header for scheme `form-json`, over the fields exactly as the workflow will receive them."""
    return _hmac(secret.encode("utf-8"), form_json_message(fields)).hex()


def sign_raw_body(body: Union[str, bytes], secret: str) -> str:
    """Header for scheme `raw-body`: the hex HMAC of the body as sent."""
    return _hmac(secret.encode("utf-8"), _raw_body_bytes(body)).hex()
