"""`catch.py serve` against clients that misbehave, on a real subprocess on 127.0.0.1: what reaches its log,
and what each limit does. Every assertion on the log is made once the server has stopped (or, for one request,
once it has closed the connection), so that no line can still be on its way."""
import json
import socket

import pytest
from test_catch import Served, clean_env

# A throwaway workflow whose behaviour the request's `type` picks.
WORKFLOW = '''
import json

def workflow(_request, settings):
    kind = _request.get("type")
    if kind == "print":  # whatever the client sent, line breaks and terminal codes too
        print("the message is", _request.get("message"))
    if kind == "raise":
        raise ValueError("boom")
    if kind == "reject":
        return {"status_code": 401, "body": "{}", "headers": {}}
    return {"status_code": 200, "body": json.dumps(sorted(_request)), "headers": {"Content-Type": "application/json"}}
'''
LIFECYCLE = ("catch: settings loaded: ", "catch: serving ", "catch: stopped")
ESC = "\x1b"
FORGED_LINE = "catch: POST profile.parsing.success 200 1.0 ms"
FORGED_TYPE = "echo\n" + ESC + "[2K\r" + FORGED_LINE + ESC + "[0m"  # a new line, erased, then a fake one


@pytest.fixture
def serve(tmp_path):
    """Start `catch.py serve` on WORKFLOW with the given options; every server still running is killed afterwards."""
    servers = []

    def start(*options) -> Served:
        path = tmp_path / "workflow.py"
        path.write_text(WORKFLOW)
        servers.append(Served(tmp_path, path, {}, clean_env(), options))
        servers[-1].wait_until_listening()
        return servers[-1]

    yield start
    for server in servers:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def exchange(server: Served, data: bytes) -> bytes:
    """Send raw bytes and read until the server closes the connection, which it does after logging the line."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        connection.sendall(data)
        answer = b""
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                return answer
            answer += chunk


def http_post(body: bytes, content_type: str = "application/json") -> bytes:
    """A complete HTTP/1.0 POST."""
    head = "POST / HTTP/1.0\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n".format(content_type, len(body))
    return head.encode("latin-1") + body


def status_of(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.0 "), answer[:200]
    return int(answer[9:12])


def request_lines(server: Served) -> "list[str]":
    """The server's output lines, but for those about starting and stopping; the server must have stopped."""
    assert server.process.poll() is not None, "stop the server first: a line may still be on its way"
    return [line for line in server.output().splitlines() if not line.startswith(LIFECYCLE)]


def test_an_event_type_holding_a_line_break_and_terminal_codes_logs_one_ascii_line_and_forges_none(serve):
    server = serve()
    assert status_of(exchange(server, http_post(json.dumps({"type": FORGED_TYPE}).encode()))) == 200
    assert server.stop() == 0
    (line,) = request_lines(server)
    assert line.startswith("catch: POST ") and line.isascii() and ESC not in server.output()
    assert '"echo\\n\\u001b[2K\\r' + FORGED_LINE + '\\u001b[0m"' in line  # the escapes shown, not obeyed
    assert not any(line.startswith(FORGED_LINE) for line in server.output().splitlines())


def test_what_a_workflow_prints_is_folded_escaped_into_the_request_line(serve):
    server = serve()
    body = json.dumps({"type": "print", "message": "two\n" + FORGED_LINE + ESC + "[0m  and  é"}).encode()
    assert status_of(exchange(server, http_post(body))) == 200
    assert server.stop() == 0
    (line,) = request_lines(server)
    assert line.startswith("catch: POST print 200 ") and line.isascii()
    assert line.endswith(" ms | printed: the message is two " + FORGED_LINE + "\\x1b[0m and \\xe9")


def test_every_request_logs_exactly_one_line_whoever_answers_it(serve):
    server = serve()
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
