"""`catch.py serve` end to end: built workflows served by a real subprocess on 127.0.0.1, driven by
`catch.py send` and by plain HTTP, against the fake HrFlow and Mandrill servers."""
import json
import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import product

import pytest

from catch_process import answer_of, built, clean_env, cli, post
from conftest import PROFILE_KEY, SOURCE_KEY, WEBHOOK_SECRET, recipients
from localcatch.fakes import unused_port
from localcatch.request_body import FORM
from localcatch.samples import ENCODINGS, sample_event, wire_request
from localcatch.server import MAX_BODY_BYTES
from shared.wire.catalogue import CATALOGUE
from shared.wire.signature import SCHEMES

pytestmark = pytest.mark.slow
COMBINATIONS = list(product(SCHEMES, ENCODINGS))
SECRET_SETTINGS = ("HRFLOW_WEBHOOK_SECRET", "HRFLOW_API_SECRET", "MANDRILL_API_TOKEN", "HRFLOW_API_USER")


def test_each_event_type_is_acted_on_by_its_built_workflow_swapped_into_the_served_file(
        dist, serve, tmp_path, settings, fake_mandrill):
    served_file = tmp_path / "served.py"
    served_file.write_bytes(built(dist, "profile.parsing.success").read_bytes())
    server = serve(served_file, settings)
    stamp = served_file.stat().st_mtime_ns
    for number, event_type in enumerate(sorted(CATALOGUE)):
        scratch = tmp_path / "next.py"
        scratch.write_bytes(built(dist, event_type).read_bytes())
        stamp += 10**9  # a new modification time, whatever the clock's resolution
        os.utime(scratch, ns=(stamp, stamp))
        os.replace(scratch, served_file)
        scheme, encoding = COMBINATIONS[number % len(COMBINATIONS)]
        result = server.send(event_type, "--scheme", scheme, "--encoding", encoding)
        status_code, body = answer_of(result)
        assert (result.returncode, status_code, body["status"], body["event"]) == (0, 200, "ok", event_type), body
        assert len(fake_mandrill.sent) == number + 1
        if event_type == "profile.parsing.success":
            expected = "ada.lovelace@example.com"
        else:
            expected = settings["ALERT_EMAIL" if event_type.endswith(".error") else "NOTIFY_EMAIL"]
        assert recipients(fake_mandrill.sent[-1]) == [expected]


def test_every_scheme_and_encoding_is_verified_and_acted_on(dist, serve, settings, fake_hrflow, fake_mandrill):
    server = serve(built(dist, "profile.parsing.error"), settings)
    for scheme, encoding in COMBINATIONS:
        message = "parser crashed ({}, {})".format(scheme, encoding)
        result = server.send("profile.parsing.error", "--scheme", scheme, "--encoding", encoding, "--message", message)
        status_code, body = answer_of(result)
        assert (result.returncode, status_code, body["status"]) == (0, 200, "ok"), body
        assert message in fake_mandrill.sent[-1]["message"]["text"]
    assert len(fake_mandrill.sent) == len(COMBINATIONS)
    assert fake_hrflow.request_count == 0  # an alert does not fetch the object


def test_settings_persist_between_requests_so_a_redelivery_is_skipped(dist, serve, settings, fake_mandrill):
    server = serve(built(dist, "profile.parsing.success"), settings)
    first, second = server.send("profile.parsing.success"), server.send("profile.parsing.success")
    assert answer_of(first)[1]["status"] == "ok"
    assert answer_of(second)[1] == {"status": "skipped", "reason": "duplicate", "event": "profile.parsing.success",
                                    "key": PROFILE_KEY}
    assert len(fake_mandrill.sent) == 1
    line = "catch: POST profile.parsing.success 200 "
    assert server.wait_for_output(line, times=2).count(line) == 2


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_forged_request_gets_401_and_reaches_no_fake(dist, serve, settings, fake_hrflow, fake_mandrill, scheme):
    server = serve(built(dist, "profile.parsing.success"), settings)
    result = server.send("profile.parsing.success", "--secret", "not-the-secret", "--scheme", scheme)
    status_code, body = answer_of(result)
    assert (result.returncode, status_code, body["status"]) == (1, 401, "rejected")
    assert fake_hrflow.request_count == 0 and fake_mandrill.request_count == 0


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_stops_cleanly_on_a_signal(throwaway, serve, signum):
    server = serve(throwaway, {})
    assert post(server.url, b'{"type": "echo"}', {"Content-Type": "application/json"})[0] == 200
    started = time.monotonic()
    assert server.stop(signum) == 0
    assert time.monotonic() - started < 5
    assert server.output().rstrip().endswith("catch: stopped")


def test_methods_other_than_post_get_405(throwaway, serve):
    server = serve(throwaway, {})
    status_code, headers, body = post(server.url, None, {}, method="GET")
    assert (status_code, headers["Allow"], json.loads(body)["status"]) == (405, "POST", "rejected")


def test_a_body_over_the_cap_gets_413_without_being_read(throwaway, serve):
    server = serve(throwaway, {})
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall("POST / HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n".format(
            MAX_BODY_BYTES + 1).encode())
        assert connection.recv(1024).startswith(b"HTTP/1.0 413 ")


def test_50_concurrent_requests_are_all_answered_correctly(dist, serve, settings, fake_mandrill):
    server = serve(built(dist, "profile.parsing.error"), settings)

    def deliver(number: int) -> "tuple[int, dict]":
        event = sample_event("profile.parsing.error", PROFILE_KEY, SOURCE_KEY, "failure #{}.".format(number))
        scheme, encoding = COMBINATIONS[number % len(COMBINATIONS)]
        status_code, _, text = post(server.url, *wire_request(event, WEBHOOK_SECRET, scheme, encoding))
        return status_code, json.loads(text)

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(deliver, range(50)))
    assert all(status_code == 200 and body["status"] == "ok" for status_code, body in answers), answers
    texts = [sent["message"]["text"] for sent in fake_mandrill.sent]
    assert all(sum("failure #{}.".format(number) in text for text in texts) == 1 for number in range(50))


def test_concurrent_executions_take_turns_on_the_persistent_settings(throwaway, serve):
    server = serve(throwaway, {})
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: post(server.url, b"type=count", {"Content-Type": FORM}), range(20)))
    assert sorted(int(body) for _, _, body in answers) == list(range(1, 21))


def test_serve_never_prints_a_settings_value_and_lets_the_environment_override_the_file(
        dist, serve, settings, fake_mandrill):
    env = clean_env(CATCH_SETTING_HRFLOW_WEBHOOK_SECRET=WEBHOOK_SECRET)
    server = serve(built(dist, "profile.parsing.success"), dict(settings, HRFLOW_WEBHOOK_SECRET="file-secret-9d2c"),
                   env=env)
    assert answer_of(server.send("profile.parsing.success", "--secret", "file-secret-9d2c"))[0] == 401
    assert answer_of(server.send("profile.parsing.success"))[0] == 200
    assert server.stop() == 0
    output = server.output()
    assert "settings loaded: " + ", ".join(sorted(settings)) in output
    for value in [settings[name] for name in SECRET_SETTINGS] + ["file-secret-9d2c"]:
        assert value not in output


def test_serve_refuses_to_start_on_a_file_without_a_workflow(tmp_path):
    path = tmp_path / "empty.py"
    path.write_text("EVENT_TYPE = 'profile.parsing.success'\n")
    result = cli("serve", path, "--port", unused_port())
    assert result.returncode == 2 and "defines no workflow function" in result.stderr
