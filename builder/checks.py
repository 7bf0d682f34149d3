"""A built file checked, each of its parts once (Python 3.9, nothing imported from shared), then loaded
as Catch loads what is pasted, by `localcatch/loading.py`, for the build to read what it declares."""
from __future__ import annotations

import ast

from builder.errors import BuildError
from builder.sources import TARGET_PYTHON, shared_imports
from localcatch import loading


def check_part(path: str, code: str, checked: set[str]) -> None:
    """Check one part of a built file, once per text (``checked`` holds those already checked): it must
    parse as Python 3.9 and import nothing from shared, at any depth.

    A built file is these parts, whole top-level statements joined by comments
    and blank lines, so checking each part checks the file, and an error names
    the source the part comes from.
    """
    if code in checked:
        return
    try:
        tree = ast.parse(code, path, feature_version=TARGET_PYTHON)
    except SyntaxError as exc:
        raise BuildError(path, exc.lineno, f"built code is not valid Python 3.9: {exc.msg}") from None
    for _, node in shared_imports(tree):
        raise BuildError(path, node.lineno, "built code still imports from shared")
    checked.add(code)


def load(path: str, text: str) -> dict[str, object]:
    """The namespace the built file of the workflow at ``path`` leaves, loaded as Catch loads a paste."""
    filename = f"<built {path}>"
    try:
        code = loading.compile_workflow(text, filename)
    except SyntaxError as exc:  # what only compiling the whole file finds, such as `return` outside a function
        raise BuildError(path, None, f"built code does not compile: {exc.msg} (line {exc.lineno})") from None
    try:
        return loading.execute(code, filename)
    except Exception as exc:  # whatever the workflow's code raises is reported
        raise BuildError(path, None, f"cannot load built workflow: {type(exc).__name__}: {exc}") from None
