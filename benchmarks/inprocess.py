"""Rows measured in process: rejecting forgeries, accepting valid events, and the other decoders.

The subject is a dist file's `workflow()` (executed from the file, stdout to a
`NullSink`) and the lower-level `verified_event` of shared/wire/verification.py, taken
from the same dist namespace so both rows measure the same code.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from harness import dist_file, load_dist, quiet, settings
from payloads import SIZES, bare_check, hrflow_sdk_decoder, padded_event, signed, standard_webhook
from report import Row, ratio_row, section
from timing import Profile, compare

from localcatch.signers import parse_secrets
from shared.wire.signature import SCHEMES

WORKFLOW_TYPE = "profile.parsing.success"  # the workflow every in-process row calls
OTHER_TYPE = "profile.storing.success"  # validly signed, so that workflow answers `skipped` without I/O
REJECT_LIMITS = {"1 KB": 3.0, "64 KB": 1.5}
ACCEPT_LIMITS = REJECT_LIMITS
SDK_LIMITS = {"1 KB": 0.5, "64 KB": 0.1}  # subject / SDK: 2× and 10× faster


class Subject:
    """The code under test, loaded once from a dist file."""

    def __init__(self, dist: Path):
        namespace = load_dist(dist_file(dist, WORKFLOW_TYPE))
        self.workflow = namespace["workflow"]
        self.verified_event = namespace["verified_event"]
        self.signature_error = namespace["SignatureError"]
        self.settings = settings()
        self.secrets = parse_secrets(self.settings["HRFLOW_WEBHOOK_SECRET"])

    def answer(self, request: dict, **overrides: str) -> Callable[[], dict]:
        """A call of `workflow()` on `request` (settings copied, as Catch hands each execution its own)."""
        workflow, values = self.workflow, dict(self.settings, **overrides)
        return lambda: workflow(request, dict(values))

    def verify(self, request: dict) -> Callable[[], object]:
        verified_event, secrets = self.verified_event, self.secrets
        return lambda: verified_event(request, secrets)

    def refuse(self, request: dict) -> Callable[[], object]:
        """A call of `verified_event` that must raise SignatureError, which is swallowed."""
        verified_event, secrets, error = self.verified_event, self.secrets, self.signature_error

        def call():
            try:
                verified_event(request, secrets)
            except error:
                return
            raise AssertionError("a forged request was accepted")

        return call


def _described(baseline, size_name: str) -> str:
    """The baseline's recipe, said once per scheme (on the first size)."""
    return "baseline: " + baseline.description if size_name == SIZES[0][0] else ""


def _status(response: dict) -> tuple[int, str]:
    return response["status_code"], json.loads(response["body"])["status"]


def reject_rows(subject: Subject, profile: Profile) -> list[Row]:
    """A forged signature (a wrong secret), for each scheme and size: workflow() and verified_event."""
    rows = [section("reject a forged request, in process; baseline: the bare primitives of one check "
                    "of the same request (notes 1-3)")]
    for size_name, size in SIZES:
        event = padded_event(WORKFLOW_TYPE, size)
        for scheme in SCHEMES:
            request = signed(event, scheme, forged=True)
            baseline = bare_check(request, scheme, parse=False)
            assert baseline.run() is False
            with quiet():
                assert _status(subject.answer(request)()) == (401, "rejected")
                timed = compare(subject.answer(request), baseline.run, profile)
            limit, detail = REJECT_LIMITS[size_name], _described(baseline, size_name)
            rows.append(ratio_row(f"{size_name} {scheme}: workflow()", *timed, limit, detail=detail))
            timed = compare(subject.refuse(request), baseline.run, profile)
            rows.append(ratio_row(f"{size_name} {scheme}: verified_event", *timed, limit))
            if scheme == "raw-body":  # unpinned, a hex header is also tried as form-json (note 3)
                pinned = subject.answer(request, HRFLOW_SIGNATURE_SCHEME=scheme)
                with quiet():
                    assert _status(pinned()) == (401, "rejected")
                    timed = compare(pinned, baseline.run, profile)
                rows.append(ratio_row(f"{size_name} {scheme}, pinned: workflow()", *timed, limit,
                                      detail="HRFLOW_SIGNATURE_SCHEME=raw-body"))
    return rows


def accept_rows(subject: Subject, profile: Profile) -> list[Row]:
    """A valid signature, for each scheme and size: verified_event, and workflow() answering `skipped`."""
    rows = [section("accept and parse a valid event, no handler I/O; baseline: the bare primitives of one "
                    "check + parsing the event (notes 1-4)")]
    for size_name, size in SIZES:
        for scheme in SCHEMES:
            request = signed(padded_event(WORKFLOW_TYPE, size), scheme)
            baseline = bare_check(request, scheme, parse=True)
            assert baseline.run() is True
            limit = ACCEPT_LIMITS[size_name]
            timed = compare(subject.verify(request), baseline.run, profile)
            rows.append(ratio_row(f"{size_name} {scheme}: verified_event", *timed, limit,
                                  detail=_described(baseline, size_name)))
            other = signed(padded_event(OTHER_TYPE, size), scheme)
            baseline = bare_check(other, scheme, parse=True)
            with quiet():
                assert _status(subject.answer(other)()) == (200, "skipped")
                timed = compare(subject.answer(other), baseline.run, profile)
            rows.append(ratio_row(f"{size_name} {scheme}: workflow() -> skipped", *timed, limit))
    return rows


def decoder_rows(subject: Subject, profile: Profile) -> list[Row]:
    """The same acceptance against the official hrflow SDK's decoder and against standardwebhooks."""
    rows = [section("accept and parse vs the hrflow SDK: Hrflow(webhook_secret).webhooks._decode_request(header) "
                    "on the same signed-request header (ASCII, padded); ratio < 1 = faster")]
    for size_name, size in SIZES:
        request = signed(padded_event(WORKFLOW_TYPE, size), "signed-request")
        sdk = hrflow_sdk_decoder(request)
        assert sdk()["type"] == WORKFLOW_TYPE
        limit = SDK_LIMITS[size_name]
        target = f"≤ {limit:g}× ({1 / limit:g}× faster)"
        timed = compare(subject.verify(request), sdk, profile)
        rows.append(ratio_row(f"{size_name} signed-request: verified_event", *timed, limit, target=target))
        other = signed(padded_event(OTHER_TYPE, size), "signed-request")
        with quiet():
            timed = compare(subject.answer(other), hrflow_sdk_decoder(other), profile)
        rows.append(ratio_row(f"{size_name} signed-request: workflow() -> skipped", *timed, limit,
                              target=target))
    rows.append(section("accept and parse vs standardwebhooks: Webhook(secret).verify(payload, headers) on the "
                        "same event JSON; target: not slower (note 5)"))
    for size_name, size in SIZES:
        event = padded_event(WORKFLOW_TYPE, size)
        standard = standard_webhook(event)
        assert standard()["type"] == WORKFLOW_TYPE
        for scheme, encoding in (("signed-request", "form"), ("raw-body", "json")):
            request = signed(event, scheme, encoding=encoding)
            floor = compare(bare_check(request, scheme, parse=True).run, standard, profile).ratio
            timed = compare(subject.verify(request), standard, profile)
            what = f"{size_name} {scheme} ({encoding} body): verified_event"
            rows.append(ratio_row(what, *timed, 1.0, detail=f"bare primitives alone: {floor:.2f}×"))
    return rows
