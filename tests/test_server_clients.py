"""`catch.py serve` against clients that misbehave, on a real subprocess on 127.0.0.1: stalled, too slow, gone at
any point, more than it serves at once, or still there when it is told to stop. The log is read once the server
has stopped, so that no line can still be on its way; no test times the server, but one checks lower bounds that
only the limits explain."""
from __future__ import annotations

import json
import signal
import socket
import struct
import time

import pytest

from catch_process import Served, connect, exchange, http_post, read_all, request_lines, status_of

pytestmark = pytest.mark.slow
HALF_A_REQUEST = b"POST / HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"type\""


def reset(connection: socket.socket) -> None:
    """Close with a TCP reset, as a client that crashes does, rather than an orderly FIN."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


def wait_for(path, deadline_seconds: float = 15) -> None:
    """Until `path` exists: the workflow creates it once it runs."""
    deadline = time.monotonic() + deadline_seconds
    while not path.exists():
        assert time.monotonic() < deadline, "the workflow did not start"
        time.sleep(0.01)


def one_of(lines: list[str], text: str) -> str:
    """The one line holding `text`."""
    found = [line for line in lines if text in line]
    assert len(found) == 1, (text, lines)
    return found[0]


def wait_until_closed(server: Served) -> None:
    """Until the server no longer listens: it has stopped accepting, and now waits for its handlers."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
        except ConnectionError:  # refused, or reset while the listening socket closed
            return
        time.sleep(0.01)
    pytest.fail("the server still listens")


def test_a_stalled_client_does_not_keep_others_waiting(serve, scripted):
    server = serve(scripted, {}, options=["--timeout", "30"])
    silent, half = connect(server), connect(server)
    half.sendall(HALF_A_REQUEST)
    assert status_of(exchange(server, http_post(b'{"type": "echo"}'))) == 200
    silent.close()  # nothing sent: a probe, which logs nothing
    half.close()  # half a body: a client gone
    assert server.stop() == 0
    lines = request_lines(server)
    assert lines[0].startswith("catch: POST echo 200 ")
    assert lines[1:] == [lines[1]] and lines[1].endswith(" | the client went away while sending the body"), lines


def test_a_client_too_slow_to_send_its_request_is_dropped_after_the_timeout(serve, scripted):
    server = serve(scripted, {}, options=["--timeout", "1"])
    silent, half = connect(server), connect(server)
    half.sendall(HALF_A_REQUEST)
    assert silent.recv(1) == b"" and half.recv(1) == b""  # dropped without an answer
    with connect(server) as trickling:  # a byte at a time, never waiting long: a timeout per read would not cut it
        trickling.settimeout(0.1)
        answer = None
        for byte in http_post(b'{"type": "echo"}' + b" " * 200):
            try:
                trickling.sendall(bytes([byte]))
                answer = trickling.recv(1)
                break
            except socket.timeout:
                continue
            except ConnectionError:
                answer = b""
                break
        assert answer == b""
    assert status_of(exchange(server, http_post(b'{"type": "echo"}'))) == 200
    assert server.stop() == 0
    lines = request_lines(server)
    assert len(lines) == 4 and lines[3].startswith("catch: POST echo 200 "), lines
    assert all(line.endswith(" | dropped: the request took over 1 s to arrive") for line in lines[:3]), lines


def test_a_client_that_goes_away_at_any_point_logs_one_line_and_no_traceback(serve, scripted, tmp_path):
    server = serve(scripted, {})
    with connect(server) as connection:  # in the body, with a FIN
        connection.sendall(HALF_A_REQUEST)
    connection = connect(server)  # in the headers, with a reset
    connection.sendall(b"POST / HTTP/1.0\r\nContent-Ty")
    reset(connection)
    started, go = tmp_path / "started", tmp_path / "go"
    connection = connect(server)  # once the workflow runs, so before its answer
    connection.sendall(http_post(json.dumps({"type": "wait", "started": str(started), "go": str(go)}).encode()))
    wait_for(started)
    reset(connection)
    go.touch()
    with connect(server) as connection:  # with its request sent, not reading the answer
        connection.sendall(http_post(b'{"type": "echo"}'))
    assert status_of(exchange(server, http_post(b'{"type": "echo"}'))) == 200
    assert server.stop() == 0
    assert "Traceback" not in server.output()
    lines = request_lines(server)  # in the order the server finished with them, which may not be ours
    assert len(lines) == 5, lines
    assert one_of(lines, " | the client went away while sending the body").startswith("catch: POST - - ")
    one_of(lines, " | the client went away while sending the request (ConnectionResetError)")
    assert " | the client went away before the answer was sent (" in one_of(lines, "catch: POST wait 200 ")
    assert sum(line.startswith("catch: POST echo 200 ") for line in lines) == 2, lines  # the first may be cut too


def test_past_the_bound_a_connection_waits_to_be_accepted_until_a_slot_is_free(serve, scripted):
    server = serve(scripted, {}, options=["--max-concurrent", "2", "--timeout", "1"])
    started = time.monotonic()
    stalled = [connect(server) for _ in range(3)]  # the kernel queues connections, and they are accepted in order
    answer = exchange(server, http_post(b'{"type": "echo"}'))
    answered = time.monotonic() - started
    assert all(connection.recv(1) == b"" for connection in stalled)
    third_cut = time.monotonic() - started
    assert server.stop() == 0
    assert status_of(answer) == 200
    # Lower bounds, which a slow machine only makes easier: the request could be accepted only once the first
    # two stalled clients had been dropped, a timeout after their own acceptance; the third stalled client,
    # accepted then, was dropped a timeout later still. With no bound, each would have taken under 1 s.
    assert answered >= 1 and third_cut >= 2
    lines = request_lines(server)
    assert len(lines) == 4 and lines.index(one_of(lines, "catch: POST echo 200 ")) >= 2, lines


def test_a_signal_stops_the_server_at_once_though_stalled_clients_hold_every_slot(serve, scripted):
    server = serve(scripted, {}, options=["--max-concurrent", "2", "--timeout", "60"])
    stalled = [connect(server) for _ in range(3)]
    for connection in stalled:
        connection.sendall(HALF_A_REQUEST)
    time.sleep(0.5)  # most likely the first two are accepted by now; the stop must be prompt either way
    started = time.monotonic()
    assert server.stop() == 0  # fails if it takes over 10 s, where waiting out the timeout would take 60 s
    assert time.monotonic() - started < 10
    output = server.output()
    assert output.rstrip().endswith("catch: stopped") and "Traceback" not in output
    lines = request_lines(server)
    assert len(lines) <= 2 and all(line.endswith(" | dropped: the server is stopping") for line in lines), lines


def test_a_second_signal_stops_the_server_without_waiting_for_a_stuck_execution(serve, scripted, tmp_path):
    server, started = serve(scripted, {}), tmp_path / "started"
    request = json.dumps({"type": "wait", "started": str(started), "go": str(tmp_path / "never")}).encode()
    with connect(server) as connection:
        connection.sendall(http_post(request))
        wait_for(started)
        server.process.send_signal(signal.SIGTERM)
        wait_until_closed(server)
        assert server.stop() == 1
    assert server.output().rstrip().endswith("catch: stopped without waiting for the executions under way")


def test_a_body_over_the_limit_gets_413_unread_and_one_at_the_limit_is_served(serve, scripted):
    server = serve(scripted, {}, options=["--max-body-bytes", "100"])
    with connect(server) as connection:  # the body never comes: an answer proves it was not waited for
        connection.sendall(b"POST / HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 101\r\n\r\n")
        answer = read_all(connection)
    assert status_of(answer) == 413 and b'"reason": "The body is over 100 bytes."' in answer
    assert status_of(exchange(server, http_post(b'{"type": "echo"}'.ljust(100)))) == 200


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_says_it_finishes_the_executions_under_way_then_stops_without_a_traceback(
        serve, scripted, tmp_path, signum):
    server = serve(scripted, {})
    started, go = tmp_path / "started", tmp_path / "go"
    request = json.dumps({"type": "wait", "started": str(started), "go": str(go)}).encode()
    with connect(server) as connection:
        connection.sendall(http_post(request))
        wait_for(started)
        server.process.send_signal(signum)
        server.wait_for_output("catch: stopping")
        wait_until_closed(server)
        go.touch()
        assert status_of(read_all(connection)) == 200
    assert server.process.wait(timeout=10) == 0
    output = server.output()
    assert "catch: stopping: finishing the 1 execution under way (Ctrl-C again stops without waiting)\n" in output
    assert request_lines(server)[0].startswith("catch: POST wait 200 ")
    assert output.rstrip().endswith("catch: stopped") and "Traceback" not in output


def test_ctrl_c_with_no_execution_under_way_says_so(serve, scripted):
    server = serve(scripted, {})
    assert server.stop(signal.SIGINT) == 0
    assert "catch: stopping: no execution under way\n" in server.output()
