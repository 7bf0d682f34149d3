"""The Catch contract, held to every call of a workflow: whatever it raises or returns, the emulator answers
with something HTTP can carry, and says in the log what went wrong."""
from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from typing import Any, Callable, cast

from localcatch.log import MAX_WORD_CHARS, location, log_block, stderr_captured
from shared.pipeline.answer import CatchResponse, catch_response
from shared.pipeline.masking import secret_values
from shared.pipeline.run import PRINT_TRACEBACKS
from shared.untrusted.redact import remove_secrets

# `_request`, what Catch hands a workflow: the body's fields and the headers in one dict.
CatchRequest = dict[str, Any]
# `workflow(_request, settings)`, the function a workflow file defines; what it returns is checked, not trusted.
WorkflowFunction = Callable[[CatchRequest, dict[str, Any]], object]

HEADER_NAME = re.compile(r"[-!#$%&'*+.^_`|~0-9A-Za-z]+")  # an HTTP token
BEYOND_LATIN_1 = re.compile(r"[^\x00-\xff]")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # of ASCII, but for tab


def contract_breach(result: object) -> str | None:
    """How a workflow's return value breaks the Catch contract, or None when it keeps it in a form HTTP can
    carry: a final status code (no 1xx), header names that are tokens and values of latin-1 without a
    control character but tab (a line break would forge headers), and a body that encodes as UTF-8."""
    if not isinstance(result, dict):
        return "The workflow returned {}, not a dict.".format(type(result).__name__)
    code = result.get("status_code")
    if not isinstance(code, int) or isinstance(code, bool) or not 200 <= code <= 599:
        return "The workflow's status_code is not an int from 200 to 599."
    body = result.get("body")
    if not isinstance(body, str):
        return "The workflow's body is not a str."
    headers = result.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(text, str) for pair in headers.items() for text in pair):
        return "The workflow's headers are not a dict of str."
    for name, value in headers.items():
        if not HEADER_NAME.fullmatch(name):
            return "The workflow's header name {} is not an HTTP token.".format(json.dumps(name[:MAX_WORD_CHARS]))
        if BEYOND_LATIN_1.search(value):
            return "The workflow's header {} holds a character beyond latin-1.".format(name)
        if CONTROL.search(value):
            return "The workflow's header {} holds a control character.".format(name)
    try:
        body.encode("utf-8")
    except UnicodeEncodeError:
        return "The workflow's body does not encode as UTF-8."
    return None


@contextlib.contextmanager
def printing_tracebacks() -> Iterator[None]:
    """Meanwhile, the pipeline of the workflows called prints the whole traceback of an unexpected exception."""
    before = os.environ.get(PRINT_TRACEBACKS)
    os.environ[PRINT_TRACEBACKS] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ[PRINT_TRACEBACKS]
        else:
            os.environ[PRINT_TRACEBACKS] = before


def masked(text: str, settings: dict[str, Any]) -> str:
    """`text` without the value of any secret setting, nor any secret such a setting lists, as the workflows
    redact their answers: only the settings' names are ever printed."""
    return remove_secrets(text, secret_values(settings))


def call_workflow(workflow: WorkflowFunction, request: CatchRequest, settings: dict[str, Any]
                  ) -> tuple[CatchResponse, str]:
    """Call the workflow and hold its return value to the Catch contract; never raises. What the workflow
    writes on stderr (the pipeline's traceback) is logged as one block once it returns. Returns the response
    and, for the log, what went wrong ("" when nothing did): where the workflow raised, never the message,
    which may hold a secret, or how its return value breaks the contract."""
    raised: Exception | None = None
    with stderr_captured() as written:
        try:
            result = workflow(request, settings)
        except Exception as error:  # a broken workflow must not break the server
            raised = error
    if written.getvalue():
        log_block(masked(written.getvalue(), settings))
    if raised is not None:
        name = type(raised).__name__
        note = "the workflow raised {} at {}".format(name, location(raised))
        return catch_response("failed", 500, "The workflow raised {}.".format(name)), note
    breach = contract_breach(result)
    if breach:
        return catch_response("failed", 500, breach), breach
    return cast(CatchResponse, result), ""  # a dict that keeps the contract, as contract_breach found
