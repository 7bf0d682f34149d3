"""One execution's time budget, shared by every HTTP call and retry in it."""
from __future__ import annotations

import time

from shared.core.errors import ConfigError, DownstreamError
from shared.core.typecheck import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

# The least time a call is given where the budget leaves no more: what is kept for the next call
# before waiting to retry, and what each call before a send is allowed when checking the settings.
MIN_CALL_SECONDS = 1.0


def check_room(budget_seconds: float, call_timeout: float, calls: int) -> None:
    """Refuse a budget in which the last of `calls` calls, a send, can never have its whole timeout
    after the calls before it took `MIN_CALL_SECONDS` each (or the timeout, if shorter), naming the
    figures that would work."""
    import math  # only an event that reached its action gets here

    before = (calls - 1) * min(call_timeout, MIN_CALL_SECONDS)
    if budget_seconds > call_timeout + before:
        return
    fitting_timeout = budget_seconds - (calls - 1) if budget_seconds - (calls - 1) > MIN_CALL_SECONDS \
        else budget_seconds / calls
    raise ConfigError(
        "Settings HTTP_TIMEOUT_SECONDS and EXECUTION_BUDGET_SECONDS leave no room for the {} HTTP call{} of "
        "this event: its send needs its whole timeout left{}. Set EXECUTION_BUDGET_SECONDS above {:g}, or "
        "HTTP_TIMEOUT_SECONDS below {:g}.".format(
            calls, "" if calls == 1 else "s",
            ", after {:g} s for each call before it".format(min(call_timeout, MIN_CALL_SECONDS)) if before else "",
            math.ceil((call_timeout + before) * 100) / 100, math.floor(fitting_timeout * 100) / 100))


class Budget:
    """A deadline, and the per-call timeouts it leaves room for."""

    def __init__(self, seconds: float, call_timeout: float, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._deadline = clock() + seconds
        self.call_timeout = call_timeout
        self.calls = 0

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self._deadline - self._clock())

    def next_call_timeout(self, whole: bool = False) -> float:
        """Count one more HTTP call and give its timeout: the per-call limit, cut to what is left.

        A call that must not be cut short (a send, whose outcome a timeout makes
        unknown) gets its `whole` timeout or is not made at all.
        """
        left = self.remaining()
        if left <= (self.call_timeout if whole else 0.05):
            raise DownstreamError("The execution budget ran out before the next call.", 503)
        self.calls += 1
        return min(self.call_timeout, left)

    def can_wait(self, seconds: float) -> bool:
        """Whether waiting `seconds` still leaves time for one more call."""
        return seconds + min(self.call_timeout, MIN_CALL_SECONDS) < self.remaining()
