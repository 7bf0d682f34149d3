"""Tests of builder/sources.py, names.py and inlining.py: what a source may hold to be inlined, and
each way it may not, said as `path:line: reason`; the names inlined modules share."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_trees import (
    SETTINGS_MODULE,
    WORKFLOW,
    assert_build_fails,
    cli,
    contract,
    lines,
    run_workflow,
    shared_tree,
    write_tree,
)


def importing_a(tmp_path: Path, **modules: str) -> Path:
    """A source tree whose workflow imports A from shared/a.py, with `modules` as the modules of its shared/."""
    return shared_tree(tmp_path, ['"""Doc."""', "from shared.a import A", *contract()], **modules)


def test_names_imported_from_shared_init_are_inlined_from_it(tmp_path):
    root = write_tree(
        tmp_path,
        {
            "shared/__init__.py": SETTINGS_MODULE,
            WORKFLOW: lines('"""Doc."""', "from shared import Settings", *contract()),
        },
    )
    assert cli(root)[0] == 0
    assert "# --- begin shared/__init__.py ---" in (root / "dist" / "profile_parsing_success.py").read_text()


def test_star_import_from_shared_is_rejected_with_path_and_line(tmp_path):
    root = shared_tree(tmp_path, ['"""Doc."""', "from shared.settings import *", *contract()])
    assert_build_fails(root, f"{WORKFLOW}:2: star import from shared.settings cannot be inlined")


def test_relative_star_import_inside_shared_is_rejected_with_path_and_line(tmp_path):
    root = shared_tree(
        tmp_path, ['"""Doc."""', "from shared.util import Settings", *contract()], util=lines("from .settings import *")
    )
    assert_build_fails(root, "shared/util.py:1: star import from .settings cannot be inlined")


@pytest.mark.parametrize("statement", ["import shared", "import shared.settings", "import shared.settings as s"])
def test_importing_a_shared_module_object_is_rejected_with_path_and_line(tmp_path, statement):
    root = shared_tree(tmp_path, ['"""Doc."""', statement, *contract()])
    assert_build_fails(root, f"{WORKFLOW}:2: '{statement}' needs a module object, which cannot be inlined")


def test_importing_a_shared_submodule_by_from_import_is_rejected_with_path_and_line(tmp_path):
    root = shared_tree(
        tmp_path, ['"""Doc."""', "from shared import settings", *contract()], __init__=lines('"""Package."""')
    )
    assert_build_fails(root, f"{WORKFLOW}:2: 'settings' is the module shared/settings, which cannot be inlined")


@pytest.mark.parametrize(
    "block, scope",
    [
        (["def helper():", "    from shared.settings import Settings"], "function 'helper'"),
        (["class Helper:", "    from shared.settings import Settings"], "class 'Helper'"),
        (["if True:", "    from shared.settings import Settings"], "'if' statement"),
        (["try:", "    import shared.settings", "except ImportError:", "    pass"], "'try' statement"),
    ],
)
def test_shared_import_below_the_top_level_is_rejected_with_path_and_line(tmp_path, block, scope):
    root = shared_tree(tmp_path, ['"""Doc."""', *block, *contract()])
    assert_build_fails(root, f"{WORKFLOW}:3: import from shared inside {scope} cannot be inlined")


def test_lazy_shared_import_inside_a_shared_function_is_rejected(tmp_path):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.util import helper", *contract()],
        util=lines("def helper():", "    from .settings import Settings", "    return Settings"),
    )
    assert_build_fails(root, "shared/util.py:2: import from shared inside function 'helper' cannot be inlined")


def test_circular_import_is_rejected_with_the_chain(tmp_path):
    root = importing_a(tmp_path, a=lines("from shared.b import B", "A = 1"),
                       b=lines('"""B."""', "from .a import A", "B = 2"))
    assert_build_fails(root, "shared/b.py:2: circular import: shared/a.py -> shared/b.py -> shared/a.py")


def test_module_importing_itself_is_a_circular_import(tmp_path):
    root = importing_a(tmp_path, a=lines("A = 1", "from shared.a import A"))
    assert_build_fails(root, "shared/a.py:2: circular import: shared/a.py -> shared/a.py")


def test_relative_import_escaping_shared_is_rejected_with_path_and_line(tmp_path):
    root = importing_a(tmp_path, a=lines('"""A."""', "from ..settings import Settings", "A = 1"))
    assert_build_fails(root, "shared/a.py:2: relative import '..settings' resolves outside shared/")


def test_relative_import_in_a_workflow_is_rejected_as_outside_shared(tmp_path):
    root = shared_tree(tmp_path, ['"""Doc."""', "from .helpers import Settings", *contract()])
    assert_build_fails(root, f"{WORKFLOW}:2: relative import '.helpers' resolves outside shared/")


def test_missing_shared_module_is_rejected_with_path_and_line(tmp_path):
    root = shared_tree(tmp_path, ['"""Doc."""', "", "from shared.nowhere import Settings", *contract()])
    assert_build_fails(
        root,
        f"{WORKFLOW}:3: no module shared.nowhere (looked for shared/nowhere.py and shared/nowhere/__init__.py)",
    )


def test_importing_a_name_the_module_does_not_define_at_top_level_is_rejected(tmp_path):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.a import inner", *contract()],
        a=lines("def outer():", "    inner = 1", "    return inner"),
    )
    assert_build_fails(root, f"{WORKFLOW}:2: shared/a.py does not define 'inner' at top level")


def test_shared_import_sharing_its_line_with_another_statement_is_rejected(tmp_path):
    root = shared_tree(tmp_path, ['"""Doc."""', "from shared.settings import Settings; import os", *contract()])
    assert_build_fails(root, f"{WORKFLOW}:2: statement shares its line with another")


def test_syntax_newer_than_python_3_9_is_rejected_in_the_source(tmp_path):
    root = importing_a(tmp_path, a=lines("A = 1", "match A:", "    case 1:", "        pass"))
    status, _, err = cli(root)
    assert status == 1 and re.match(r"shared/a.py:\d+: not valid Python 3.9: ", err), err


def test_all_errors_leave_dist_unwritten(tmp_path):
    root = shared_tree(tmp_path, ['"""Doc."""', "from shared.settings import *", *contract()])
    status, _, err = cli(root)
    assert status == 1 and err.endswith("build failed, nothing written\n")
    assert not (root / "dist").exists()


# --- the names inlined modules share --------------------------------------------------------------


def test_name_bound_in_two_inlined_modules_is_rejected_with_both_places(tmp_path):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.a import A", "from shared.b import B", *contract()],
        a=lines("def helper():", "    return 1", "A = helper()"),
        b=lines("import json", "helper = json.dumps", "B = helper(2)"),
    )
    assert_build_fails(root, "shared/b.py:2: name 'helper' is already bound at shared/a.py:1")


def test_name_bound_in_a_module_and_the_workflow_is_rejected_with_both_places(tmp_path):
    root = shared_tree(
        tmp_path, ['"""Doc."""', "from shared.settings import Settings", *contract(), "class Settings:", "    pass"]
    )
    assert_build_fails(root, f"{WORKFLOW}:7: name 'Settings' is already bound at shared/settings.py:2")


def test_alias_clashing_with_a_name_of_another_module_is_rejected(tmp_path):
    root = shared_tree(
        tmp_path,
        [
            '"""Doc."""',
            "from shared.settings import Settings as helper",
            "from shared.a import A",
            *contract("profile.parsing.success", "helper()"),
        ],
        a=lines("def helper():", "    return 1", "A = 1"),
    )
    assert_build_fails(root, f"{WORKFLOW}:2: name 'helper' is already bound at shared/a.py:1")


def test_the_same_import_in_two_modules_is_no_clash(tmp_path):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "import os.path", "from shared.a import A", "from shared.settings import Settings", *contract()],
        a=lines("import os", "from os import path", "A = os.sep"),
    )
    status, _, err = cli(root)
    assert (status, err) == (0, "")


def test_a_top_level_name_shadowing_a_builtin_is_rejected(tmp_path):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.settings import Settings", "from shared.util import x", *contract()],
        util=lines("def sorted(items):", "    return 'shadowed'", "x = 1"),
    )
    assert_build_fails(root, "shared/util.py:1: name 'sorted' is a built-in")


def test_a_global_declared_in_a_function_counts_as_a_top_level_binding(tmp_path):
    root = shared_tree(
        tmp_path,
        [
            '"""Doc."""',
            "from shared.settings import Settings",
            "from shared.a import f",
            "from shared.b import g",
            *contract(),
        ],
        a=lines("LIMIT = 1", "def f():", "    return LIMIT"),
        b=lines("def g():", "    global LIMIT", "    LIMIT = 2"),
    )
    assert_build_fails(root, "name 'LIMIT' is already bound at shared/a.py:1")


@pytest.mark.slow
def test_a_definition_nothing_names_still_acts_in_the_built_file(tmp_path):
    """A decorator that registers, or an `__init_subclass__`, acts when the definition runs, so the
    built file keeps every definition of what it inlines and answers as its sources do."""
    root = write_tree(
        tmp_path,
        {
            "shared/registry.py": lines(
                "HANDLERS = []",
                "KINDS = []",
                "def handler(function):",
                "    HANDLERS.append(function.__name__)",
                "    return function",
                "@handler",
                "def on_event():",
                "    pass",
                "class Kind:",
                "    def __init_subclass__(cls, **kwargs):",
                "        super().__init_subclass__(**kwargs)",
                "        KINDS.append(cls.__name__)",
                "class JobKind(Kind):",
                "    pass",
            ),
            WORKFLOW: lines(
                '"""Report what registered itself."""',
                "from shared.registry import HANDLERS, KINDS",
                'EVENT_TYPE = "profile.parsing.success"',
                "class Settings:",
                "    required = optional = ()",
                "SETTINGS = Settings()",
                "def workflow(_request, settings):",
                '    return {"handlers": HANDLERS, "kinds": KINDS}',
            ),
        },
    )
    assert cli(root)[0] == 0
    built = run_workflow(root / "dist" / "profile_parsing_success.py", tmp_path, {}, {})
    unbuilt = run_workflow(root / WORKFLOW, root, {}, {}, root)
    assert built["result"] == unbuilt["result"] == {"handlers": ["on_event"], "kinds": ["JobKind"]}
