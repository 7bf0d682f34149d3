"""The one line each execution prints, which Catch shows in its log, and what the execution learns
on its way that the line says."""
from __future__ import annotations

from shared.core.version import VERSION
from shared.outbound.budget import Budget
from shared.wire.event import Event


class Trace:
    """What an execution has learnt so far: the signature header's shape (on a rejection), the scheme
    that verified it, the event, and the budget its calls were counted in."""

    def __init__(self) -> None:
        self.shape = ""
        self.scheme = ""
        self.event: Event | None = None
        self.budget: Budget | None = None
        self.error = ""  # an unexpected exception: its type, and its function and line (`at=name:line`)

    @property
    def calls(self) -> int:
        """The HTTP calls made so far."""
        return self.budget.calls if self.budget is not None else 0


def log_line(workflow: str, status_code: int, body: str, trace: Trace, seconds: float) -> None:
    """Print the execution's one line: what came in, what went out, how long it took.

    The fields are ours, validated keys, the header's shape on a rejection and the
    signed event type; the body is JSON of redacted texts, so ASCII on one line already.
    """
    event = trace.event
    keys = "{}={} ".format(event.subject.name, event.key) if event is not None else ""
    shape = "sig={} ".format(trace.shape.replace(" ", "-")) if trace.shape else ""
    error = "error={} ".format(trace.error) if trace.error else ""
    line = "workflow={} event={} scheme={} {}{}code={} {}calls={} ms={:.1f} version={}".format(
        workflow, event.type if event is not None else "-", trace.scheme or "-", shape, keys, status_code,
        error, trace.calls, seconds * 1000, VERSION,
    )
    # One printable line whatever a signed event type holds: white space runs
    # (line breaks too) become one space, and anything not ASCII is escaped.
    line = " ".join(line.split()).encode("ascii", "backslashreplace").decode("ascii")
    try:
        print(line + " body=" + body, flush=True)
    except (OSError, ValueError):  # no usable stdout: the answer matters more than its log line
        pass
