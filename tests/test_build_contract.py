"""Tests of builder/contract.py: what a workflow must declare (its event types, from the catalogue,
its settings, its entry point and docstring), each error said with its path and line."""

from __future__ import annotations

import json

import pytest

from build_trees import WORKFLOW, assert_build_fails, cli, contract, own_workflow, shared_tree
from shared.wire.catalogue import CATALOGUE


def test_a_file_named_after_an_event_type_must_handle_exactly_it(tmp_path):
    root = shared_tree(
        tmp_path, ['"""Doc."""', "from shared.settings import Settings", *contract("job.parsing.success")]
    )
    assert_build_fails(
        root,
        f"{WORKFLOW}:3: a file named after 'profile.parsing.success' must handle exactly "
        "that event type, not ['job.parsing.success']",
    )


@pytest.mark.parametrize(
    "declaration, event_types",
    [
        ("EVENT_TYPE = 'job.storing.success'", ["job.storing.success"]),
        ("EVENT_TYPES = ('job.storing.success', 'job.storing.update')", ["job.storing.success", "job.storing.update"]),
        ("EVENT_TYPES = ()", []),
    ],
)
def test_any_snake_case_name_builds_with_the_event_types_its_code_declares(tmp_path, declaration, event_types):
    root = own_workflow(tmp_path, "team_jobs_digest2", declaration)
    assert cli(root)[0] == 0
    entry = json.loads((root / "dist" / "manifest.json").read_text())["workflows"]["team_jobs_digest2"]
    assert entry["event_types"] == event_types
    header = (root / "dist" / "team_jobs_digest2.py").read_text().split("\n")
    assert header[0] == "# My own workflow."
    assert header[2].startswith(
        "# The HrFlow Catch workflow for {}, built into one file:".format(
            {1: "'job.storing.success' events", 2: "2 event types", 0: "no event type"}[len(event_types)]
        )
    )


@pytest.mark.parametrize(
    "declaration, message",
    [
        (
            "EVENT_TYPE = 'profile.parsing.done'",
            "workflows/mine.py:3: 'profile.parsing.done' is not an event type: the catalogue has "
            "{profile,job}.{parsing,storing,searching,scoring}.{success,update,error}",
        ),
        (
            "EVENT_TYPES = ('job.storing.success', 'job.indexing.update')",
            "workflows/mine.py:3: 'job.indexing.update' is not",
        ),
        (
            "EVENT_TYPES = ('job.storing.success', 'job.storing.success')",
            "workflows/mine.py:3: EVENT_TYPES names an event type twice",
        ),
        ("EVENT_TYPES = 'job.storing.success'", "workflows/mine.py:3: EVENT_TYPES must be a tuple of str, not str"),
        ("EVENT_TYPE = ('job.storing.success',)", "workflows/mine.py:3: EVENT_TYPE must be a str, not tuple"),
        ("KIND = 'job.storing.success'", "workflows/mine.py: must declare EVENT_TYPE = '<event type>' or EVENT_TYPES"),
        ("EVENT_TYPE = EVENT_TYPES = 'job.storing.success'", "workflows/mine.py:3: must declare EVENT_TYPE"),
    ],
)
def test_declared_event_types_are_checked_against_the_catalogue_with_path_and_line(tmp_path, declaration, message):
    assert_build_fails(own_workflow(tmp_path, "mine", declaration), message)
    assert len(CATALOGUE) == 24


@pytest.mark.parametrize("name", ["MyWorkflow", "my-workflow", "2fast", "double__underscore", "trailing_"])
def test_a_file_name_that_is_not_snake_case_is_rejected(tmp_path, name):
    root = own_workflow(tmp_path, name, "EVENT_TYPE = 'job.storing.success'")
    assert_build_fails(root, f"workflows/{name}.py: the file name must be snake_case")


def test_settings_keys_must_be_tuples_of_strings(tmp_path):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.settings import Settings", *contract(settings="Settings(required=['api_key'])")],
    )
    assert_build_fails(root, f"{WORKFLOW}:4: SETTINGS.required must be a tuple of str, not list")


def test_settings_keys_that_could_break_the_header_comment_are_rejected(tmp_path):
    root = shared_tree(
        tmp_path,
        [
            '"""Doc."""',
            "from shared.settings import Settings",
            *contract(settings="Settings(required=('API_KEY\\nimport os',))"),
        ],
    )
    assert_build_fails(root, "SETTINGS.required must hold setting names")


def test_workflow_must_be_callable(tmp_path):
    root = shared_tree(tmp_path, ['"""Doc."""', "from shared.settings import Settings", *contract(), "workflow = None"])
    assert_build_fails(root, f"{WORKFLOW}:5: must define a callable 'workflow(request, settings)'")


def test_workflow_must_have_a_docstring(tmp_path):
    root = shared_tree(tmp_path, ["from shared.settings import Settings", *contract()])
    assert_build_fails(root, f"{WORKFLOW}: needs a module docstring")
