"""The inputs the benchmarks feed the workflows, and the bare primitives they are compared with.

Payload size is the size of the event JSON (what scheme `signed-request`
signs). HrFlow's `message` is capped at 4096 characters by
`shared/wire/event.py` (MAX_TEXT_CHARS), so the padding goes into the object, as
a `text` field of ASCII words (a parsed profile carries its full text there):
the same padding at 1 KB and at 64 KB, and the event stays valid at both.
Requests are built by `localcatch.samples.catch_request` with the form encoding
HrFlow's webhook page shows (the object as JSON text in a form field).
"""
from __future__ import annotations

import base64
import hmac
import json
from datetime import datetime, timezone
from typing import Callable, NamedTuple
from urllib.parse import parse_qsl

from localcatch.samples import catch_request, sample_event
from shared.wire.catalogue import CATALOGUE
from shared.wire.headers import RAW_BODY_FIELD, SIGNATURE_HEADER

SECRET = "whsec-bench-5c1e0a"
FORGED_SECRET = "forged-bench-secret"
SIZES = (("1 KB", 1024), ("64 KB", 65536))
ENCODING = "form"
_FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit "


def padded_event(event_type: str, size: int) -> dict:
    """A sample event of `event_type` whose JSON is exactly `size` bytes, padded in the object's `text`."""
    event = sample_event(event_type)
    obj = event[CATALOGUE[event_type].subject.name]
    obj["text"] = ""
    missing = size - len(json.dumps(event))
    if missing < 0:
        raise ValueError(f"an event of {event_type} cannot be {size} bytes")
    obj["text"] = (_FILLER * (missing // len(_FILLER) + 1))[:missing]
    assert len(json.dumps(event)) == size
    return event


def signed(event: dict, scheme: str, forged: bool = False, encoding: str = ENCODING) -> dict:
    """The `_request` Catch hands a workflow for `event`, signed by `scheme` (with a wrong secret if `forged`)."""
    return catch_request(event, FORGED_SECRET if forged else SECRET, scheme, encoding)


class Check(NamedTuple):
    """The bare primitives for one signature check of a request (and parsing what it signs)."""

    description: str
    run: Callable[[], bool]


def bare_check(request: dict, scheme: str, parse: bool) -> Check:
    """The least work that checks `request`'s signature by `scheme` with one HMAC, then parses the event.

    - signed-request: split + 2 base64 decodes + HMAC + compare_digest (+ json.loads of the payload)
    - form-json: hex decode + json.dumps of the 4 signed fields + HMAC + compare_digest (+ json.loads of the object)
    - raw-body: hex decode + encode the body + HMAC + compare_digest (+ parse_qsl of the body + json.loads of the
      object)
    """
    builders = {"signed-request": _signed_request_check, "form-json": _form_json_check, "raw-body": _raw_body_check}
    return builders[scheme](request, SECRET.encode("utf-8"), parse)


def _signed_request_check(request: dict, secret: bytes, parse: bool) -> Check:
    header = request[SIGNATURE_HEADER]

    def run() -> bool:
        encoded_signature, _, encoded_payload = header.partition(".")
        signature = bytes.fromhex(base64.urlsafe_b64decode(encoded_signature).decode("ascii"))
        payload = base64.urlsafe_b64decode(encoded_payload)
        valid = hmac.compare_digest(hmac.digest(secret, payload, "sha256"), signature)
        if parse:
            json.loads(payload)
        return valid

    return Check("partition + 2 base64 decodes + HMAC + compare_digest" + (" + json.loads" if parse else ""), run)


def _form_json_check(request: dict, secret: bytes, parse: bool) -> Check:
    header = request[SIGNATURE_HEADER]
    kind = "profile" if "profile" in request else "job"
    names = ("type", "origin", "message", kind)

    def run() -> bool:
        signature = bytes.fromhex(header)
        message = json.dumps({name: request.get(name) for name in names}, separators=(",", ":")).encode("utf-8")
        valid = hmac.compare_digest(hmac.digest(secret, message, "sha256"), signature)
        if parse:
            json.loads(request[kind])
        return valid

    return Check("hex decode + json.dumps(fields) + HMAC + compare_digest" + (" + json.loads" if parse else ""), run)


def _raw_body_check(request: dict, secret: bytes, parse: bool) -> Check:
    header = request[SIGNATURE_HEADER]
    raw = request[RAW_BODY_FIELD]
    kind = "profile" if "profile" in request else "job"
    form = not raw.lstrip().startswith("{")

    def run() -> bool:
        signature = bytes.fromhex(header)
        body = raw.encode("utf-8")
        valid = hmac.compare_digest(hmac.digest(secret, body, "sha256"), signature)
        if parse and form:
            json.loads(dict(parse_qsl(body.decode("utf-8")))[kind])
        elif parse:
            json.loads(body)
        return valid

    parsing = " + parse_qsl + json.loads" if form else " + json.loads"
    return Check("hex decode + encode + HMAC + compare_digest" + (parsing if parse else ""), run)


def standard_webhook(event: dict) -> Callable[[], object]:
    """`standardwebhooks.Webhook(secret).verify(payload, headers)` on `event`'s JSON, signed now."""
    from standardwebhooks.webhooks import Webhook

    payload = json.dumps(event)
    webhook = Webhook("whsec_" + base64.b64encode(SECRET.encode("utf-8")).decode("ascii"))
    msg_id, now = "msg_bench", datetime.now(tz=timezone.utc)
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": webhook.sign(msg_id, now, payload),
    }
    return lambda: webhook.verify(payload, headers)


def hrflow_sdk_decoder(request: dict) -> Callable[[], object]:
    """The official SDK's decoder on the request's signed-request header."""
    from hrflow import Hrflow

    webhooks = Hrflow(webhook_secret=SECRET).webhooks
    header = request[SIGNATURE_HEADER]
    return lambda: webhooks._decode_request(header)
