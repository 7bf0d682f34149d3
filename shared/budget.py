"""One execution's time budget, shared by every HTTP call and retry in it."""
import time

from .errors import DownstreamError


class Budget:
    """A deadline, and the per-call timeouts it leaves room for."""

    def __init__(self, seconds: float, call_timeout: float, clock=time.monotonic):
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
        return seconds + min(self.call_timeout, 1.0) < self.remaining()
