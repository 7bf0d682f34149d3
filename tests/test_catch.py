"""catch.py end to end: built workflows served by a real `catch.py serve` subprocess on 127.0.0.1,
driven by `catch.py send` and by plain HTTP, against the fake HrFlow and Mandrill servers; `run`,
`preview`, `sign` and `fakes` as subprocesses, tried as a new user would."""
import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from itertools import product
from unittest import mock
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import BOARD_KEY, JOB_KEY, PROFILE_KEY, ROOT, SOURCE_KEY, WEBHOOK_SECRET
from localcatch import request_body
from localcatch.cli import main
from localcatch.config import DEFAULT_SCHEME, LOCAL_SETTINGS
from localcatch.emails import email_page
from localcatch.errors import Refusal
from localcatch.fakes import unused_port
from localcatch.request_body import FORM, JSON, MULTIPART, body_fields
from localcatch.responses import unreachable_hints
from localcatch.samples import ENCODINGS, SAMPLE_OBJECT_KEY, sample_event, signature_for, wire_body, wire_request
from localcatch.server import MAX_BODY_BYTES
from localcatch.signers import parse_secrets
from shared.wire.catalogue import CATALOGUE
from shared.wire.signature import SCHEMES, verify_signature

CATCH = ROOT / "catch.py"
COMBINATIONS = list(product(SCHEMES, ENCODINGS))
RUBY_EXAMPLE_SIGNATURE = "9d101d2bf630748679226b767d2031634c520390ff0e926afc09bc65a05bfdb2"  # secret 1234, body 4567
SECRET_SETTINGS = ("HRFLOW_WEBHOOK_SECRET", "HRFLOW_API_SECRET", "MANDRILL_API_TOKEN", "HRFLOW_API_USER")

# A throwaway workflow whose behaviour the request's `type` picks.
THROWAWAY = '''
import json
import time

def workflow(_request, settings):
    kind = _request.get("type")
    if kind == "count":  # read, wait, write: executions that overlapped would lose counts
        seen = settings.get("count", 0)
        time.sleep(0.01)
        settings["count"] = seen + 1
        return {"status_code": 200, "body": str(seen + 1), "headers": {}}
    if kind == "raise":
        raise ValueError("the secret is " + settings["HRFLOW_WEBHOOK_SECRET"])
    if kind == "not-a-dict":
        return "ok"
    if kind == "text-status":
        return {"status_code": "200", "body": "", "headers": {}}
    return {"status_code": 200, "body": json.dumps(_request), "headers": {"Content-Type": "application/json"}}
'''


def clean_env(**extra: str) -> dict:
    """This environment without any setting or secret variable, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CATCH_SETTING_") and k != "HRFLOW_WEBHOOK_SECRET"}
    env.update(extra)
    return env


def cli(*args, stdin: "str | None" = None, env: "dict | None" = None) -> subprocess.CompletedProcess:
    """Run `python catch.py ARGS` and capture its output, whatever its exit status."""
    return subprocess.run([sys.executable, str(CATCH), *map(str, args)], capture_output=True, text=True,
                          timeout=60, env=env or clean_env(), check=False,
                          **({"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}))


def answer_of(result: subprocess.CompletedProcess) -> "tuple[int, dict]":
    """The status code and JSON body that `send` or `run` printed (after any line the workflow printed)."""
    lines = result.stdout.splitlines()
    start = next((n for n, line in enumerate(lines) if re.fullmatch(r"HTTP \d{3}", line)), None)
    assert start is not None, result.stdout + result.stderr
    return int(lines[start][5:]), json.loads("\n".join(lines[start + 1:]))


def keys_for(event_type: str) -> list:
    """The options naming the object the fake HrFlow holds for this event type's kind."""
    if CATALOGUE[event_type].subject.name == "profile":
        return ["--profile-key", PROFILE_KEY, "--source-key", SOURCE_KEY]
    return ["--job-key", JOB_KEY, "--board-key", BOARD_KEY]


def post(url: str, body: bytes, headers: dict, method: str = "POST") -> "tuple[int, dict, str]":
    """A plain HTTP request: status code, headers and body text, whatever the status."""
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode("utf-8")


class Served:
    """A `catch.py serve` subprocess on a free port, its output going to a file."""

    def __init__(self, workdir, dist_file, settings: dict, env: dict, options=()):
        self.port = unused_port()
        self.url = "http://127.0.0.1:{}/".format(self.port)
        settings_file = workdir / "settings-{}.json".format(self.port)
        settings_file.write_text(json.dumps(settings))
        self.log_file = workdir / "serve-{}.log".format(self.port)
        with open(self.log_file, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(CATCH), "serve", str(dist_file), "--port", str(self.port),
                 "--settings", str(settings_file), *map(str, options)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env)

    def wait_until_listening(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "serve exited early:\n" + self.output()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        pytest.fail("serve did not listen within 15 s:\n" + self.output())

    def output(self) -> str:
        """Everything the server printed so far, stdout and stderr."""
        return self.log_file.read_text(encoding="utf-8", errors="replace")

    def wait_for_output(self, text: str, times: int = 1, timeout: float = 15) -> str:
        """Everything the server printed, once `text` is in it `times` times: a request's log line is written
        after its answer is sent, so a client that has its answer may not find the line there yet."""
        deadline = time.monotonic() + timeout
        while self.output().count(text) < times:
            if time.monotonic() > deadline:
                pytest.fail("the server did not print {!r} {} time(s) within {:g} s:\n{}".format(
                    text, times, timeout, self.output()))
            time.sleep(0.02)
        return self.output()

    def send(self, event_type: str, *options) -> subprocess.CompletedProcess:
        """`catch.py send` to this server, with the fakes' keys and the test webhook secret by default."""
        secret = [] if "--secret" in options else ["--secret", WEBHOOK_SECRET]
        return cli("send", event_type, "--url", self.url, *secret, *keys_for(event_type), *options)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        """Signal the server and return its exit status."""
        self.process.send_signal(signum)
        return self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def dist(tmp_path_factory):
    """The 24 workflows as build.py builds them, into a temporary folder."""
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(out)], capture_output=True,
                           text=True, timeout=120, cwd=ROOT, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    return out


def built(dist, event_type: str):
    """The built file of the workflow for `event_type`."""
    return dist / (event_type.replace(".", "_") + ".py")


@pytest.fixture
def serve(tmp_path):
    """Start `catch.py serve FILE` with a settings dict; every server still running is killed afterwards."""
    servers = []

    def start(dist_file, settings: dict, env: "dict | None" = None) -> Served:
        servers.append(Served(tmp_path, dist_file, settings, env or clean_env()))
        servers[-1].wait_until_listening()
        return servers[-1]

    yield start
    for server in servers:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


@pytest.fixture
def throwaway(tmp_path):
    """The throwaway workflow, written to a file to serve."""
    path = tmp_path / "throwaway.py"
    path.write_text(THROWAWAY)
    return path


def recipients(sent: dict) -> "list[str]":
    """The addresses a message captured by the fake Mandrill went to."""
    return [to["email"] for to in sent["message"]["to"]]


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


def test_a_built_workflows_own_log_line_is_folded_into_the_one_line_of_its_request(
        dist, serve, settings, fake_mandrill):
    server = serve(built(dist, "profile.parsing.success"), settings)
    assert answer_of(server.send("profile.parsing.success"))[0] == 200
    assert answer_of(server.send("profile.parsing.success", "--secret", "not-the-secret"))[0] == 401
    assert server.stop() == 0
    lines = server.output().splitlines()
    assert len(lines) == 5 and lines[0].startswith("catch: settings loaded: ") and lines[4] == "catch: stopped", lines
    assert lines[2].startswith("catch: POST profile.parsing.success 200 ")
    assert " | printed: workflow=profile.parsing.success event=profile.parsing.success " in lines[2]
    assert lines[3].startswith("catch: POST profile.parsing.success 401 ")
    assert " | printed: workflow=profile.parsing.success event=- scheme=- sig=64-hex-digits code=401 " in lines[3]


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


def test_a_workflow_that_raises_gets_500_and_the_server_keeps_serving(throwaway, serve):
    server = serve(throwaway, {"HRFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET})
    status_code, _, body = post(server.url, b"type=raise", {"Content-Type": FORM})
    assert status_code == 500
    assert json.loads(body) == {"status": "failed", "reason": "The workflow raised ValueError."}
    assert post(server.url, b"type=echo", {"Content-Type": FORM})[0] == 200
    output = server.wait_for_output("the workflow raised ValueError at ")
    assert WEBHOOK_SECRET not in output


@pytest.mark.parametrize("kind, says", [("not-a-dict", "returned str, not a dict"), ("text-status", "status_code")])
def test_a_return_value_that_breaks_the_contract_gets_500_saying_so(throwaway, serve, kind, says):
    server = serve(throwaway, {})
    status_code, _, body = post(server.url, json.dumps({"type": kind}).encode(), {"Content-Type": JSON})
    assert status_code == 500
    assert json.loads(body)["status"] == "failed" and says in json.loads(body)["reason"]


def test_a_body_not_valid_for_its_content_type_gets_400_and_the_server_keeps_serving(throwaway, serve):
    server = serve(throwaway, {})
    bad = [(JSON, b"{not json"), (JSON, b"[1, 2]"), (FORM, b"type=\xff\xfe"),
           (MULTIPART + "; boundary=XYZ", b"no parts here"), (MULTIPART, b"--XYZ\r\n\r\n--XYZ--")]
    for content_type, body in bad:
        status_code, _, text = post(server.url, body, {"Content-Type": content_type})
        assert (status_code, json.loads(text)["status"]) == (400, "rejected"), (content_type, body)
    assert post(server.url, b"hello", {"Content-Type": "text/plain"})[0] == 415
    assert post(server.url, b'{"type": "echo"}', {"Content-Type": JSON})[0] == 200


FORM_PIECES = st.sampled_from(["%", "+", "=", "&", "a", "4", "C3", "A9", "%C3", "%a9", "%e2%82", "%41", "é", "€"])


@hypothesis_settings(max_examples=500, deadline=None, database=None)
@given(st.lists(FORM_PIECES, max_size=30).map("".join), st.integers(3, 8))
def test_a_form_body_reads_as_parse_qsl_reads_it_however_its_escapes_fall_across_slices(text, slice_bytes):
    try:  # Python 3.9's refuses an empty body; later ones, as catch.py, read no fields
        expected = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True)) if text else {}
    except ValueError:
        expected = None
    with mock.patch.object(request_body, "UNQUOTE_SLICE_BYTES", slice_bytes):
        try:
            assert body_fields(FORM, text.encode()) == expected
        except Refusal as refusal:
            assert (refusal.response["status_code"], expected) == (400, None)


def test_the_request_carries_body_fields_headers_and_raw_body_in_each_content_type(throwaway, serve):
    server = serve(throwaway, {})
    multipart = ('--XYZ\r\nContent-Disposition: form-data; name="type"\r\n\r\necho\r\n'
                 '--XYZ\r\nContent-Disposition: form-data; name="message"\r\n\r\nhé, ok\r\n--XYZ--\r\n')
    bodies = {FORM: "type=echo&message=h%C3%A9%2C+ok",
              JSON: json.dumps({"type": "echo", "message": "hé, ok"}),
              MULTIPART + "; boundary=XYZ": multipart}
    for content_type, body in bodies.items():
        status_code, _, text = post(server.url, body.encode(), {"Content-Type": content_type, "X-Probe": "42"})
        request = json.loads(text)
        assert status_code == 200
        assert (request["type"], request["message"], request["X-Probe"]) == ("echo", "hé, ok", "42")
        assert (request["Content-Type"], request["_raw_body"]) == (content_type, body)


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


def test_run_prints_ok_for_a_profile_parsing_success_like_the_check_button(
        dist, tmp_path, settings, fake_mandrill):
    settings_file = tmp_path / "settings.json"
    settings_file.write_text(json.dumps(settings))
    result = cli("run", built(dist, "profile.parsing.success"), "profile.parsing.success", "--settings", settings_file,
                 *keys_for("profile.parsing.success"))
    status_code, body = answer_of(result)
    assert (result.returncode, status_code, body["status"]) == (0, 200, "ok")
    assert [recipients(sent) for sent in fake_mandrill.sent] == [["ada.lovelace@example.com"]]


def test_run_exits_1_when_the_workflow_answers_an_error(dist, tmp_path, settings, fake_mandrill):
    settings_file = tmp_path / "settings.json"
    settings_file.write_text(json.dumps(dict(settings, MANDRILL_API_TOKEN="")))
    result = cli("run", built(dist, "profile.parsing.error"), "profile.parsing.error", "--settings", settings_file)
    assert result.returncode == 1
    assert "HTTP 500" in result.stdout and "MANDRILL_API_TOKEN" in result.stdout
    assert fake_mandrill.request_count == 0


@pytest.mark.parametrize("how", ["--body", "--body-file", "-"])
def test_sign_gives_the_webhook_pages_raw_body_vector(tmp_path, how):
    body_file = tmp_path / "body"
    body_file.write_bytes(b"4567")
    source = {"--body": ["--body", "4567"], "--body-file": ["--body-file", body_file], "-": ["-"]}[how]
    result = cli("sign", "--secret", "1234", "--scheme", "raw-body", *source, stdin="4567")
    assert (result.returncode, result.stdout) == (0, RUBY_EXAMPLE_SIGNATURE + "\n")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_sign_form_json_signs_the_event_fields_of_a_form_or_json_body(encoding):
    event = sample_event("job.storing.update", JOB_KEY, BOARD_KEY)
    result = cli("sign", "--scheme", "form-json", "--body", wire_body(event, encoding).decode(),
                 env=clean_env(HRFLOW_WEBHOOK_SECRET=WEBHOOK_SECRET))
    assert result.stdout.strip() == signature_for(event, WEBHOOK_SECRET, "form-json", encoding)


def test_sign_signed_request_makes_a_header_the_workflows_verify():
    event = sample_event("profile.scoring.error", PROFILE_KEY, SOURCE_KEY)
    result = cli("sign", "--secret", WEBHOOK_SECRET, "--scheme", "signed-request", "--body", json.dumps(event))
    verified = verify_signature(result.stdout.strip(), parse_secrets(WEBHOOK_SECRET), {})
    assert (verified.scheme, verified.fields) == ("signed-request", event)


def test_sign_refuses_a_form_json_body_without_an_event_object():
    result = cli("sign", "--secret", "1234", "--scheme", "form-json", "--body", "team_name=yourteam")
    assert result.returncode == 2 and "exactly one of the fields profile or job" in result.stderr


@pytest.mark.parametrize("command", ["serve", "send", "run", "preview", "sign", "fakes"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("usage: catch.py " + command)


def test_send_refuses_keys_of_the_other_kind_of_object(capsys):
    assert main(["send", "job.storing.success", "--url", "http://127.0.0.1:9/", "--secret", "s",
                       "--profile-key", PROFILE_KEY]) == 2
    assert "a job event takes --job-key and --board-key" in capsys.readouterr().err


def test_serve_refuses_to_start_on_a_file_without_a_workflow(tmp_path):
    path = tmp_path / "empty.py"
    path.write_text("EVENT_TYPE = 'profile.parsing.success'\n")
    result = cli("serve", path, "--port", unused_port())
    assert result.returncode == 2 and "defines no workflow function" in result.stderr


def test_fakes_and_run_give_the_readme_local_loop_an_acknowledgment_email(dist, tmp_path):
    settings = json.loads((ROOT / LOCAL_SETTINGS).read_text())
    hrflow_port, mandrill_port = unused_port(), unused_port()
    settings["HRFLOW_API_URL"] = "http://127.0.0.1:{}/v1/".format(hrflow_port)
    settings["MANDRILL_API_URL"] = "http://127.0.0.1:{}/api/1.3".format(mandrill_port)
    settings_file = tmp_path / "local-settings.json"
    settings_file.write_text(json.dumps(settings))
    log_file = tmp_path / "fakes.log"
    with open(log_file, "wb") as log:
        fakes = subprocess.Popen([sys.executable, str(CATCH), "fakes", "--settings", str(settings_file)],
                                 stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=clean_env(),
                                 cwd=ROOT)
    try:
        deadline = time.monotonic() + 15
        while "Ctrl-C stops" not in log_file.read_text():
            assert fakes.poll() is None and time.monotonic() < deadline, log_file.read_text()
            time.sleep(0.05)
        result = cli("run", built(dist, "profile.parsing.success"), "profile.parsing.success",
                     "--settings", settings_file)
        assert answer_of(result)[1]["status"] == "ok", result.stdout + result.stderr
    finally:
        fakes.send_signal(signal.SIGINT)
        assert fakes.wait(timeout=10) == 0
    printed = log_file.read_text()
    assert "--- email from recruiting@acme.example to ada.lovelace@example.com" in printed
    assert "Subject: Thank you for your application" in printed and "Hello Ada," in printed


LOCAL = json.loads((ROOT / LOCAL_SETTINGS).read_text())
NOT_FOUND_DIST = "catch: error: no such file: dist/nope.py (built files are in dist/: python build.py)\n"


def settings_file(tmp_path, settings: dict, name: str = "settings.json"):
    """`settings` written to a JSON file."""
    path = tmp_path / name
    path.write_text(json.dumps(settings))
    return path


def header_lines(text: str) -> "dict[str, str]":
    """The `Name: value` lines of a previewed .txt before its blank line."""
    head, blank, _ = text.partition("\n\n")
    assert blank, text
    return dict(line.split(": ", 1) for line in head.splitlines())


def page_headers(page: str) -> "dict[str, str]":
    """The header rows of a previewed .html page, their values as written (escaped)."""
    return dict(re.findall(r"<tr><th>([^<]*)</th><td>([^<]*)</td></tr>", page))


def expected_recipient(event_type: str) -> str:
    """Who the email of `event_type` goes to, with samples/local-settings.json."""
    if event_type == "profile.parsing.success":
        return "ada.lovelace@example.com"
    return LOCAL["ALERT_EMAIL"] if event_type.endswith(".error") else LOCAL["NOTIFY_EMAIL"]


def expected_subject_start(event_type: str) -> str:
    """How the subject of the email of `event_type` begins."""
    spec = CATALOGUE[event_type]
    if event_type == "profile.parsing.success":
        return "Thank you for your application"
    if spec.status == "error":
        return "[HrFlow alert] {} failed for {} {}".format(event_type, spec.subject.name, SAMPLE_OBJECT_KEY)
    if (spec.stage, spec.status) == ("scoring", "success"):
        return "[HrFlow] Shortlist for "
    return "[HrFlow] {}: ".format(event_type)


def test_preview_writes_a_page_and_a_text_of_the_email_of_each_of_the_24_event_types(dist, tmp_path):
    out = tmp_path / "preview"
    result = cli("preview", dist / "all_events.py", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["wrote {}".format(out / (event_type + suffix))
                                          for event_type in CATALOGUE for suffix in (".html", ".txt")]
    assert result.stderr.endswith("catch: 24 emails written to {}; 24 of 24 event types answered ok\n".format(out))
    for event_type in CATALOGUE:
        text = (out / (event_type + ".txt")).read_text(encoding="utf-8")
        page = (out / (event_type + ".html")).read_text(encoding="utf-8")
        headers = header_lines(text)
        assert list(headers) == ["From", "To", "Subject"]
        assert (headers["From"], headers["To"]) == (LOCAL["HRFLOW_API_USER"], expected_recipient(event_type))
        assert headers["Subject"].startswith(expected_subject_start(event_type)), headers
        assert page.startswith("<!DOCTYPE html>")
        assert "<title>{}</title>".format(html.escape(headers["Subject"])) in page
        assert page_headers(page) == {name: html.escape(value) for name, value in headers.items()}
        assert '<iframe sandbox title="the HTML part of the email" srcdoc="&lt;p&gt;' in page  # the HTML part
    acknowledgement = (out / "profile.parsing.success.txt").read_text(encoding="utf-8")
    assert acknowledgement.split("\n\n", 1)[1].startswith("Hello Ada,\n\nThank you for applying")
    assert "srcdoc=\"&lt;p&gt;Hello Ada,&lt;/p&gt;" in (out / "profile.parsing.success.html").read_text()


def test_preview_of_a_file_of_one_event_type_needs_no_event_type(dist, tmp_path):
    out = tmp_path / "preview"
    result = cli("preview", built(dist, "job.storing.success"), "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["wrote {}".format(out / "job.storing.success.html"),
                                          "wrote {}".format(out / "job.storing.success.txt")]
    assert header_lines((out / "job.storing.success.txt").read_text())["Subject"] == (
        "[HrFlow] job.storing.success: Data Engineer")


def test_preview_refuses_the_probe_which_handles_no_event_type(dist, tmp_path):
    result = cli("preview", dist / "catch_probe.py", "--out", tmp_path / "preview")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("catch: error: {} handles no event type (it sets neither EVENT_TYPE nor EVENT_TYPES), "
                             "so it sends no email to preview\n".format(dist / "catch_probe.py"))
    assert not (tmp_path / "preview").exists()


def test_preview_says_plainly_when_an_event_sends_no_email(dist, tmp_path):
    out = tmp_path / "preview"
    result = cli("preview", built(dist, "profile.parsing.success"), "job.storing.success", "--out", out)
    assert result.returncode == 1
    assert result.stdout == ("job.storing.success: no email sent; the workflow answered HTTP 200 skipped: This "
                             "workflow handles profile.parsing.success events, not job.storing.success.\n")
    assert list(out.iterdir()) == []


def test_preview_escapes_the_page_header_shows_a_templates_merge_vars_and_sends_despite_dry_run(dist, tmp_path):
    template, sender = "<script>alert('t')</script>", "o'brien&co@acme.example"
    settings = settings_file(tmp_path, dict(LOCAL, MANDRILL_TEMPLATE=template, MAIL_FROM=sender, DRY_RUN="true"))
    out = tmp_path / "preview"
    result = cli("preview", built(dist, "profile.parsing.success"), "--out", out, "--settings", settings)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (out / "profile.parsing.success.html").read_text()
    assert page_headers(page)["From"] == "o&#x27;brien&amp;co@acme.example"
    assert page_headers(page)["Template"] == "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;"
    assert "<script" not in page
    for name, value in (("FIRST_NAME", "Ada"), ("LAST_NAME", "Lovelace"), ("FULL_NAME", "Ada Lovelace"),
                        ("EMAIL", "ada.lovelace@example.com")):
        assert "<tr><th>{}</th><td>{}</td></tr>".format(name, value) in page
    text = (out / "profile.parsing.success.txt").read_text()
    assert header_lines(text) == {"From": sender, "To": "ada.lovelace@example.com",
                                  "Subject": "Thank you for your application", "Template": template}


def test_a_previewed_page_escapes_cv_text_in_its_header():
    hostile = '<img src=x onerror="alert(1)"> & co'
    record = {"message": {"from_email": "team@acme.example", "to": [{"email": "a&b@acme.example"}],
                          "subject": "[HrFlow] profile.storing.success: " + hostile, "text": hostile,
                          "html": "<p>{}</p>".format(html.escape(hostile))},
              "template_name": None}
    page = email_page(record, "profile.storing.success")
    assert "<img" not in page and "onerror=\"" not in page
    assert page_headers(page) == {"From": "team@acme.example", "To": "a&amp;b@acme.example",
                                  "Subject": "[HrFlow] profile.storing.success: " + html.escape(hostile)}
    assert "srcdoc=\"&lt;p&gt;&amp;lt;img" in page  # the HTML part, escaped once more for the attribute


def test_send_takes_the_secret_and_the_scheme_from_its_settings_file(dist, serve, tmp_path, settings, fake_mandrill):
    pinned = dict(settings, HRFLOW_SIGNATURE_SCHEME="raw-body, form-json")  # signed otherwise, it gets 401
    server = serve(built(dist, "profile.parsing.success"), dict(pinned, HRFLOW_SIGNATURE_SCHEME="raw-body"))
    result = cli("send", "profile.parsing.success", "--url", server.url, "--settings", settings_file(tmp_path, pinned),
                 *keys_for("profile.parsing.success"))
    status_code, body = answer_of(result)
    assert (result.returncode, status_code, body["status"]) == (0, 200, "ok"), body
    server.wait_for_output("scheme=raw-body")


def test_run_takes_the_event_type_from_a_file_that_handles_one(dist, tmp_path, settings, fake_mandrill):
    result = cli("run", built(dist, "profile.parsing.success"), "--settings", settings_file(tmp_path, settings),
                 *keys_for("profile.parsing.success"))
    status_code, body = answer_of(result)
    assert (result.returncode, status_code, body["status"], body["event"]) == (0, 200, "ok", "profile.parsing.success")
    assert len(fake_mandrill.sent) == 1


@pytest.mark.parametrize("name, says", [
    ("all_events.py", "handles 24 event types: name the one to send, among "),
    ("catch_probe.py", "handles no event type of its own: name the one to send it, among "),
])
def test_run_needs_the_event_type_of_a_file_that_handles_several_or_none(dist, tmp_path, name, says):
    result = cli("run", dist / name, "--settings", settings_file(tmp_path, LOCAL))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "catch: error: {} {}{}\n".format(dist / name, says, ", ".join(CATALOGUE))


def test_sign_send_and_run_sign_with_one_default_scheme(dist, throwaway, serve, tmp_path, settings, fake_mandrill):
    event = sample_event("profile.parsing.success")
    expected = signature_for(event, WEBHOOK_SECRET, DEFAULT_SCHEME, "form")
    signed = cli("sign", "--secret", WEBHOOK_SECRET, "--body", wire_body(event, "form").decode())
    assert signed.stdout == expected + "\n"
    server = serve(throwaway, {})
    sent = cli("send", "profile.parsing.success", "--url", server.url, "--secret", WEBHOOK_SECRET)
    echoed = {name.upper(): value for name, value in answer_of(sent)[1].items()}  # urllib capitalizes names
    assert echoed["HTTP-HRFLOW-SIGNATURE"] == expected
    ran = cli("run", built(dist, "profile.parsing.success"), "--settings", settings_file(tmp_path, settings))
    assert " scheme={} ".format(DEFAULT_SCHEME) in ran.stdout.splitlines()[0]
    helps = {command: " ".join(cli(command, "--help").stdout.split()) for command in ("sign", "send", "run")}
    assert "(default: {}, as for send and run)".format(DEFAULT_SCHEME) in helps["sign"]
    for command in ("send", "run"):
        assert "settings accepts, else {})".format(DEFAULT_SCHEME) in helps[command]


@pytest.mark.parametrize("args", [
    ["run", "dist/nope.py", "profile.parsing.success"],
    ["serve", "dist/nope.py"],
    ["preview", "dist/nope.py"],
])
def test_a_missing_dist_file_is_named_with_where_built_files_are(args):
    result = cli(*args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", NOT_FOUND_DIST)


@pytest.mark.parametrize("command", ["run", "send", "serve", "preview", "fakes"])
def test_a_missing_settings_file_is_named(dist, command):
    before = {"run": ["run", built(dist, "job.storing.error")], "serve": ["serve", built(dist, "job.storing.error")],
              "send": ["send", "job.storing.error", "--url", "http://127.0.0.1:9/"],
              "preview": ["preview", built(dist, "job.storing.error")], "fakes": ["fakes"]}[command]
    result = cli(*before, "--settings", "nope.json")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("catch: error: no such file: nope.json (a settings file is a JSON object, like "
                             "samples/local-settings.json)\n")


@pytest.mark.parametrize("busy", ["HRFLOW_API_URL", "MANDRILL_API_URL"])
def test_fakes_name_the_port_they_cannot_listen_on(tmp_path, busy):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports = {"HRFLOW_API_URL": unused_port(), "MANDRILL_API_URL": unused_port(), busy: taken.getsockname()[1]}
        settings = dict(LOCAL, HRFLOW_API_URL="http://127.0.0.1:{}/v1/".format(ports["HRFLOW_API_URL"]),
                        MANDRILL_API_URL="http://127.0.0.1:{}/api/1.3".format(ports["MANDRILL_API_URL"]))
        path = settings_file(tmp_path, settings)
        result = cli("fakes", "--settings", path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "catch: error: cannot listen on 127.0.0.1:{} ({} in {}): address already in use\n".format(
        ports[busy], busy, path)


def test_fakes_refuse_a_url_they_cannot_listen_at(tmp_path):
    path = settings_file(tmp_path, dict(LOCAL, MANDRILL_API_URL="https://mandrillapp.com/api/1.3"))
    result = cli("fakes", "--settings", path)
    assert result.returncode == 2
    assert result.stderr == ("catch: error: MANDRILL_API_URL in {} must be a local http URL with a port, such as "
                             "http://127.0.0.1:8082/api/1.3: its fake listens there\n".format(path))


@pytest.mark.parametrize("command", ["run", "sign", "preview"])
def test_output_into_a_pipe_closed_early_leaves_no_traceback(dist, tmp_path, settings, fake_mandrill, command):
    args = {"run": ["run", built(dist, "profile.parsing.success"), "--settings", settings_file(tmp_path, settings),
                    *keys_for("profile.parsing.success")],
            "sign": ["sign", "--secret", "1234", "--scheme", "raw-body", "--body", "4567"],
            "preview": ["preview", built(dist, "job.storing.error"), "--out", tmp_path / "preview"]}[command]
    reader, writer = os.pipe()
    os.close(reader)  # closed before anything is written, as `| head -c 1` may be: every write fails
    try:
        result = subprocess.run([sys.executable, str(CATCH), *map(str, args)], stdout=writer, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, text=True, timeout=60, env=clean_env(), check=False)
    finally:
        os.close(writer)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr


URL_SECRETS = ("alice-user", "hunter2-password", "secret-path", "abc123-token", "fragment-secret")


def url_with_secrets(port: int, path: str) -> str:
    """A URL of 127.0.0.1:`port` that holds each of URL_SECRETS: in its userinfo, its path, its query, its fragment."""
    return "http://alice-user:hunter2-password@127.0.0.1:{}{}secret-path/?token=abc123-token#fragment-secret".format(
        port, path)


@pytest.mark.parametrize("name, event_type, path", [("HRFLOW_API_URL", "profile.parsing.success", "/v1/"),
                                                     ("MANDRILL_API_URL", "profile.parsing.error", "/api/1.3/")])
def test_run_names_the_url_it_could_not_reach_by_scheme_host_and_port_alone_and_suggests_the_fakes(
        dist, tmp_path, settings, name, event_type, path):
    port = unused_port()
    file = settings_file(tmp_path, dict(settings, **{name: url_with_secrets(port, path)}))
    result = cli("run", built(dist, event_type), "--settings", file, *keys_for(event_type))
    status_code, body = answer_of(result)
    service = "HrFlow" if name == "HRFLOW_API_URL" else "Mandrill"
    assert (result.returncode, status_code) == (1, 503) and "{} could not be reached".format(service) in body["reason"]
    hint = ("catch: {} could not be reached at http://127.0.0.1:{} ({} in {}): are the fakes running? Start them "
            "with: python catch.py fakes --settings {}\n".format(service, port, name, file, file))
    assert result.stderr.endswith(hint), result.stderr
    printed = result.stdout + result.stderr
    assert not [secret for secret in URL_SECRETS if secret in printed], printed


def test_send_names_a_url_it_cannot_reach_by_scheme_host_and_port_alone():
    port = unused_port()
    result = cli("send", "profile.parsing.success", "--url", url_with_secrets(port, "/"), "--secret", WEBHOOK_SECRET)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("catch: cannot reach http://127.0.0.1:{}: ".format(port)), result.stderr
    assert not [secret for secret in URL_SECRETS if secret in result.stderr], result.stderr


def test_the_hint_for_an_unset_url_names_the_default_it_tried():
    response = {"status_code": 503, "body": json.dumps({"status": "failed", "reason": "HrFlow profile failed after "
                                                        "4 attempts: HrFlow could not be reached."})}
    assert unreachable_hints(response, {}, None) == [
        "HrFlow could not be reached at https://api.hrflow.ai/v1/, the default, since no HRFLOW_API_URL is set. To "
        "try the workflow locally, set it as samples/local-settings.json does and start the fakes: "
        "python catch.py fakes"]


def test_the_readme_shows_the_acknowledgement_exactly_as_preview_writes_it(tmp_path):
    result = cli("preview", ROOT / "dist" / "profile_parsing_success.py", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("The same as text (`preview/profile.parsing.success.txt`):")[1].split("```text\n")[1]
    assert (tmp_path / "profile.parsing.success.txt").read_text(encoding="utf-8") == shown.split("```")[0]
