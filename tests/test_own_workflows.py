"""A workflow of the user's own, copied under a new name, started with `build.py new`, or the README's example as
printed: it builds, the built file runs alone as HrFlow runs a paste, and the README's test command stays green."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, signed_request
from dist_process import DistWorkflow

pytestmark = pytest.mark.slow


def _request(event_type):
    """A sample event of `event_type` (or of another name of one) signed as the Python SDK signs, saying its
    type in its message."""
    return signed_request(event_type, scheme="signed-request", message="{} from the test".format(event_type))


def _lint(root, *paths: str) -> str:
    """What `ruff check`, as CI runs it with the project's configuration, says of `paths`: empty when nothing."""
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", *paths], cwd=root, capture_output=True,
                          text=True)
    return done.stdout + done.stderr


def _copy_project(destination):
    for folder in ("shared", "workflows", "builder", "localcatch", "samples"):
        shutil.copytree(ROOT / folder, destination / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (destination / "tests").mkdir()
    for name in ("build.py", "pyproject.toml"):
        shutil.copy(ROOT / name, destination / name)
    for name in ("conftest.py", "catch_process.py", "build_trees.py"):  # conftest and its plugins
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
    assert _lint(root, "workflows/my_starter.py", "tests/test_my_starter.py") == ""  # it passes CI's lint too


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


def _readme_example() -> str:
    """The README's example workflow, exactly as printed under "Write your own workflow"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Write your own workflow")[1].split("```python\n")[1].split("```")[0]


def test_the_readme_worked_example_builds_and_emails_the_managers(tmp_path, settings, fake_hrflow, fake_mandrill):
    code = _readme_example()
    root = _copy_project(tmp_path / "project")
    (root / "workflows" / "managers_new_jobs.py").write_text(code, encoding="utf-8")
    assert _lint(root, "workflows/managers_new_jobs.py") == ""  # copied as printed, it passes CI's lint
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


def test_a_starter_and_the_readme_example_as_printed_leave_the_readme_test_command_green(tmp_path):
    """What the README promises whoever writes a workflow: after `build.py new` and the README's example, then
    `python build.py`, the README's test command passes, its generic tests running each workflow as it declares
    itself (its event types, its settings, a placeholder for a setting of its own)."""
    root = tmp_path / "project"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(
        ".git", "__pycache__", ".pytest_cache", ".hypothesis", ".venv*", "preview"))  # as a clone has it
    (root / "workflows" / "managers_new_jobs.py").write_text(_readme_example(), encoding="utf-8")
    for command in (["build.py", "new", "my_alert", "--event", "job.scoring.error"], ["build.py"]):
        done = subprocess.run([sys.executable, *command], cwd=root, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    pytest_command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow"]
    collected = subprocess.run(pytest_command + ["--collect-only"], cwd=root, capture_output=True, text=True,
                               timeout=300)
    for own in ("[managers_new_jobs-job.storing.success]", "[my_alert-job.scoring.error]", "tests/test_my_alert.py::"):
        assert own in collected.stdout, own
    tested = subprocess.run(pytest_command + ["-x"], cwd=root, capture_output=True, text=True, timeout=900)
    assert tested.returncode == 0, tested.stdout[-6000:] + tested.stderr[-2000:]
