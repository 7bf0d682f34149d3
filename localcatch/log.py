"""What the emulator writes on stderr: one whole line at a time, and in it only what cannot forge a line or
drive a terminal, nor show a secret (a URL by its scheme, host and port; an exception by where it was raised)."""
from __future__ import annotations

import json
import re
import sys
import threading
import traceback
import urllib.parse

MAX_WORD_CHARS = 64  # of a method or an event type, in a log line
MAX_NOTE_CHARS = 1000  # of what a log line adds after its status code and duration
PLAIN_WORD = re.compile(r"[A-Za-z0-9._-]{{1,{}}}".format(MAX_WORD_CHARS))
NOT_PRINTABLE_ASCII = re.compile(r"[^ -~]")
LOG_LOCK = threading.RLock()  # reentrant: a signal handler may log while its thread is writing a line


def log(line: str) -> None:
    """Write one line to stderr, whole: `print` writes the text and the line break apart, so the lines of
    two requests answered at once could interleave."""
    try:
        with LOG_LOCK:
            sys.stderr.write("catch: " + line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):  # no usable stderr: the answer matters more than its log line
        pass


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
    text = " ".join(text[:4 * MAX_NOTE_CHARS].split())
    text = NOT_PRINTABLE_ASCII.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)
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
