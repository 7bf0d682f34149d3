"""`catch.py run`, `send`, `sign` and `fakes` as subprocesses, tried as a new user would: what each prints, its
exit status, and what it says when something is missing or out of reach."""
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from catch_process import CATCH, LOCAL, answer_of, built, clean_env, cli, keys_for, settings_file
from conftest import BOARD_KEY, JOB_KEY, PROFILE_KEY, ROOT, SOURCE_KEY, WEBHOOK_SECRET, recipients
from localcatch.cli import main
from localcatch.config import DEFAULT_SCHEME, LOCAL_SETTINGS
from localcatch.fakes import unused_port
from localcatch.responses import unreachable_hints
from localcatch.samples import ENCODINGS, sample_event, signature_for, wire_body
from localcatch.signers import parse_secrets
from shared.wire.catalogue import CATALOGUE
from shared.wire.signature import verify_signature

pytestmark = pytest.mark.slow
RUBY_EXAMPLE_SIGNATURE = "9d101d2bf630748679226b767d2031634c520390ff0e926afc09bc65a05bfdb2"  # secret 1234, body 4567
NOT_FOUND_DIST = "catch: error: no such file: dist/nope.py (built files are in dist/: python build.py)\n"
URL_SECRETS = ("alice-user", "hunter2-password", "secret-path", "abc123-token", "fragment-secret")


@pytest.mark.parametrize("command", ["serve", "send", "run", "preview", "sign", "fakes"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("usage: catch.py " + command)


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


def test_send_takes_the_secret_and_the_scheme_from_its_settings_file(dist, serve, tmp_path, settings, fake_mandrill):
    pinned = dict(settings, HRFLOW_SIGNATURE_SCHEME="raw-body, form-json")  # signed otherwise, it gets 401
    server = serve(built(dist, "profile.parsing.success"), dict(pinned, HRFLOW_SIGNATURE_SCHEME="raw-body"))
    result = cli("send", "profile.parsing.success", "--url", server.url, "--settings", settings_file(tmp_path, pinned),
                 *keys_for("profile.parsing.success"))
    status_code, body = answer_of(result)
    assert (result.returncode, status_code, body["status"]) == (0, 200, "ok"), body
    server.wait_for_output("scheme=raw-body")


def test_send_refuses_keys_of_the_other_kind_of_object(capsys):
    assert main(["send", "job.storing.success", "--url", "http://127.0.0.1:9/", "--secret", "s",
                       "--profile-key", PROFILE_KEY]) == 2
    assert "a job event takes --job-key and --board-key" in capsys.readouterr().err


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
