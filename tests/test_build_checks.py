"""Tests of builder/checks.py: each part of a built file checked once, then the whole file loaded as
Catch loads a paste (localcatch/loading.py), whatever fails said where."""

from __future__ import annotations

import pytest

from build_trees import WORKFLOW, assert_build_fails, contract, shared_tree
from builder.checks import check_part
from builder.errors import BuildError


@pytest.mark.parametrize(
    "text, reason",
    [
        ("import shared.settings\n", "shared/x.py:1: built code still imports from shared"),
        ("from . import settings\n", "shared/x.py:1: built code still imports from shared"),
        ("def f():\n    from shared.x import y\n", "shared/x.py:2: built code still imports from shared"),
        ("x = 1\nmatch x:\n    case 1:\n        pass\n", r"shared/x.py:\d+: built code is not valid Python 3.9"),
    ],
)
def test_output_check_rejects_shared_imports_and_newer_syntax(text, reason):
    checked: set[str] = set()
    with pytest.raises(BuildError, match=reason):
        check_part("shared/x.py", text, checked)
    assert checked == set()


def test_a_part_is_checked_once_however_many_workflows_inline_it():
    checked: set[str] = set()
    check_part("shared/x.py", "x = 1\n", checked)
    assert checked == {"x = 1\n"}
    check_part("shared/x.py", "x = 1\n", checked)
    assert checked == {"x = 1\n"}


def test_the_built_file_is_compiled_without_the_build_own_future_flags(tmp_path):
    """The builder's modules postpone their annotations; a built file that does not must evaluate its own."""
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.settings import Settings", "def f(a: undefined_name):", "    pass", *contract()],
    )
    assert_build_fails(root, f"{WORKFLOW}: cannot load built workflow: NameError: name 'undefined_name'")


def test_the_built_file_is_compiled_whole_and_what_only_that_finds_is_reported(tmp_path):
    root = shared_tree(tmp_path, ['"""Doc."""', "from shared.settings import Settings", "return 1", *contract()])
    assert_build_fails(root, f"{WORKFLOW}: built code does not compile: 'return' outside function")


def test_workflow_failing_to_load_is_reported(tmp_path):
    root = shared_tree(
        tmp_path,
        [
            '"""Doc."""',
            "from shared.settings import Settings",
            "raise RuntimeError('no network at build time')",
            *contract(),
        ],
    )
    assert_build_fails(root, f"{WORKFLOW}: cannot load built workflow: RuntimeError: no network at build time")
