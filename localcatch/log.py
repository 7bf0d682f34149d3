"""What the emulator writes on stderr: one whole line at a time, and in it only what cannot forge a line or
drive a terminal, nor show a secret (a URL by its scheme, host and port; an exception by where it was raised).
What a workflow writes on stderr itself (the traceback the pipeline prints) is captured, and written as one
block of lines of the same kind."""
from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import threading
import traceback
import urllib.parse
from collections.abc import Iterator
from typing import TextIO, cast

MAX_WORD_CHARS = 64  # of a method or an event type, in a log line
MAX_NOTE_CHARS = 1000  # of what a log line adds after its status code and duration
PLAIN_WORD = re.compile(r"[A-Za-z0-9._-]{{1,{}}}".format(MAX_WORD_CHARS))
NOT_PRINTABLE_ASCII = re.compile(r"[^ -~]")
LOG_LOCK = threading.RLock()  # reentrant: a signal handler may log while its thread is writing a line
MAX_BLOCK_LINES = 200  # of what a workflow wrote on stderr, in one block
BLOCK_HEAD = "the workflow wrote on stderr:"
_CAPTURE = threading.local()  # `buffer`: where this thread's writes to sys.stderr go, while it captures them


class _PerThreadStderr(io.TextIOBase):
    """sys.stderr while threads capture what they write there: a capturing thread writes to its buffer, any
    other thread to the stream this replaced (so another request's log line still goes out at once)."""

    def __init__(self, stream: TextIO):
        super().__init__()
        self.stream = stream

    def _target(self) -> TextIO:
        buffer: TextIO | None = getattr(_CAPTURE, "buffer", None)
        return self.stream if buffer is None else buffer

    def write(self, text: str) -> int:
        return self._target().write(text)

    def flush(self) -> None:
        self._target().flush()


_capturing = [0]  # threads capturing now; sys.stderr is a _PerThreadStderr while there are any


@contextlib.contextmanager
def stderr_captured() -> Iterator[io.StringIO]:
    """What this thread writes to sys.stderr meanwhile, captured; what other threads write is not."""
    buffer = io.StringIO()
    with LOG_LOCK:
        if not _capturing[0]:
            sys.stderr = cast(TextIO, _PerThreadStderr(sys.stderr))
        _capturing[0] += 1
    _CAPTURE.buffer = buffer
    try:
        yield buffer
    finally:
        _CAPTURE.buffer = None
        with LOG_LOCK:
            _capturing[0] -= 1
            if not _capturing[0] and isinstance(sys.stderr, _PerThreadStderr):
                sys.stderr = sys.stderr.stream


def log(line: str) -> None:
    """Write one line to stderr, whole: `print` writes the text and the line break apart, so the lines of
    two requests answered at once could interleave."""
    try:
        with LOG_LOCK:
            sys.stderr.write("catch: " + line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):  # no usable stderr: the answer matters more than its log line
        pass


def log_block(text: str) -> None:
    """Write what a workflow wrote on stderr, as one block: a line saying whose it is, then each of its lines
    indented (so that none can pass for a line of ours) and escaped as `log_text` escapes, cut at
    MAX_BLOCK_LINES lines of MAX_NOTE_CHARS characters."""
    lines = text.rstrip("\n").split("\n")
    shown = ["  " + escaped(line.rstrip("\r"))[:MAX_NOTE_CHARS] for line in lines[:MAX_BLOCK_LINES]]
    if len(lines) > MAX_BLOCK_LINES:
        shown.append("  ... ({} more lines)".format(len(lines) - MAX_BLOCK_LINES))
    log("\n".join([BLOCK_HEAD] + shown))


def escaped(text: str) -> str:
    """`text` with every character outside printable ASCII escaped (\\x1b, \\u2028), line breaks too."""
    return NOT_PRINTABLE_ASCII.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def joined(words: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return "{} and {}".format(", ".join(words[:-1]), words[-1]) if len(words) > 1 else "".join(words)


def log_word(value: object) -> str:
    """A word the client chose (a method, the unsigned event type) for a log line: as-is when it is a plain
    token, else the JSON of its first characters, which escapes line breaks and terminal codes; "-" when none."""
    if not isinstance(value, str) or not value:
        return "-"
    return value if PLAIN_WORD.fullmatch(value) else json.dumps(value[:MAX_WORD_CHARS])


def log_text(text: str) -> str:
    """`text` for a log line: white space runs become one space, every other character outside printable
    ASCII is escaped (\\x1b, \\u2028), and it is cut at MAX_NOTE_CHARS ("..." marks the cut)."""
    text = escaped(" ".join(text[:4 * MAX_NOTE_CHARS].split()))
    return text if len(text) <= MAX_NOTE_CHARS else text[:MAX_NOTE_CHARS - 3] + "..."


def location(error: BaseException) -> str:
    """Where an exception was raised, as `file:line`; not its message, which may hold a secret."""
    if isinstance(error, SyntaxError):
        return "{}:{}".format(error.filename, error.lineno)
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return "{}:{}".format(frame.filename, frame.lineno)


def os_reason(error: object) -> str:
    """What went wrong, in words ("address already in use"), without the errno."""
    text = (error.strerror if isinstance(error, OSError) else None) or str(error)
    return text[:1].lower() + text[1:]


def shown_url(url: str) -> str:
    """A URL for a message as scheme://host:port alone: its user, password, path, query and fragment may each
    hold a token."""
    try:
        parts = urllib.parse.urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:  # a broken [address], a port that is not a number from 0 to 65535
        return "(a URL that does not parse)"
    host = "[{}]".format(host) if ":" in host else host
    return log_text("{}://{}{}".format(parts.scheme, host, "" if port is None else ":{}".format(port)))
