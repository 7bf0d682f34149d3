"""The one line each execution prints, which Catch shows in its log."""
from shared.wire.catalogue import SUBJECTS


def log_line(workflow: str, response: dict, trace: dict, seconds: float) -> None:
    """Print the execution's one line: what came in, what went out, how long it took.

    The fields are ours, validated keys, the header's shape on a rejection and the
    signed event type; the body is JSON of redacted texts, so ASCII on one line already.
    """
    budget = trace.get("budget")
    keys = "".join("{}={} ".format(subject, trace[subject]) for subject in SUBJECTS if subject in trace)
    shape = "sig={} ".format(trace["shape"].replace(" ", "-")) if "shape" in trace else ""
    line = "workflow={} event={} scheme={} {}{}code={} calls={} ms={:.1f}".format(
        workflow, trace.get("event", "-"), trace.get("scheme", "-"), shape, keys, response["status_code"],
        budget.calls if budget is not None else 0, seconds * 1000,
    )
    # One printable line whatever a signed event type holds: white space runs
    # (line breaks too) become one space, and anything not ASCII is escaped.
    line = " ".join(line.split()).encode("ascii", "backslashreplace").decode("ascii")
    try:
        print(line + " body=" + response["body"], flush=True)
    except (OSError, ValueError):  # no usable stdout: the answer matters more than its log line
        pass
