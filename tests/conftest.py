"""Fixtures shared by the tests: local fake HrFlow and Mandrill servers and the settings that point at them;
catch.py run as users run it, with its own fixtures, is in catch_process.py."""

import importlib
import json
import subprocess
import threading
from pathlib import Path

import pytest

from localcatch.fakes import FakeHrflow, FakeMandrill, hrflow_key, sample_job, sample_profile
from localcatch.samples import catch_request, sample_event
from shared.wire.catalogue import CATALOGUE, canonical_type

# catch.py run as users run it, with the fixtures dist, serve, throwaway and scripted.
pytest_plugins = ["catch_process"]

ROOT = Path(__file__).resolve().parent.parent
WEBHOOK_SECRET = "whsec-test-7f3a9c"
API_SECRET = "askw-test-51d2e8"
API_USER = "integrations@acme.example"
MANDRILL_TOKEN = "md-test-0b6e44"
PROFILE_KEY = hrflow_key("profile")
SOURCE_KEY = hrflow_key("source")
JOB_KEY = hrflow_key("job")
BOARD_KEY = hrflow_key("board")
AGENT_KEY = hrflow_key("agent")


def event_workflows() -> "list[str]":
    """The workflows of workflows/ that handle one event type each (not the probe, not all_events)."""
    stems = sorted(path.stem for path in (ROOT / "workflows").glob("[!_]*.py"))
    return [
        stem
        for stem in stems
        if isinstance(getattr(importlib.import_module("workflows." + stem), "EVENT_TYPE", None), str)
    ]


@pytest.fixture(autouse=True)
def _only_slow_tests_start_processes(request, monkeypatch):
    """A test that starts a process must be marked slow (pyproject.toml), so that the default run stays fast:
    in any other, starting one fails the test, saying so."""
    if request.node.get_closest_marker("slow") is None:

        def refuse(*args, **kwargs):
            pytest.fail("{} starts a process: mark it @pytest.mark.slow".format(request.node.nodeid), pytrace=False)

        monkeypatch.setattr(subprocess, "Popen", refuse)


_STOPPING: "list[threading.Thread]" = []


def _stop_in_the_background(fake: "FakeHrflow | FakeMandrill") -> None:
    """Stop a fake without waiting for its serving loop to notice (up to its 50 ms poll interval, for each of the two
    fakes of each test: most of the default run's time otherwise). The next test's fakes listen on other ports, and
    the session waits for every fake to have stopped before it ends."""
    stopping = threading.Thread(target=fake.stop, daemon=True)
    stopping.start()
    _STOPPING.append(stopping)


@pytest.fixture(scope="session", autouse=True)
def _every_fake_stopped():
    yield
    for stopping in _STOPPING:
        stopping.join()


@pytest.fixture
def fake_hrflow():
    """A fake HrFlow API holding one profile and one job that score against each other."""
    fake = FakeHrflow(api_secret=API_SECRET, api_user=API_USER).start()
    profile = fake.add_profile(sample_profile(PROFILE_KEY, SOURCE_KEY))
    job = fake.add_job(sample_job(JOB_KEY, BOARD_KEY))
    other_job = fake.add_job(sample_job(hrflow_key("job2"), BOARD_KEY, name="Platform Engineer"))
    fake.set_job_scoring([(job, 0.91), (other_job, 0.42)])
    fake.set_profile_scoring([(profile, 0.77)])
    yield fake
    _stop_in_the_background(fake)


@pytest.fixture
def fake_mandrill():
    fake = FakeMandrill(api_key=MANDRILL_TOKEN).start()
    yield fake
    _stop_in_the_background(fake)


@pytest.fixture
def settings(fake_hrflow, fake_mandrill):
    """Complete settings for every workflow, pointing at the fake servers."""
    return settings_for(fake_hrflow, fake_mandrill)


def settings_for(hrflow: FakeHrflow, mandrill: FakeMandrill) -> dict:
    """Complete settings for every workflow, pointing at these fake servers."""
    return {
        "HRFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "HRFLOW_API_SECRET": API_SECRET,
        "HRFLOW_API_USER": API_USER,
        "MANDRILL_API_TOKEN": MANDRILL_TOKEN,
        "HRFLOW_API_URL": hrflow.url,
        "MANDRILL_API_URL": mandrill.url,
        "NOTIFY_EMAIL": "talent-team@acme.example",
        "ALERT_EMAIL": "oncall@acme.example",
        "SCORING_ALGORITHM_KEY": AGENT_KEY,
        "SCORING_BOARD_KEYS": BOARD_KEY,
        "SCORING_SOURCE_KEYS": SOURCE_KEY,
        "HTTP_TIMEOUT_SECONDS": "2",
        "EXECUTION_BUDGET_SECONDS": "8",
    }


def signed_request(event_type: str, secret: str = WEBHOOK_SECRET, scheme: str = "form-json", **event) -> dict:
    """A sample event of `event_type` (or of one of its other names), signed by `scheme` as HrFlow signs it and
    handed over as Catch hands it to a workflow: about the fakes' profile or job unless `event` says otherwise
    (key, container_key, message)."""
    profile = CATALOGUE[canonical_type(event_type)].subject.name == "profile"
    event.setdefault("key", PROFILE_KEY if profile else JOB_KEY)
    event.setdefault("container_key", SOURCE_KEY if profile else BOARD_KEY)
    fields = sample_event(canonical_type(event_type), **event)
    fields["type"] = event_type
    return catch_request(fields, secret, scheme)


def deliver(event_type: str, settings: dict, workflow: "str | None" = None, **event) -> "tuple[int, dict]":
    """Send a signed sample event of `event_type` (about the fakes' profile or job unless `event` says
    otherwise: key, container_key, message, secret, scheme) to `workflow` (by default the one of its event
    type), as Catch would; the status code and the parsed body."""
    module = importlib.import_module("workflows." + (workflow or event_type.replace(".", "_")))
    response = module.workflow(signed_request(event_type, **event), settings)
    return response["status_code"], json.loads(response["body"])


def recipients(sent: dict) -> "list[str]":
    """The addresses a message captured by the fake Mandrill went to."""
    return [to["email"] for to in sent["message"]["to"]]
