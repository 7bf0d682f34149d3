"""Every way an execution can stop early, each with the HTTP answer it earns.

Modules raise these; only `run` (shared/pipeline/run.py) turns them into a Catch response, so the
mapping from failure to status code lives in one place.
"""
from __future__ import annotations


class CatchError(Exception):
    """Base class: `reason` is safe to log and to return (no secrets, no personal data)."""

    status = "failed"
    status_code = 500

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SignatureError(CatchError):
    """The request is not provably from HrFlow: 401, the handler never runs. `shape` is what the
    signature header looked like (`signature.header_shape`), for the log line."""

    status = "rejected"
    status_code = 401

    def __init__(self, reason: str, shape: str = ""):
        super().__init__(reason)
        self.shape = shape


class MalformedRequest(CatchError):
    """The request cannot be read as a HrFlow event: 400, the handler never runs."""

    status = "rejected"
    status_code = 400


class ConfigError(CatchError):
    """A setting is missing or invalid: 500, naming the key, never its value."""


class NotFound(CatchError):
    """The object the event names no longer exists: nothing to do, so `skipped`."""

    status = "skipped"
    status_code = 200


class DownstreamError(CatchError):
    """HrFlow or Mandrill failed: 502/503 when a redelivery could help, else 500."""

    def __init__(self, reason: str, status_code: int = 502):
        super().__init__(reason)
        self.status_code = status_code


class UnknownOutcome(DownstreamError):
    """A send that may or may not have happened (timed out, cut mid-way): never repeated, and
    remembered as done so that a redelivery does not repeat it either. 502, with the reason."""
