"""Sample HrFlow events in their wire formats, signed by each scheme.

The local emulator (`catch.py`), the tests and the benchmarks all build their
requests here, so they exercise exactly what HrFlow sends: a form body with
the object as JSON text (the webhook page's examples), or a JSON body.
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from localcatch.signers import sign_form_json, sign_raw_body, sign_signed_request
from shared.wire.catalogue import CATALOGUE
from shared.wire.headers import RAW_BODY_FIELD, SIGNATURE_HEADER

# The keys of the webhook page's own examples.
SAMPLE_OBJECT_KEY = "d821393853fc32b08c93b8d38590817c72048ec4"
SAMPLE_CONTAINER_KEY = "d900ec70c67d43c71027f9bc63ec3b5b3e16c1d8"
ENCODINGS = ("form", "json")
CONTENT_TYPES = {"form": "application/x-www-form-urlencoded", "json": "application/json"}


def sample_event(
    event_type: str,
    key: str = SAMPLE_OBJECT_KEY,
    container_key: str = SAMPLE_CONTAINER_KEY,
    message: str | None = None,
    origin: str = "api",
) -> dict[str, Any]:
    """An event as HrFlow builds it: type, origin, message and the object with its container."""
    spec = CATALOGUE[event_type]
    subject = spec.subject
    last_word = "failed" if spec.status == "error" else "succeed"  # of HrFlow's message, as HrFlow spells it
    return {
        "type": event_type,
        "origin": origin,
        "message": message if message is not None else "{} {} {}".format(subject.name, spec.stage, last_word),
        subject.name: {"key": key, subject.container: {"key": container_key}},
    }


def body_fields(event: dict[str, Any], encoding: str) -> dict[str, Any]:
    """The body fields as a Catch workflow receives them: the object as JSON text for a form."""
    if encoding == "json":
        return dict(event)
    return {name: json.dumps(value) if isinstance(value, dict) else value for name, value in event.items()}


def wire_body(event: dict[str, Any], encoding: str) -> bytes:
    """The raw HTTP body HrFlow sends for `event`."""
    if encoding == "json":
        return json.dumps(event).encode("utf-8")
    return urlencode(body_fields(event, "form")).encode("utf-8")


def signature_for(event: dict[str, Any], secret: str, scheme: str, encoding: str) -> str:
    """The `HTTP-HRFLOW-SIGNATURE` value for `event` sent with `encoding`, by `scheme`."""
    if scheme == "signed-request":
        return sign_signed_request(event, secret)
    if scheme == "form-json":
        return sign_form_json(body_fields(event, encoding), secret)
    return sign_raw_body(wire_body(event, encoding), secret)


def catch_request(event: dict[str, Any], secret: str, scheme: str = "form-json",
                  encoding: str = "form") -> dict[str, Any]:
    """The `_request` dict Catch hands a workflow: body fields and headers in one dict.

    Scheme `raw-body` also carries the raw body, as the local emulator passes it.
    """
    request = body_fields(event, encoding)
    request["Content-Type"] = CONTENT_TYPES[encoding]
    request[SIGNATURE_HEADER] = signature_for(event, secret, scheme, encoding)
    if scheme == "raw-body":
        request[RAW_BODY_FIELD] = wire_body(event, encoding).decode("utf-8")
    return request


def wire_request(event: dict[str, Any], secret: str, scheme: str = "form-json",
                 encoding: str = "form") -> tuple[bytes, dict[str, str]]:
    """The raw body and the headers HrFlow POSTs for `event`, signed by `scheme`.

    The body carries the event fields whatever the scheme, as HrFlow sends them.
    """
    signature = signature_for(event, secret, scheme, encoding)
    return wire_body(event, encoding), {"Content-Type": CONTENT_TYPES[encoding], SIGNATURE_HEADER: signature}
