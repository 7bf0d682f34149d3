"""Remember what was already done, so a redelivered webhook is not acted on twice.

HrFlow keeps a workflow's `settings` from one execution to the next, so the
record lives there, under one reserved key, as JSON text. Where the platform
does not persist it, behaviour degrades to at-least-once delivery.
"""
from __future__ import annotations

import hashlib
import json
import time

from shared.core.typecheck import TYPE_CHECKING
from shared.wire.event import Event

if TYPE_CHECKING:
    from collections.abc import Callable

RECORD_KEY = "_CATCH_DELIVERIES"
MAX_RECORDS = 500


def _digest(text: str) -> str:
    """What the record keeps of a text: a hash, so that it holds no personal data."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def fingerprint(event: Event) -> str:
    """What makes two deliveries the same: type and key, plus the message unless it is a `success`."""
    parts = [event.type, event.container_key, event.key]
    if not event.type.endswith(".success"):
        parts.append(event.message)
    return _digest("\n".join(parts))


class Deliveries:
    """The bounded record of fingerprints and when they were done, oldest first."""

    def __init__(self, settings: dict[str, object], window_seconds: float, clock: Callable[[], float] = time.time):
        self._settings = settings
        self._window = window_seconds
        self._clock = clock
        self._records = self._load(settings.get(RECORD_KEY))

    @staticmethod
    def _load(value: object) -> dict[str, float]:
        """Read the record; anything malformed starts a fresh one rather than failing."""
        if not isinstance(value, str):
            return {}
        try:
            return {str(mark): float(when) for mark, when in json.loads(value)}
        except (TypeError, ValueError, OverflowError, RecursionError):
            return {}

    def already_done(self, event: Event) -> bool:
        """A `success` counts forever (while it is in the record); others within the window."""
        done_at = self._records.get(fingerprint(event))
        if done_at is None:
            return False
        return event.type.endswith(".success") or self._clock() - done_at < self._window

    def recently(self, mark: str) -> bool:
        """Whether `mark`, any text an action chose (only its hash is kept), was recorded within the window."""
        done_at = self._records.get(_digest(mark))
        return done_at is not None and self._clock() - done_at < self._window

    def record(self, event: Event, marks: tuple[str, ...] = ()) -> None:
        """Note the event as done, with the marks its action asked to keep, and write the record back,
        dropping the oldest beyond the bound."""
        for digest in (fingerprint(event),) + tuple(_digest(mark) for mark in marks):
            self._records.pop(digest, None)
            self._records[digest] = self._clock()
        entries = list(self._records.items())[-MAX_RECORDS:]
        self._records = dict(entries)
        self._settings[RECORD_KEY] = json.dumps([[mark, round(when, 3)] for mark, when in entries])
