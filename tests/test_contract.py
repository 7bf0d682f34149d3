"""The Catch contract held to a served workflow: whatever it raises or returns, `catch.py serve` answers with what
HTTP can carry, keeps serving, and logs what went wrong without the exception's message."""
from __future__ import annotations

import json

import pytest

from catch_process import exchange, http_post, post, request_lines, status_of
from conftest import WEBHOOK_SECRET
from localcatch.request_body import FORM, JSON

pytestmark = pytest.mark.slow
UNCARRIABLE = [  # what a workflow may return that HTTP cannot carry, and what the 500 says of it
    ({"status_code": 100}, "status_code is not an int from 200 to 599"),
    ({"status_code": 199}, "status_code is not an int from 200 to 599"),
    ({"status_code": 600}, "status_code is not an int from 200 to 599"),
    ({"body": "lone \ud800 surrogate"}, "body does not encode as UTF-8"),
    ({"headers": {"X-Injected": "a\r\nSet-Cookie: session=forged"}}, "header X-Injected holds a control character"),
    ({"headers": {"X-Line": "a\nb"}}, "header X-Line holds a control character"),
    ({"headers": {"X-Nul": "a\u0000b"}}, "header X-Nul holds a control character"),
    ({"headers": {"X-Del": "a\u007fb"}}, "header X-Del holds a control character"),
    ({"headers": {"X-Euro": "5 \u20ac"}}, "header X-Euro holds a character beyond latin-1"),
    ({"headers": {"X-Surrogate": "\ud800"}}, "header X-Surrogate holds a character beyond latin-1"),
    ({"headers": {"X-A\r\nSet-Cookie": "b"}}, 'header name "X-A\\r\\nSet-Cookie" is not an HTTP token'),
    ({"headers": {"X A": "b"}}, 'header name "X A" is not an HTTP token'),
    ({"headers": {"X:A": "b"}}, 'header name "X:A" is not an HTTP token'),
    ({"headers": {"": "b"}}, 'header name "" is not an HTTP token'),
    ({"headers": {"Caf\u00e9": "b"}}, 'header name "Caf\\u00e9" is not an HTTP token'),
]


def test_a_workflow_that_raises_gets_500_and_the_server_keeps_serving(throwaway, serve):
    server = serve(throwaway, {"HRFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET})
    status_code, _, body = post(server.url, b"type=raise", {"Content-Type": FORM})
    assert status_code == 500
    assert json.loads(body) == {"status": "failed", "reason": "The workflow raised ValueError."}
    assert post(server.url, b"type=echo", {"Content-Type": FORM})[0] == 200
    output = server.wait_for_output("the workflow raised ValueError at ")
    assert WEBHOOK_SECRET not in output


@pytest.mark.parametrize("script, says", [("not-a-dict", "returned str, not a dict"), ("text-status", "status_code")])
def test_a_return_value_that_breaks_the_contract_gets_500_saying_so(throwaway, serve, script, says):
    server = serve(throwaway, {})
    status_code, _, body = post(server.url, json.dumps({"type": script}).encode(), {"Content-Type": JSON})
    assert status_code == 500
    assert json.loads(body)["status"] == "failed" and says in json.loads(body)["reason"]


def test_a_return_value_http_cannot_carry_gets_500_and_one_line_saying_what_is_wrong(serve, scripted):
    server = serve(scripted, {})
    for change, says in UNCARRIABLE:
        result = dict({"status_code": 200, "body": "{}", "headers": {"X-Ok": "caf\u00e9\tok"}}, **change)
        answer = exchange(server, http_post(json.dumps({"type": "return", "result": result}).encode()))
        assert status_of(answer) == 500, (change, answer[:300])
        body = json.loads(answer.split(b"\r\n\r\n", 1)[1])
        assert body["status"] == "failed" and says in body["reason"], (change, body)
        assert b"session=forged" not in answer.split(b"\r\n\r\n", 1)[0]
    served = {"status_code": 599, "body": "\u00e9", "headers": {"X-Ok": "caf\u00e9\tok", "Tok!#$%&'*+.^_`|~": ""}}
    answer = exchange(server, http_post(json.dumps({"type": "return", "result": served}).encode()))
    head, body = answer.split(b"\r\n\r\n", 1)
    assert status_of(answer) == 599 and b"\r\nX-Ok: caf\xe9\tok\r\n" in head and body == "\u00e9".encode()
    assert server.stop() == 0
    output = server.output()
    assert "Traceback" not in output
    lines = request_lines(server)
    assert len(lines) == len(UNCARRIABLE) + 1, lines
    for line, (change, says) in zip(lines, UNCARRIABLE):
        assert line.startswith("catch: POST return 500 ") and line.isascii() and says in line, (change, line)
