"""`catch.py` as the tests run it: `serve` in a subprocess on a free port, and the other commands to completion,
with the raw HTTP a client sends. tests/conftest.py registers this module as a plugin, for its fixtures: `dist`,
`serve`, `throwaway` and `scripted`. And the workflow sources the commands build in memory: `source_tree`, whose
greeting comes from a shared module, and `boom_source`, whose action raises."""
from __future__ import annotations

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
from pathlib import Path

import pytest

from conftest import BOARD_KEY, JOB_KEY, PROFILE_KEY, ROOT, SOURCE_KEY, WEBHOOK_SECRET
from localcatch.config import LOCAL_SETTINGS
from localcatch.fakes import unused_port
from shared.wire.catalogue import CATALOGUE

CATCH = ROOT / "catch.py"
LOCAL = json.loads((ROOT / LOCAL_SETTINGS).read_text())  # samples/local-settings.json
LIFECYCLE = ("catch: settings", "catch: serving ", "catch: stopping: ", "catch: stopped")  # the lines of no request


# A throwaway workflow whose behaviour the request's `type` picks: it counts, raises, or breaks the contract;
# by default it answers with the whole `_request`.
THROWAWAY = '''
import json
import time

def workflow(_request, settings):
    script = _request.get("type")
    if script == "count":  # read, wait, write: executions that overlapped would lose counts
        seen = settings.get("count", 0)
        time.sleep(0.01)
        settings["count"] = seen + 1
        return {"status_code": 200, "body": str(seen + 1), "headers": {}}
    if script == "raise":
        raise ValueError("the secret is " + settings["HRFLOW_WEBHOOK_SECRET"])
    if script == "not-a-dict":
        return "ok"
    if script == "text-status":
        return {"status_code": "200", "body": "", "headers": {}}
    return {"status_code": 200, "body": json.dumps(_request), "headers": {"Content-Type": "application/json"}}
'''


# A workflow the request scripts, by its `type`: it waits, prints, raises, rejects, or returns what it is told;
# by default it answers with the names of the `_request`'s keys.
SCRIPTED = '''
import json
import os
import time

def workflow(_request, settings):
    script = _request.get("type")
    if script == "wait":  # say it runs, then wait for the test's go-ahead
        open(_request["started"], "w").close()
        for _ in range(1000):
            if os.path.exists(_request["go"]):
                break
            time.sleep(0.01)
    if script == "print":  # whatever the client sent, line breaks and terminal codes too
        print("the message is", _request.get("message"))
    if script == "raise":
        raise ValueError("boom")
    if script == "reject":
        return {"status_code": 401, "body": "{}", "headers": {}}
    if script == "return":  # what the request says, built from JSON: lone surrogates and line breaks too
        return _request["result"]
    return {"status_code": 200, "body": json.dumps(sorted(_request)), "headers": {"Content-Type": "application/json"}}
'''


def clean_env(**extra: str) -> dict:
    """This environment without any setting or secret variable, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CATCH_SETTING_") and k != "HRFLOW_WEBHOOK_SECRET"}
    env.update(extra)
    return env


def cli(*args, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python catch.py ARGS` and capture its output, whatever its exit status."""
    return subprocess.run([sys.executable, str(CATCH), *map(str, args)], capture_output=True, text=True,
                          timeout=60, env=env or clean_env(), check=False,
                          **({"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}))


def answer_of(result: subprocess.CompletedProcess) -> tuple[int, dict]:
    """The status code and JSON body that `send` or `run` printed (after any line the workflow printed)."""
    lines = result.stdout.splitlines()
    start = next((n for n, line in enumerate(lines) if re.fullmatch(r"HTTP \d{3}", line)), None)
    assert start is not None, result.stdout + result.stderr
    return int(lines[start][5:]), json.loads("\n".join(lines[start + 1:]))


def refusal(result: subprocess.CompletedProcess) -> str:
    """What catch.py printed on stderr when it refused to start: it exited 2 and printed nothing on stdout."""
    assert (result.returncode, result.stdout) == (2, ""), result.stdout + result.stderr
    return result.stderr


def keys_for(event_type: str) -> list:
    """The options naming the object the fake HrFlow holds for this event type's subject (profile or job)."""
    if CATALOGUE[event_type].subject.name == "profile":
        return ["--profile-key", PROFILE_KEY, "--source-key", SOURCE_KEY]
    return ["--job-key", JOB_KEY, "--board-key", BOARD_KEY]


def post(url: str, body: bytes, headers: dict, method: str = "POST") -> tuple[int, dict, str]:
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
        self.settings_file = settings_file = workdir / "settings-{}.json".format(self.port)
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
    """Start `catch.py serve FILE` with a settings dict, an environment (by default this one, cleaned) and
    options; every server still running is killed afterwards."""
    servers = []

    def start(dist_file, settings: dict, env: dict | None = None, options=()) -> Served:
        servers.append(Served(tmp_path, dist_file, settings, env or clean_env(), options))
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


@pytest.fixture
def scripted(tmp_path):
    """The scripted workflow, written to a file to serve."""
    path = tmp_path / "workflow.py"
    path.write_text(SCRIPTED)
    return path


def settings_file(tmp_path, settings: dict, name: str = "settings.json"):
    """`settings` written to a JSON file."""
    path = tmp_path / name
    path.write_text(json.dumps(settings))
    return path


def http_post(body: bytes, content_type: str = "application/json") -> bytes:
    """A complete HTTP/1.0 POST."""
    head = "POST / HTTP/1.0\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n".format(content_type, len(body))
    return head.encode("latin-1") + body


def connect(server: Served) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


def exchange(server: Served, data: bytes) -> bytes:
    """Send raw bytes and read until the server closes the connection, which it does after logging the line."""
    with connect(server) as connection:
        connection.sendall(data)
        return read_all(connection)


def read_all(connection: socket.socket) -> bytes:
    answer = b""
    while True:
        chunk = connection.recv(65536)
        if not chunk:
            return answer
        answer += chunk


def status_of(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.0 "), answer[:200]
    return int(answer[9:12])


def request_lines(server: Served) -> list[str]:
    """The server's output lines, but for those about starting and stopping; the server must have stopped."""
    assert server.process.poll() is not None, "stop the server first: a line may still be on its way"
    return [line for line in server.output().splitlines() if not line.startswith(LIFECYCLE)]


def source_tree(root, greeting: str = "hello", workflow_lines: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """A project of its own: shared/greeting.py and workflows/greet.py, which answers with the greeting it inlines.
    Returns the workflow's path and the greeting module's."""
    from build_trees import SETTINGS_MODULE, lines, write_tree  # here: a copied project's tests lack build_trees

    write_tree(root, {
        "shared/settings.py": SETTINGS_MODULE,
        "shared/greeting.py": lines('"""The greeting."""', "GREETING = {!r}".format(greeting)),
        "workflows/greet.py": lines(
            '"""Greet: answer with the greeting."""', *(workflow_lines or ("from shared.greeting import GREETING",)),
            "from shared.settings import Settings", "EVENT_TYPE = 'profile.parsing.success'", "SETTINGS = Settings()",
            "def workflow(_request, settings):", "    return {'status_code': 200, 'body': GREETING, 'headers': {}}"),
    })
    return root / "workflows" / "greet.py", root / "shared" / "greeting.py"


def built_note(source: str, dist_file: str) -> str:
    """The line saying that `source` runs built in memory, as `dist_file` would be written."""
    return ("catch: {} is a source: running it built in memory, as python build.py writes {}, the file you "
            "paste\n".format(source, dist_file))


# A workflow whose action raises inside the pipeline, the way an unexpected bug does.
BOOM = '''"""Boom: its action raises."""
from shared.actions.action import Action
from shared.core.settings import SettingsSpec
from shared.pipeline.run import run
from shared.pipeline.workflow import Workflow

EVENT_TYPE = "profile.parsing.success"


def explode(event, ctx):
    raise ValueError("the action broke, holding " + ctx.settings.text("HRFLOW_WEBHOOK_SECRET"))


WORKFLOW = Workflow("boom", {EVENT_TYPE: Action(explode, SettingsSpec(), calls=0)})
SETTINGS = WORKFLOW.settings


def workflow(_request: dict, settings: dict) -> dict:
    return run(_request, settings, WORKFLOW)
'''


def boom_source(root):
    """workflows/boom.py in a project of its own whose shared/ is this one's."""
    (root / "workflows").mkdir(parents=True)
    (root / "shared").symlink_to(ROOT / "shared", target_is_directory=True)
    (root / "workflows" / "boom.py").write_text(BOOM)
    return root / "workflows" / "boom.py"


def traceback_block(stderr: str) -> list[str]:
    """The lines of the block a command writes when the workflow wrote on stderr, its head line first."""
    output = stderr.splitlines()
    start = output.index("catch: the workflow wrote on stderr:")
    end = next((n for n in range(start + 1, len(output)) if not output[n].startswith("  ")), len(output))
    return output[start:end]
