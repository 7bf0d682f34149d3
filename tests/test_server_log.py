"""The one line `catch.py serve` logs for each request, whoever answers it: what a workflow prints folded in, and
nothing a client or a workflow sends able to forge a line or drive a terminal. The log is read once the server
has stopped, so that no line can still be on its way."""
from __future__ import annotations

import json
import os

import pytest

from catch_process import answer_of, built, exchange, http_post, request_lines, status_of

pytestmark = pytest.mark.slow
ESC = "\x1b"
FORGED_LINE = "catch: POST profile.parsing.success 200 1.0 ms"
FORGED_TYPE = "echo\n" + ESC + "[2K\r" + FORGED_LINE + ESC + "[0m"  # a new line, erased, then a fake one


def test_a_built_workflows_own_log_line_is_folded_into_the_one_line_of_its_request(
        dist, serve, settings, fake_mandrill):
    server = serve(built(dist, "profile.parsing.success"), settings)
    assert answer_of(server.send("profile.parsing.success"))[0] == 200
    assert answer_of(server.send("profile.parsing.success", "--secret", "not-the-secret"))[0] == 401
    assert server.stop() == 0
    lines = server.output().splitlines()
    assert len(lines) == 6 and lines[0].startswith("catch: settings loaded: "), lines
    assert lines[4:] == ["catch: stopping: no execution under way", "catch: stopped"]
    assert lines[2].startswith("catch: POST profile.parsing.success 200 ")
    assert " | printed: workflow=profile.parsing.success event=profile.parsing.success " in lines[2]
    assert lines[3].startswith("catch: POST profile.parsing.success 401 ")
    assert " | printed: workflow=profile.parsing.success event=- scheme=- sig=64-hex-digits code=401 " in lines[3]


def test_an_event_type_holding_a_line_break_and_terminal_codes_logs_one_ascii_line_and_forges_none(serve, scripted):
    server = serve(scripted, {})
    assert status_of(exchange(server, http_post(json.dumps({"type": FORGED_TYPE}).encode()))) == 200
    assert server.stop() == 0
    (line,) = request_lines(server)
    assert line.startswith("catch: POST ") and line.isascii() and ESC not in server.output()
    assert '"echo\\n\\u001b[2K\\r' + FORGED_LINE + '\\u001b[0m"' in line  # the escapes shown, not obeyed
    assert not any(line.startswith(FORGED_LINE) for line in server.output().splitlines())


def test_what_a_workflow_prints_is_folded_escaped_into_the_request_line(serve, scripted):
    server = serve(scripted, {})
    body = json.dumps({"type": "print", "message": "two\n" + FORGED_LINE + ESC + "[0m  and  é"}).encode()
    assert status_of(exchange(server, http_post(body))) == 200
    assert status_of(exchange(server, http_post(json.dumps({"type": "print", "message": "x" * 5000}).encode()))) == 200
    assert server.stop() == 0
    line, long_line = request_lines(server)
    assert line.startswith("catch: POST print 200 ") and line.isascii()
    assert line.endswith(" ms | printed: the message is two " + FORGED_LINE + "\\x1b[0m and \\xe9")
    assert long_line.endswith("x...") and len(long_line.split(" | ", 1)[1]) == 1000


def test_a_workflow_file_that_no_longer_loads_gets_500_and_one_line_saying_why(serve, scripted):
    server = serve(scripted, {})
    path = scripted
    stamp = path.stat().st_mtime_ns + 10**9  # a new modification time, whatever the clock's resolution
    path.write_text("def workflow(:\n")
    os.utime(path, ns=(stamp, stamp))
    assert status_of(exchange(server, http_post(b'{"type": "echo"}'))) == 500
    assert server.stop() == 0
    (line,) = request_lines(server)
    assert line.startswith("catch: POST echo 500 ") and " | The workflow file cannot be loaded: SyntaxError at " in line


def test_every_request_logs_exactly_one_line_whoever_answers_it(serve, scripted):
    server = serve(scripted, {})
    requests = {
        "accepted": (http_post(b'{"type": "echo"}'), 200),
        "rejected by the workflow": (http_post(b'{"type": "reject"}'), 401),
        "the workflow raised": (http_post(b'{"type": "raise"}'), 500),
        "the workflow printed": (http_post(b'{"type": "print", "message": "hello"}'), 200),
        "not POST": (b"GET / HTTP/1.0\r\n\r\n", 405),
        "no Content-Length": (b"POST / HTTP/1.0\r\nContent-Type: application/json\r\n\r\n", 411),
        "too long": (b"POST / HTTP/1.0\r\nContent-Length: 99999999999\r\n\r\n", 413),
        "not a known content type": (http_post(b"hello", "text/plain"), 415),
        "not JSON": (http_post(b"{not json"), 400),
        "not HTTP": (b"four words, not three HTTP/1.0\r\n\r\n", 400),
        "an unknown method": (b"BR" + ESC.encode() + b"[31mEW / HTTP/1.0\r\n\r\n", 501),
    }
    for name, (data, status_code) in requests.items():
        assert status_of(exchange(server, data)) == status_code, name
    assert server.stop() == 0
    lines = request_lines(server)
    assert len(lines) == len(requests), "\n".join(lines)
    for line, (_, status_code) in zip(lines, requests.values()):
        assert line.startswith("catch: ") and " {} ".format(status_code) in line and line.isascii(), line
    assert "the workflow raised ValueError at " in lines[2] and "printed: the message is hello" in lines[3]
    assert lines[-1].startswith('catch: "BR\\u001b[31mEW" - 501 ')
