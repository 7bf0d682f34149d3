"""What every benchmark needs: the repository on sys.path, dist files loaded as Catch loads them,
a null stdout, and the tests' fake HrFlow and Mandrill servers (`localcatch/fakes/`)
with settings pointing at them."""
from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Importable only now that the repository is on sys.path.
from localcatch import loading  # noqa: E402, I001
from localcatch.fakes import FakeHrflow, FakeMandrill, hrflow_key  # noqa: E402
from payloads import SECRET  # noqa: E402
from timing import child_env  # noqa: E402

API_SECRET = "askw-bench-51d2e8"
API_USER = "integrations@acme.example"
MANDRILL_TOKEN = "md-bench-0b6e44"
PROFILE_KEY, SOURCE_KEY = hrflow_key("bench-profile"), hrflow_key("bench-source")
JOB_KEY, BOARD_KEY = hrflow_key("bench-job"), hrflow_key("bench-board")
AGENT_KEY = hrflow_key("bench-agent")
# Where the workflows send nothing: rows without handler I/O never reach these.
UNREACHABLE = {"HRFLOW_API_URL": "http://127.0.0.1:9/v1/", "MANDRILL_API_URL": "http://127.0.0.1:9/api/1.3"}


def load_dist(path: Path) -> dict:
    """A dist file's namespace, loaded as Catch runs what is pasted (`localcatch.loading`)."""
    return loading.load(str(path))


def child_result(command: list[str], stdin: str | None = None) -> dict:
    """Run a child program (not timed) and return the JSON of the one line it prints after
    `loading.RESULT_PREFIX`."""
    completed = subprocess.run(command, input=stdin, env=child_env(), capture_output=True, text=True, check=True)
    line = next(line for line in completed.stdout.splitlines() if line.startswith(loading.RESULT_PREFIX))
    return json.loads(line[len(loading.RESULT_PREFIX):])


def dist_file(dist: Path, event_type: str) -> Path:
    return dist / (event_type.replace(".", "_") + ".py")


class NullSink:
    """A stdout that drops what the workflows log (one line per execution), at almost no cost."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


@contextlib.contextmanager
def quiet():
    """Send stdout to a `NullSink` for the duration."""
    saved, sys.stdout = sys.stdout, NullSink()
    try:
        yield
    finally:
        sys.stdout = saved


def settings(hrflow_url: str = UNREACHABLE["HRFLOW_API_URL"],
             mandrill_url: str = UNREACHABLE["MANDRILL_API_URL"]) -> dict:
    """Complete settings for every workflow, as the tests' fixture builds them."""
    return {
        "HRFLOW_WEBHOOK_SECRET": SECRET,
        "HRFLOW_API_SECRET": API_SECRET,
        "HRFLOW_API_USER": API_USER,
        "MANDRILL_API_TOKEN": MANDRILL_TOKEN,
        "HRFLOW_API_URL": hrflow_url,
        "MANDRILL_API_URL": mandrill_url,
        "NOTIFY_EMAIL": "talent-team@acme.example",
        "ALERT_EMAIL": "oncall@acme.example",
        "SCORING_ALGORITHM_KEY": AGENT_KEY,
        "SCORING_BOARD_KEYS": BOARD_KEY,
        "SCORING_SOURCE_KEYS": SOURCE_KEY,
        "HTTP_TIMEOUT_SECONDS": "5",
        "EXECUTION_BUDGET_SECONDS": "20",
    }


class _Timed:
    """Mixin for the fakes: adds up the seconds spent handling requests (server side)."""

    handling_seconds = 0.0

    def _dispatch(self, handler):
        started = time.perf_counter()
        try:
            super()._dispatch(handler)
        finally:
            self.handling_seconds += time.perf_counter() - started


class TimedHrflow(_Timed, FakeHrflow):
    pass


class TimedMandrill(_Timed, FakeMandrill):
    pass


@contextlib.contextmanager
def fake_servers():
    """The fakes, seeded as in tests/conftest.py, and settings that point at them."""
    with TimedHrflow(api_secret=API_SECRET, api_user=API_USER) as hrflow, \
            TimedMandrill(api_key=MANDRILL_TOKEN) as mandrill:
        hrflow.hold_scoring_samples(PROFILE_KEY, SOURCE_KEY, JOB_KEY, BOARD_KEY)
        yield hrflow, mandrill, settings(hrflow.url, mandrill.url)
