"""`catch.py run`, `send`, `sign` and `fakes` as subprocesses, tried as a new user would: what each prints, its
exit status, and what it says when something is missing or out of reach."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from catch_process import (
    CATCH,
    LOCAL,
    answer_of,
    boom_source,
    built,
    built_note,
    clean_env,
    cli,
    keys_for,
    refusal,
    settings_file,
    source_tree,
    traceback_block,
)
from conftest import BOARD_KEY, JOB_KEY, PROFILE_KEY, ROOT, SOURCE_KEY, WEBHOOK_SECRET, recipients
from localcatch.cli import main
from localcatch.config import DEFAULT_SCHEME, LOCAL_SETTINGS
from localcatch.fakes import unused_port
from localcatch.responses import unreachable_hints
from localcatch.samples import ENCODINGS, sample_event, signature_for, wire_body
from localcatch.signers import parse_secrets
from shared.wire.catalogue import CATALOGUE
from shared.wire.signature import SCHEMES, verify_signature

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
                 env=clean_env(CATCH_SETTING_HRFLOW_WEBHOOK_SECRET=WEBHOOK_SECRET))
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
    for command in ("sign", "send", "run"):
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
    assert "--- email\nFrom: recruiting@acme.example\nTo: ada.lovelace@example.com\n" in printed
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
    assert refusal(result) == "catch: error: cannot listen on 127.0.0.1:{} ({} in {}): address already in use\n".format(
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
    assert refusal(result) == ("catch: error: no such file: nope.json (a settings file is a JSON object, like "
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


# A workflow that says it runs, by creating the file the variable STARTED names, then waits long.
SLOW = '''
import os
import time

EVENT_TYPE = "profile.parsing.success"


def workflow(_request, settings):
    open(os.environ["STARTED"], "w").close()
    time.sleep(60)
'''


# catch.py run with SIGINT raising KeyboardInterrupt, as in a terminal, even where this process was started
# with SIGINT ignored (as a shell starts a background job), which a child inherits.
AS_IN_A_TERMINAL = ("import os, runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
                    "sys.argv = sys.argv[1:]; sys.path[0] = os.path.dirname(sys.argv[0]); "
                    "runpy.run_path(sys.argv[0], run_name='__main__')")


def interrupted(args: list, started) -> subprocess.CompletedProcess:
    """Run `catch.py ARGS`, send it SIGINT once `started()` is true, and return what it printed and its status."""
    process = subprocess.Popen([sys.executable, "-c", AS_IN_A_TERMINAL, str(CATCH), *map(str, args)],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=clean_env(CATCH_SETTING_HRFLOW_WEBHOOK_SECRET=WEBHOOK_SECRET))
    try:
        deadline = time.monotonic() + 15
        while not started():
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return subprocess.CompletedProcess(args, process.returncode, out, err)


def test_ctrl_c_in_run_says_interrupted_and_leaves_no_traceback(tmp_path, monkeypatch):
    path, started = tmp_path / "slow.py", tmp_path / "started"
    path.write_text(SLOW)
    monkeypatch.setenv("STARTED", str(started))
    result = interrupted(["run", path], started.exists)
    assert (result.returncode, result.stderr) == (130, "catch: interrupted\n")


def test_ctrl_c_in_send_says_interrupted_and_leaves_no_traceback():
    with socket.socket() as listener:  # accepts, and never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.01)
        accepted = []

        def connected() -> bool:
            try:
                accepted.append(listener.accept()[0])
            except socket.timeout:
                pass
            return bool(accepted)

        url = "http://127.0.0.1:{}/".format(listener.getsockname()[1])
        result = interrupted(["send", "profile.parsing.success", "--url", url], connected)
        for connection in accepted:
            connection.close()
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "catch: interrupted\n")


# A workflow that answers with the signature it was sent and the webhook secret its settings hold.
ECHO_SECRET = '''
import json

EVENT_TYPE = "profile.parsing.success"


def workflow(_request, settings):
    signature = [value for name, value in _request.items() if name.upper() == "HTTP-HRFLOW-SIGNATURE"]
    seen = {"signature": signature[0] if signature else None, "secret": settings.get("HRFLOW_WEBHOOK_SECRET")}
    return {"status_code": 200, "body": json.dumps(seen), "headers": {}}
'''
SECRETS = {"--secret": "secret-of-the-flag", "variable": "secret-of-the-variable", "file": "secret-of-the-file"}


@pytest.mark.parametrize("command", ["sign", "send", "run", "serve"])
@pytest.mark.parametrize("given", [("--secret", "variable", "file"), ("variable", "file"), ("file",)],
                         ids=["all three", "variable and file", "file alone"])
def test_every_command_finds_the_webhook_secret_in_one_order(serve, tmp_path, command, given):
    """--secret, else the variable CATCH_SETTING_HRFLOW_WEBHOOK_SECRET, else the settings file's."""
    expected = SECRETS[given[0]]
    file = settings_file(tmp_path, {"HRFLOW_WEBHOOK_SECRET": SECRETS["file"]})
    env = clean_env(**({"CATCH_SETTING_HRFLOW_WEBHOOK_SECRET": SECRETS["variable"]} if "variable" in given else {}))
    flag = ["--secret", SECRETS["--secret"]] if "--secret" in given else []
    echo = tmp_path / "echo.py"
    echo.write_text(ECHO_SECRET)
    event = sample_event("profile.parsing.success")
    if command == "sign":
        result = cli("sign", "--settings", file, *flag, "--body", wire_body(event, "form").decode(), env=env)
        assert result.stdout == signature_for(event, expected, DEFAULT_SCHEME, "form") + "\n", result.stderr
        return
    if command == "serve":
        server = serve(echo, {"HRFLOW_WEBHOOK_SECRET": SECRETS["file"]}, env=env, options=flag)
        seen = answer_of(cli("send", "profile.parsing.success", "--url", server.url, "--secret", "any"))[1]
        assert seen["secret"] == expected
        return
    if command == "send":
        server = serve(echo, {})
        result = cli("send", "profile.parsing.success", "--url", server.url, "--settings", file, *flag, env=env)
    else:
        result = cli("run", echo, "--settings", file, *flag, env=env)
        assert answer_of(result)[1]["secret"] == expected  # the workflow verifies with what run signs with
    assert answer_of(result)[1]["signature"] == signature_for(event, expected, DEFAULT_SCHEME, "form")


@pytest.mark.parametrize("command", ["sign", "send", "run", "preview"])
def test_every_command_without_a_webhook_secret_says_where_it_looked(dist, tmp_path, command):
    file = settings_file(tmp_path, {"NOTIFY_EMAIL": "team@example.com"})
    args = {"sign": ["sign", "--body", "a=b"], "send": ["send", "profile.parsing.success", "--url", "http://127.0.0.1:9/"],
            "run": ["run", built(dist, "job.storing.error")], "preview": ["preview", built(dist, "job.storing.error")]}
    result = cli(*args[command], "--settings", file, env=clean_env(HRFLOW_WEBHOOK_SECRET="a-variable-not-read"))
    assert refusal(result) == (
        "catch: error: no webhook secret: pass --secret, set the variable CATCH_SETTING_HRFLOW_WEBHOOK_SECRET, or "
        "set HRFLOW_WEBHOOK_SECRET in {} (the variable HRFLOW_WEBHOOK_SECRET is not read: name it "
        "CATCH_SETTING_HRFLOW_WEBHOOK_SECRET)\n".format(file))


def test_sign_takes_the_secret_and_the_scheme_from_its_settings_file_as_send_does(tmp_path):
    file = settings_file(tmp_path, {"HRFLOW_WEBHOOK_SECRET": "1234", "HRFLOW_SIGNATURE_SCHEME": "raw-body"})
    result = cli("sign", "--settings", file, "--body", "4567")
    assert (result.returncode, result.stdout) == (0, RUBY_EXAMPLE_SIGNATURE + "\n")


NO_FIELDS = "It is neither a JSON object nor a form of name=value fields."


@pytest.mark.parametrize("scheme, says", [
    ("form-json", "form-json signs the fields of an event, and this body has none. " + NO_FIELDS),
    ("signed-request", "signed-request signs an event as a JSON object, and this body is not one."),
])
def test_sign_refuses_a_body_its_scheme_cannot_sign_saying_what_is_wrong_with_it(scheme, says):
    result = cli("sign", "--secret", "1234", "--scheme", scheme, "--body", "hello")
    assert refusal(result) == "catch: error: {} To sign it as it is, use --scheme raw-body.\n".format(says)


@pytest.mark.parametrize("scheme, body, says", [
    ("raw-body", "hello", NO_FIELDS),
    ("raw-body", '{"type": "profile.parsing.success"}',
     "The event must carry exactly one of the fields profile or job."),
    ("form-json", "type=profile.parsing.success&profile=%7B%7D", "The profile key is not a key of 1 to 64 letters, "
                                                                 "digits, '_' or '-'."),
    ("signed-request", json.dumps(sample_event("profile.parsing.success")).replace("parsing", "parsed"),
     "Its type profile.parsed.success is not one of HrFlow's event types."),
])
def test_sign_signs_a_body_that_is_no_event_but_warns_what_is_wrong_with_it(scheme, body, says):
    result = cli("sign", "--secret", "1234", "--scheme", scheme, "--body", body)
    assert result.returncode == 0 and len(result.stdout.strip()) >= 64
    assert result.stderr == "catch: warning: signed, but a workflow would not act on this body. {}\n".format(says)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_sign_signs_a_sample_event_without_a_warning(scheme):
    result = cli("sign", "--secret", "1234", "--scheme", scheme, "--body",
                 json.dumps(sample_event("job.storing.error")))
    assert (result.returncode, result.stderr) == (0, "")


def test_run_given_a_source_under_workflows_runs_it_built_and_says_so(tmp_path, settings, fake_mandrill):
    result = cli("run", ROOT / "workflows" / "profile_parsing_success.py", "--settings",
                 settings_file(tmp_path, settings), *keys_for("profile.parsing.success"))
    assert answer_of(result)[:1] == (200,) and result.returncode == 0
    assert result.stderr.startswith(built_note(str(ROOT / "workflows" / "profile_parsing_success.py"),
                                               "dist/profile_parsing_success.py")), result.stderr
    assert len(fake_mandrill.sent) == 1


def test_run_refuses_a_source_that_runs_as_a_module_but_cannot_be_pasted(tmp_path):
    workflow, _ = source_tree(tmp_path, workflow_lines=("import shared.greeting",
                                                        "GREETING = shared.greeting.GREETING"))
    result = cli("run", workflow, "--secret", WEBHOOK_SECRET)
    assert refusal(result).startswith("catch: error: The workflow's source cannot be built: workflows/greet.py:2: "
                                    "'import shared.greeting' needs a module object"), result.stderr


def test_run_refuses_a_file_outside_workflows_that_imports_shared_as_catch_would(tmp_path):
    copy = tmp_path / "my_copy.py"
    copy.write_text((ROOT / "workflows" / "profile_parsing_success.py").read_text())
    line = next(number for number, text in enumerate(copy.read_text().splitlines(), 1) if "from shared" in text)
    result = cli("run", copy, "--secret", WEBHOOK_SECRET)
    assert refusal(result) == (
        "catch: error: The workflow file cannot be loaded: No module named 'shared' once pasted (line {} imports "
        "shared/, which is not pasted): run the file python build.py writes into dist/, or the source under "
        "workflows/, which catch.py builds first.\n".format(line))


def test_run_prints_the_whole_traceback_of_an_unexpected_exception_in_the_workflow(tmp_path):
    result = cli("run", boom_source(tmp_path / "project"), "--secret", WEBHOOK_SECRET)
    assert answer_of(result)[0] == 500 and result.returncode == 1
    block = traceback_block(result.stderr)
    assert block[1] == "  Traceback (most recent call last):", block
    assert block[-1] == "  ValueError: the action broke, holding [redacted]", block  # a secret's value, masked
    assert '  File "<built workflows/boom.py>", line ' in result.stderr and "in explode" in result.stderr
    assert '      raise ValueError("the action broke, holding " + ctx.settings.text("HRFLOW_WEBHOOK_SECRET"))' in block
    assert " error=ValueError at=explode:" in result.stdout.splitlines()[0]


def test_a_workflow_file_with_a_syntax_error_shows_the_compilers_message_and_no_traceback(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("def workflow(:\n")
    try:
        compile(path.read_text(), str(path), "exec")
    except SyntaxError as error:
        message = error.msg
    result = cli("run", path, "--secret", WEBHOOK_SECRET)
    assert refusal(result) == "catch: error: The workflow file cannot be loaded: SyntaxError at {}:1: {}.\n".format(
        path, message)


def test_a_workflow_file_that_imports_a_missing_module_names_it(tmp_path):
    path = tmp_path / "importer.py"
    path.write_text("import json\nimport not_a_module_anywhere.sub\n")
    result = cli("run", path, "--secret", WEBHOOK_SECRET)
    assert refusal(result) == ("catch: error: The workflow file cannot be loaded: No module named "
                             "'not_a_module_anywhere' (ModuleNotFoundError at {}:2).\n".format(path))


TYPO = "catch: settings: Setting DRYRUN is not one this workflow reads; did you mean DRY_RUN?\n"


def test_run_prints_a_setting_name_that_is_almost_one_the_workflow_reads_when_it_loads_the_settings(
        dist, tmp_path, settings, fake_mandrill):
    file = settings_file(tmp_path, dict(settings, DRYRUN="true"))
    result = cli("run", built(dist, "profile.parsing.error"), "--settings", file)
    assert result.stderr.startswith(TYPO), result.stderr
    status_code, body = answer_of(result)
    assert (status_code, body["reason"]) == (500, TYPO[len("catch: settings: "):-1])  # the workflow's own words
    assert fake_mandrill.request_count == 0


def test_run_says_nothing_of_settings_the_workflow_reads_or_that_resemble_none(dist, tmp_path, settings, fake_mandrill):
    file = settings_file(tmp_path, dict(settings, DRY_RUN="true", _CATCH_DELIVERIES="{}", NOTES="mine"))
    result = cli("run", built(dist, "profile.parsing.error"), "--settings", file)
    assert answer_of(result)[0] == 200 and "catch: settings" not in result.stderr, result.stderr


def test_run_says_nothing_of_a_setting_name_the_workflow_itself_does_not_check(dist, tmp_path):
    file = settings_file(tmp_path, {"HRFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET, "HRFLOW_SIGNATURE_SCHEMA": "form-json"})
    result = cli("run", dist / "catch_probe.py", "profile.parsing.success", "--settings", file)
    assert answer_of(result)[0] == 200 and "catch: settings" not in result.stderr, result.stderr  # the probe accepts
