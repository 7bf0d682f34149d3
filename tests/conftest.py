"""Fixtures shared by the tests: local fake HrFlow and Mandrill servers and the settings that point at them; the
one way to hand a workflow a signed sample event (`signed_request`, `deliver`); the workflows of workflows/ as
each declares itself, for the tests that hold every workflow to something; and the slow marker's guard. catch.py
run as users run it, with its own fixtures, is in catch_process.py."""
from __future__ import annotations

import importlib
import json
import subprocess
import threading
from pathlib import Path

import pytest

from localcatch.fakes import FakeHrflow, FakeMandrill, hrflow_key, sample_profile
from localcatch.samples import catch_request, sample_event
from shared.wire.catalogue import CATALOGUE, canonical_type

# catch.py run as users run it, with the fixtures dist, serve, throwaway and scripted; and the build's source
# trees, with the fixture built_happy.
pytest_plugins = ["catch_process", "build_trees"]

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


def workflow_names() -> list[str]:
    """Every workflow of workflows/, by the name of its file: those bundled and any the user added."""
    return sorted(path.stem for path in (ROOT / "workflows").glob("[!_]*.py"))


def bundled_workflows() -> list[str]:
    """The workflows this project ships: one per event type of the catalogue, all_events and the probe. A user's
    own (from `build.py new`, or the README's example) are not among them."""
    return sorted([event_type.replace(".", "_") for event_type in CATALOGUE] + ["all_events", "catch_probe"])


def event_types_of(module) -> tuple[str, ...]:
    """The event types a workflow declares it handles, as it declares them: its EVENT_TYPE, or its EVENT_TYPES."""
    declared = getattr(module, "EVENT_TYPE", None)
    return (declared,) if isinstance(declared, str) else tuple(getattr(module, "EVENT_TYPES", ()))


def workflow_events() -> list[tuple[str, str]]:
    """Each workflow of workflows/ with each event type it declares (the probe declares none)."""
    return [(name, event_type) for name in workflow_names()
            for event_type in event_types_of(importlib.import_module("workflows." + name))]


def settings_spec_of(module, event_type: str):
    """The settings a workflow declares it needs for `event_type`: its SETTINGS_BY_EVENT's, else its SETTINGS."""
    return getattr(module, "SETTINGS_BY_EVENT", {}).get(event_type, module.SETTINGS)


def placeholder(key: str) -> str:
    """A value for a setting the fixtures do not know, that passes the check its name implies: an address for a
    key ending in _EMAIL (a list of addresses, as NOTIFY_EMAIL), else a word."""
    if key.endswith("_EMAIL"):
        return "{}@acme.example".format(key.lower().replace("_", "-"))
    return "placeholder"


def with_placeholders(settings: dict, module, event_type: str) -> dict:
    """`settings`, with a placeholder for each setting the workflow requires for `event_type` that they lack: a
    user's own, such as the README example's MANAGERS_EMAIL (and the first of a group none of which is set)."""
    spec = settings_spec_of(module, event_type)
    missing = [key for key in spec.required if key not in settings]
    missing += [group[0] for group in spec.one_of if not any(key in settings for key in group)]
    return dict(settings, **{key: placeholder(key) for key in missing})


@pytest.fixture(autouse=True)
def _only_slow_tests_start_processes(request, monkeypatch):
    """A test that starts a process must be marked slow (pyproject.toml), so that the default run stays fast:
    in any other, starting one fails the test, saying so."""
    if request.node.get_closest_marker("slow") is None:

        def refuse(*args, **kwargs):
            pytest.fail("{} starts a process: mark it @pytest.mark.slow".format(request.node.nodeid), pytrace=False)

        monkeypatch.setattr(subprocess, "Popen", refuse)


_STOPPING: list[threading.Thread] = []


def _stop_in_the_background(fake: FakeHrflow | FakeMandrill) -> None:
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
    fake.hold_scoring_samples(PROFILE_KEY, SOURCE_KEY, JOB_KEY, BOARD_KEY)
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


def deliver(event_type: str, settings: dict, workflow: str | None = None, **event) -> tuple[int, dict]:
    """Send a signed sample event of `event_type` (about the fakes' profile or job unless `event` says
    otherwise: key, container_key, message, secret, scheme) to `workflow` (by default the one of its event
    type), as Catch would; the status code and the parsed body."""
    module = importlib.import_module("workflows." + (workflow or event_type.replace(".", "_")))
    response = module.workflow(signed_request(event_type, **event), settings)
    return response["status_code"], json.loads(response["body"])


def store_profile(fake_hrflow: FakeHrflow, key: str = PROFILE_KEY, **info) -> str:
    """Store the sample profile in the fake HrFlow under `key` (by default the fakes' own profile's, which it
    replaces), with `info` over its info (first_name, email, ...); the key."""
    profile = sample_profile(key, SOURCE_KEY)
    profile["info"].update(info)
    fake_hrflow.add_profile(profile)
    return key


def recipients(sent: dict) -> list[str]:
    """The addresses a message captured by the fake Mandrill went to."""
    return [to["email"] for to in sent["message"]["to"]]
