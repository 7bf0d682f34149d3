"""`dist/all_events.py`, one workflow for every event type, alone in a fresh interpreter with the real SDKs:
each event type gets exactly what its own workflow does; settings are checked per event; chosen types
can be switched off; and workflows of the user's own build and run."""

import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, signed_request
from dist_process import DistWorkflow
from shared.wire.catalogue import ALIASES, CATALOGUE

pytestmark = pytest.mark.slow

DIST = ROOT / "dist"
SCORING_KEYS = ("SCORING_ALGORITHM_KEY", "SCORING_BOARD_KEYS", "SCORING_SOURCE_KEYS")


def _request(event_type):
    """A sample event of `event_type` (or of another name of one) signed as the Python SDK signs, saying its
    type in its message."""
    return signed_request(event_type, scheme="signed-request", message="{} from the test".format(event_type))


def _what_was_done(fake_hrflow, fake_mandrill, since):
    reads = [(r["method"], r["path"], sorted(r["query"].items())) for r in fake_hrflow.requests[since[0] :]]
    emails = [(r["path"], r["message"]) for r in fake_mandrill.sent[since[1] :]]
    return reads, emails


@pytest.fixture(scope="module")
def all_events(tmp_path_factory):
    run = DistWorkflow(DIST / "all_events.py", tmp_path_factory.mktemp("all_events"))
    yield run
    run.close()


@pytest.mark.parametrize("event_type", sorted(CATALOGUE))
def test_each_event_type_gets_exactly_what_its_own_workflow_does(
    event_type, all_events, settings, fake_hrflow, fake_mandrill, tmp_path
):
    own = DistWorkflow(DIST / (event_type.replace(".", "_") + ".py"), tmp_path)
    try:
        since = (fake_hrflow.request_count, len(fake_mandrill.sent))
        expected = own.call(_request(event_type), dict(settings))
        expected_work = _what_was_done(fake_hrflow, fake_mandrill, since)
        since = (fake_hrflow.request_count, len(fake_mandrill.sent))
        response = all_events.call(_request(event_type), dict(settings))
        assert response == expected and json.loads(response["body"])["status"] == "ok"
        assert _what_was_done(fake_hrflow, fake_mandrill, since) == expected_work
        assert len(expected_work[1]) == 1
    finally:
        own.close()


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_an_alias_is_handled_by_its_canonical_type_and_answered_as_received(alias, all_events, settings, fake_mandrill):
    body = json.loads(all_events.call(_request(alias), dict(settings))["body"])
    assert (body["status"], body["event"]) == ("ok", alias)
    assert ALIASES[alias][0] in fake_mandrill.sent[-1]["message"]["subject"]


def test_settings_are_checked_when_the_event_that_needs_them_arrives(all_events, settings, fake_hrflow, fake_mandrill):
    without_scoring = {key: value for key, value in settings.items() if key not in SCORING_KEYS}
    notified = json.loads(all_events.call(_request("profile.storing.update"), dict(without_scoring))["body"])
    assert notified["status"] == "ok"
    calls = (fake_hrflow.request_count, fake_mandrill.request_count)
    response = all_events.call(_request("profile.scoring.success"), dict(without_scoring))
    body = json.loads(response["body"])
    assert (response["status_code"], body["reason"]) == (
        500,
        "Missing or empty setting: SCORING_ALGORITHM_KEY, SCORING_BOARD_KEYS.",
    )
    assert (fake_hrflow.request_count, fake_mandrill.request_count) == calls
    alert_only = {
        key: settings[key]
        for key in ("HRFLOW_WEBHOOK_SECRET", "MANDRILL_API_TOKEN", "MANDRILL_API_URL", "ALERT_EMAIL", "HRFLOW_API_USER")
    }
    assert json.loads(all_events.call(_request("job.storing.error"), alert_only)["body"])["status"] == "ok"


def test_switched_off_event_types_are_skipped_without_any_call(all_events, settings, fake_hrflow, fake_mandrill):
    switched = dict(settings, DISABLED_EVENTS="profile.storing.update, job.indexing.success")
    calls = (fake_hrflow.request_count, fake_mandrill.request_count)
    for event_type in ("profile.storing.update", "job.storing.success", "job.indexing.success"):
        body = json.loads(all_events.call(_request(event_type), dict(switched))["body"])
        assert (body["status"], body["reason"]) == (
            "skipped",
            "{} events are switched off by DISABLED_EVENTS.".format(event_type),
        )
    assert (fake_hrflow.request_count, fake_mandrill.request_count) == calls
    assert json.loads(all_events.call(_request("profile.storing.success"), dict(switched))["body"])["status"] == "ok"


def test_a_switched_off_name_that_is_no_event_type_is_a_configuration_error(all_events, settings, fake_mandrill):
    response = all_events.call(_request("job.storing.error"), dict(settings, DISABLED_EVENTS="job.storing.eror"))
    body = json.loads(response["body"])
    assert (response["status_code"], body["status"]) == (500, "failed")
    assert "DISABLED_EVENTS" in body["reason"] and "eror" not in body["reason"]
    assert fake_mandrill.request_count == 0


def _copy_project(destination):
    for folder in ("shared", "workflows", "builder", "localcatch", "samples"):
        shutil.copytree(ROOT / folder, destination / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (destination / "tests").mkdir()
    for name in ("build.py", "pyproject.toml"):
        shutil.copy(ROOT / name, destination / name)
    for name in ("conftest.py", "catch_process.py"):
        shutil.copy(ROOT / "tests" / name, destination / "tests" / name)
    return destination


def test_a_copied_workflow_under_a_new_name_builds_and_runs_as_it_is(tmp_path, settings, fake_hrflow, fake_mandrill):
    root = _copy_project(tmp_path / "project")
    shutil.copy(root / "workflows" / "job_storing_success.py", root / "workflows" / "managers_new_jobs.py")
    built = subprocess.run([sys.executable, "build.py", "managers_new_jobs"], cwd=root, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    manifest = json.loads((root / "dist" / "manifest.json").read_text())["workflows"]["managers_new_jobs"]
    assert manifest["event_types"] == ["job.storing.success"]
    run = DistWorkflow(root / "dist" / "managers_new_jobs.py", tmp_path)
    try:
        body = json.loads(run.call(_request("job.storing.success"), dict(settings))["body"])
        assert body["status"] == "ok" and len(fake_mandrill.sent) == 1
    finally:
        run.close()


@pytest.mark.parametrize(
    "event_type, action",
    [
        ("job.storing.success", None),
        ("profile.parsing.success", None),
        ("job.scoring.success", None),
        ("profile.scoring.error", "alert"),
        ("profile.scoring.success", "notify"),
    ],
)
def test_build_new_writes_a_starter_that_builds_and_passes_its_generated_test(tmp_path, event_type, action):
    root = _copy_project(tmp_path / "project")
    command = [sys.executable, "build.py", "new", "my_starter", "--event", event_type] + (
        ["--action", action] if action else []
    )
    written = subprocess.run(command, cwd=root, capture_output=True, text=True)
    assert written.returncode == 0, written.stderr
    assert "wrote workflows/my_starter.py" in written.stdout and "wrote tests/test_my_starter.py" in written.stdout
    again = subprocess.run(command, cwd=root, capture_output=True, text=True)
    assert again.returncode == 1 and "already exists; nothing is written over it" in again.stderr
    built = subprocess.run([sys.executable, "build.py", "my_starter"], cwd=root, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_my_starter.py"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert tested.returncode == 0 and "2 passed" in tested.stdout, tested.stdout + tested.stderr


def test_build_new_refuses_a_name_that_is_not_snake_case(tmp_path):
    root = _copy_project(tmp_path / "project")
    done = subprocess.run(
        [sys.executable, "build.py", "new", "My-Workflow", "--event", "job.storing.success"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "snake_case" in done.stderr
    assert not (root / "workflows" / "My-Workflow.py").exists()


def test_out_writes_the_very_bytes_of_dist(tmp_path):
    done = subprocess.run(
        [sys.executable, "build.py", "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == {
        path.name: path.read_bytes() for path in DIST.iterdir()
    }


def test_the_readme_worked_example_builds_and_emails_the_managers(tmp_path, settings, fake_hrflow, fake_mandrill):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("## Write your own workflow")[1].split("```python\n")[1].split("```")[0]
    root = _copy_project(tmp_path / "project")
    (root / "workflows" / "managers_new_jobs.py").write_text(code, encoding="utf-8")
    built = subprocess.run([sys.executable, "build.py", "managers_new_jobs"], cwd=root, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    run = DistWorkflow(root / "dist" / "managers_new_jobs.py", tmp_path)
    try:
        missing = json.loads(run.call(_request("job.storing.success"), dict(settings))["body"])
        assert (missing["status"], missing["reason"]) == ("failed", "Missing or empty setting: MANAGERS_EMAIL.")
        body = json.loads(
            run.call(
                _request("job.storing.success"), dict(settings, MANAGERS_EMAIL="cto@acme.example, vp@acme.example")
            )["body"]
        )
        assert body["status"] == "ok"
        message = fake_mandrill.sent[-1]["message"]
        assert [to["email"] for to in message["to"]] == ["cto@acme.example", "vp@acme.example"]
        assert message["subject"] == "New opening to staff: Data Engineer"
    finally:
        run.close()
