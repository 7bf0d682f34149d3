"""Probe: what Catch hands a workflow on this account, for the first paste.

Nobody here knows for sure what HrFlow's servers send today (which header name,
which signing variant, which fields), which Python and packages Catch runs, or
whether it keeps `settings` between executions. The probe acts on nothing and
calls nothing: it answers every request with a report of exactly that, naming
keys, types and lengths but never a value, except the event `type` and the
`Content-Type`, so that it can be pasted and triggered (the console's Check
button, or one real event) before any real workflow.
"""
from __future__ import annotations

import sys
import time

from shared.core.errors import CatchError
from shared.core.settings import Settings, SettingsSpec
from shared.core.version import VERSION
from shared.outbound.packages import SUPPORTED, in_range, installed_version, supported_range
from shared.pipeline.answer import CatchResponse, catch_response
from shared.untrusted.redact import redact
from shared.untrusted.text import NAME_CHARS, line
from shared.wire.event import event_fields
from shared.wire.headers import MAX_REQUEST_FIELDS, SIGNATURE_HEADER, find_signature, raw_body
from shared.wire.signature import header_shape, verify_signature
from shared.wire.verification import accepted_schemes, signed_event, webhook_secrets

PERSISTED_MARKER = "_CATCH_PROBE_SEEN"
PACKAGES = {"hrflow": "hrflow", "mailchimp_transactional": "mailchimp-transactional", "requests": "requests"}
SHOWN_VALUES = ("type", "content-type")
PROBE_SETTINGS = SettingsSpec(optional=("HRFLOW_WEBHOOK_SECRET", "HRFLOW_SIGNATURE_SCHEME"))


def _package(name: str, distribution: str) -> dict[str, object]:
    """The installed version of a package (None when it cannot be imported), and for those the workflows
    call, the versions they are tested with and whether this one is among them."""
    import importlib

    try:
        version: str | None = installed_version(importlib.import_module(name), distribution)
    except Exception:  # any failure to import means the workflows could not use it either
        version = None
    report: dict[str, object] = {"version": version}
    if name in SUPPORTED:
        report.update(tested=supported_range(name), in_range=in_range(name, version) if version else False)
    return report


def _name(key: object) -> str:
    """A key of the request or the settings as shown: one capped line, or its type if it is not text."""
    return line(key, NAME_CHARS) if isinstance(key, str) else "(a key of type {})".format(type(key).__name__)


def _described(value: object) -> dict[str, object]:
    """A value by its type and length, never itself."""
    return {"type": type(value).__name__, "length": len(value) if isinstance(value, (str, bytes, list, dict)) else None}


def _request_keys(_request: dict[str, object]) -> dict[str, object]:
    """Every key of `_request` (as many as a workflow accepts) with its value's type and length;
    the value too for the event type and the Content-Type, as one capped, redacted line."""
    keys: dict[str, object] = {}
    for key, value in list(_request.items())[:MAX_REQUEST_FIELDS]:
        entry = _described(value)
        if isinstance(key, str) and key.lower() in SHOWN_VALUES:
            entry["value"] = redact(line(value, NAME_CHARS)) if isinstance(value, str) else None
        keys[_name(key)] = entry
    return keys


def _signature(_request: dict[str, object], config: Settings) -> dict[str, object]:
    """Which header carried the signature and its shape; with a webhook secret, which scheme and
    variant verified it, or why none did, and whether what it signs is an event."""
    try:
        name, header = find_signature(_request)
    except CatchError as error:
        return {"header": None, "shape": None, "reason": error.reason}
    report: dict[str, object] = {"header": name, "shape": header_shape(header)}
    if not config.has("HRFLOW_WEBHOOK_SECRET"):
        return dict(report, reason="HRFLOW_WEBHOOK_SECRET is not set: set it to see which scheme and variant verify.")
    try:
        body = event_fields(_request)
        verified = verify_signature(header, webhook_secrets(config), body, raw_body(_request),
                                    accepted_schemes(config), name or SIGNATURE_HEADER)
    except CatchError as error:  # a rejection, a configuration error, or a raw body that is not text
        return dict(report, verified=False, reason=error.reason)
    report.update(verified=True, scheme=verified.scheme, variant=verified.variant)
    try:
        report["event"] = signed_event(verified, body, header).received_type
    except CatchError as error:  # signed, but not an event a workflow would act on
        report["event_problem"] = error.reason
    return report


def probe(_request: object, settings: object) -> CatchResponse:
    """Report the runtime, the request's keys, the signature and the settings' names; act on nothing."""
    started = time.perf_counter()
    request = _request if isinstance(_request, dict) else {}
    config = Settings(settings)
    persisted = isinstance(settings, dict) and settings.get(PERSISTED_MARKER) is not None
    settings_keys = sorted(_name(key) for key in settings) if isinstance(settings, dict) else []
    if isinstance(settings, dict):
        settings[PERSISTED_MARKER] = "1"  # comes back on the next execution where Catch keeps settings
    signature = _signature(request, config)
    report = {
        "python": " ".join(sys.version.split()),
        "version": VERSION,
        "packages": {name: _package(name, distribution) for name, distribution in PACKAGES.items()},
        "request_keys": (_request_keys(request) if isinstance(_request, dict)
                         else {"(not a dict)": _described(_request)}),
        "signature": signature,
        "settings_keys": settings_keys,
        "settings_persisted": persisted,
    }
    print("workflow=catch_probe sig={} verified={} persisted={} code=200 ms={:.1f} version={}".format(
        str(signature.get("shape")).replace(" ", "-"), signature.get("verified", "-"), persisted,
        (time.perf_counter() - started) * 1000, VERSION), flush=True)
    return catch_response("ok", 200, "What Catch handed this workflow; nothing was acted on.", **report)
