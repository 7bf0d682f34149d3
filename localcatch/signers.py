"""Make `HTTP-HRFLOW-SIGNATURE` values by each scheme, so that the tests and the local tools never hand-craft
one; `shared/wire/signature.py` verifies them, and says what each scheme signs.

Signing is never pasted: a workflow only verifies. These sign exactly what the verifier checks, through its
own `form_json_message` and `split_secrets`.
"""
from __future__ import annotations

import base64
import hmac
import json
from typing import Any

from shared.wire.signature import form_json_message, split_secrets


def parse_secrets(value: str) -> tuple[bytes, ...]:
    """The secrets of a webhook-secret setting, as the bytes HMAC keys on."""
    return tuple(part.encode("utf-8") for part in split_secrets(value))


def _hmac(secret: str, message: bytes) -> bytes:
    return hmac.digest(secret.encode("utf-8"), message, "sha256")


def sign_signed_request(
    payload: dict[str, Any] | str | bytes, secret: str, raw_digest: bool = False, padded: bool = True
) -> str:
    """Header for scheme `signed-request`: hex digest (Python SDK) or raw (`raw_digest`, PHP SDK).

    Padded by default, since the Python SDK's decoder needs the padding. A dict
    payload is dumped as ASCII JSON for the same decoder; pass text or bytes to
    sign other payloads as they are.
    """
    if isinstance(payload, dict):
        payload = json.dumps(payload)  # ASCII: the Python SDK decodes the payload as ASCII
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    digest = _hmac(secret, data)
    signature = digest if raw_digest else digest.hex().encode("ascii")
    return _b64url_encode(signature, padded) + "." + _b64url_encode(data, padded)


def _b64url_encode(data: bytes, padded: bool) -> str:
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return text if padded else text.rstrip("=")


def sign_form_json(fields: dict[str, Any], secret: str) -> str:
    """Header for scheme `form-json`, over the fields exactly as the workflow will receive them."""
    return _hmac(secret, form_json_message(fields)).hex()


def sign_raw_body(body: str | bytes, secret: str) -> str:
    """Header for scheme `raw-body`: the hex HMAC of the body as sent (text as UTF-8)."""
    return _hmac(secret, body.encode("utf-8") if isinstance(body, str) else body).hex()
