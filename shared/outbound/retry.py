"""Bounded retries with exponential backoff and full jitter, inside the budget."""
from __future__ import annotations

import time

from shared.core.errors import DownstreamError
from shared.core.typecheck import TYPE_CHECKING
from shared.outbound.budget import Budget

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")

MAX_ATTEMPTS = 4
BASE_DELAY_SECONDS = 0.2
MAX_DELAY_SECONDS = 5.0


class Transient(Exception):
    """A failure that provably changed nothing, so the call may be made again."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def retry_after_seconds(value: str | None) -> float | None:
    """Read a `Retry-After` header: delay-seconds or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    import email.utils  # only for the rare date form: it costs a cold start ~15 ms

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def with_retries(call: Callable[[float], T], budget: Budget, what: str, whole: bool = False,
                 sleep: Callable[[float], None] = time.sleep) -> T:
    """Run `call(timeout)` until it succeeds, raises something final, or attempts or budget run out;
    with `whole`, each attempt gets its whole per-call timeout or is not made.

    A `Transient` is retried after `Retry-After` when given, else after a jittered
    exponential delay; when no retry fits, the last reason becomes a 503.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            return call(budget.next_call_timeout(whole))
        except Transient as failure:
            delay = failure.retry_after
            if delay is None:
                import random  # only on a retry, off the cold path

                delay = random.uniform(0, min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** attempt))
            if attempt >= MAX_ATTEMPTS or not budget.can_wait(delay):
                raise DownstreamError(
                    "{} failed after {} attempt{}: {}".format(
                        what, attempt, "s" if attempt > 1 else "", failure.reason),
                    503,
                ) from None
            sleep(delay)
