"""`catch.py serve` end to end: built workflows served by a real subprocess on 127.0.0.1, driven by
`catch.py send` and by plain HTTP, against the fake HrFlow and Mandrill servers."""
from __future__ import annotations

import json
import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import product

import pytest

from catch_process import (
    answer_of,
    boom_source,
    built,
    built_note,
    clean_env,
    cli,
    post,
    source_tree,
    traceback_block,
)
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

    def deliver(number: int) -> tuple[int, dict]:
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


def test_serve_builds_a_source_again_when_it_or_a_shared_module_it_inlines_changes(serve, tmp_path):
    workflow, greeting = source_tree(tmp_path / "project")
    server = serve(workflow, {})
    assert post(server.url, b"{}", {"Content-Type": "application/json"})[2] == "hello"
    edits = ((greeting, "'hello'", "'hi'"), (workflow, "GREETING, 'headers'", "GREETING + '!', 'headers'"))
    for path, old, new in edits:
        stamp = path.stat().st_mtime_ns + 10**9  # a new modification time, whatever the clock's resolution
        path.write_text(path.read_text().replace(old, new))
        os.utime(path, ns=(stamp, stamp))
    assert post(server.url, b"{}", {"Content-Type": "application/json"})[2] == "hi!"
    assert server.stop() == 0
    output = server.output()
    assert output.startswith(built_note(str(workflow), "dist/greet.py")), output
    assert "catch: shared/greeting.py and workflows/greet.py changed: built workflows/greet.py again\n" in output


def test_serve_prints_the_whole_traceback_of_an_unexpected_exception_before_the_requests_line(serve, tmp_path):
    server = serve(boom_source(tmp_path / "project"), {"HRFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET})
    assert answer_of(server.send("profile.parsing.success"))[0] == 500
    assert server.stop() == 0
    output = server.output()
    block = traceback_block(output)
    assert block[1] == "  Traceback (most recent call last):", block
    assert block[-1] == "  ValueError: the action broke, holding [redacted]" and WEBHOOK_SECRET not in output, block
    after = output.split(block[-1], 1)[1].splitlines()[1]
    assert after.startswith("catch: POST profile.parsing.success 500 ") and " error=ValueError at=explode:" in after


def rewrite(path, settings: dict) -> None:
    """Write `settings` to the file at `path`, with a modification time of its own, whatever the clock's resolution."""
    stamp = path.stat().st_mtime_ns + 10**9
    path.write_text(json.dumps(settings))
    os.utime(path, ns=(stamp, stamp))


def test_serve_prints_a_misnamed_setting_and_reloads_the_settings_file_once_it_is_fixed(
        dist, serve, settings, fake_mandrill):
    server = serve(built(dist, "profile.parsing.error"), dict(settings, DRYRUN="true"))
    assert answer_of(server.send("profile.parsing.error"))[0] == 500
    rewrite(server.settings_file, dict(settings, DRY_RUN="true"))
    status_code, body = answer_of(server.send("profile.parsing.error"))
    assert (status_code, body["status"]) == (200, "ok") and fake_mandrill.request_count == 0  # a dry run
    assert server.stop() == 0
    lines = server.output().splitlines()
    assert lines[1] == "catch: settings: Setting DRYRUN is not one this workflow reads; did you mean DRY_RUN?"
    reloaded = [line for line in lines if line.startswith("catch: settings reloaded")]
    assert reloaded == ["catch: settings reloaded from {}: {}".format(
        server.settings_file, ", ".join(sorted(dict(settings, DRY_RUN="true"))))], lines
    assert sum("did you mean" in line for line in lines) == 2  # at start, and the 500's own line


def test_a_settings_reload_keeps_what_the_workflow_wrote_so_a_redelivery_is_still_a_duplicate(
        dist, serve, settings, fake_mandrill):
    server = serve(built(dist, "profile.parsing.success"), settings)
    assert answer_of(server.send("profile.parsing.success"))[1]["status"] == "ok"
    rewrite(server.settings_file, dict(settings, COMPANY_NAME="Acme"))
    assert answer_of(server.send("profile.parsing.success"))[1]["reason"] == "duplicate"
    assert len(fake_mandrill.sent) == 1
    assert server.stop() == 0
    assert "catch: settings reloaded from {}: {}; kept _CATCH_DELIVERIES, which the workflow wrote\n".format(
        server.settings_file, ", ".join(sorted(dict(settings, COMPANY_NAME="Acme")))) in server.output()


def test_a_settings_file_that_no_longer_reads_gets_500_until_it_is_fixed(throwaway, serve, settings):
    server = serve(throwaway, {"count": 0})
    server.settings_file.write_text("{not json")
    os.utime(server.settings_file, ns=(1, 1))
    status_code, _, body = post(server.url, b"type=count", {"Content-Type": FORM})
    assert status_code == 500 and json.loads(body)["reason"].startswith(
        "The settings cannot be loaded again: cannot read the settings file {}: ".format(server.settings_file))
    rewrite(server.settings_file, {"count": 41})
    assert post(server.url, b"type=count", {"Content-Type": FORM})[2] == "42"
