"""Each part of a built file checked (Python 3.9, nothing imported from shared) and compiled once, and
the parts run in order, as the file would run, for the build to read what the workflow declares."""
from __future__ import annotations
import __future__

import ast
import functools
import sys
import types

from builder.errors import BuildError
from builder.sources import TARGET_PYTHON, nested_statements, touches_shared


def compile_part(path: str, code: str, futures: list[str],
                 cache: dict[tuple[str, tuple[str, ...]], types.CodeType]) -> types.CodeType:
    """Check one part of a built file and compile it, once per text: it must parse as Python 3.9
    and import nothing from shared, at any depth.

    A built file is these parts, whole top-level statements joined by comments
    and blank lines, so checking each part checks the file, and running the
    parts in order in one namespace runs the file.
    """
    key = (code, tuple(futures))
    if key not in cache:
        try:
            tree = ast.parse(code, path, feature_version=TARGET_PYTHON)
        except SyntaxError as exc:
            raise BuildError(path, exc.lineno, f"built code is not valid Python 3.9: {exc.msg}") from None
        for node in (node for stmt in tree.body for node in [stmt, *nested_statements(stmt)]):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and touches_shared(node):
                raise BuildError(path, node.lineno, "built code still imports from shared")
        flags = functools.reduce(lambda total, name: total | getattr(__future__, name).compiler_flag, futures, 0)
        cache[key] = compile(tree, f"<built {path}>", "exec", flags=flags, dont_inherit=True)
    return cache[key]


def load_namespace(path: str, codes: list[types.CodeType]) -> dict[str, object]:
    """Run the built file's parts as one throwaway module named ``catch_workflow``."""
    module = types.ModuleType("catch_workflow")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    try:
        for code in codes:
            exec(code, module.__dict__)
    except Exception as exc:  # whatever the workflow's code raises is reported
        raise BuildError(path, None, f"cannot load built workflow: {type(exc).__name__}: {exc}") from None
    finally:
        sys.modules.pop(module.__name__, None)
    return module.__dict__
