"""The Catch contract, held to every call of a workflow: whatever it raises or returns, the emulator answers
with something HTTP can carry, and says in the log what went wrong."""
from __future__ import annotations

import json
import re
from typing import Any, Callable, cast

from localcatch.log import MAX_WORD_CHARS, location
from shared.pipeline.answer import CatchResponse, catch_response

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


def call_workflow(workflow: WorkflowFunction, request: CatchRequest, settings: dict[str, Any]
                  ) -> tuple[CatchResponse, str]:
    """Call the workflow and hold its return value to the Catch contract; never raises. Returns the response
    and, for the log, what went wrong ("" when nothing did): where the workflow raised, never the message,
    which may hold a secret, or how its return value breaks the contract."""
    try:
        result = workflow(request, settings)
    except Exception as error:  # a broken workflow must not break the server
        name = type(error).__name__
        note = "the workflow raised {} at {}".format(name, location(error))
        return catch_response("failed", 500, "The workflow raised {}.".format(name)), note
    breach = contract_breach(result)
    if breach:
        return catch_response("failed", 500, breach), breach
    return cast(CatchResponse, result), ""  # a dict that keeps the contract, as contract_breach found
