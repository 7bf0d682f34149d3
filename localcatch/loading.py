"""The one way a built workflow is run here: its source compiled and executed in a new namespace, as
the Catch editor runs what is pasted (no module, no .pyc, `__name__` not `__main__`).

Used by the emulator, the build's check, the tests and the benchmarks. Run as a script,
`python -I localcatch/loading.py DIST_FILE`, it is a workflow as users paste it, in a process where
`shared/` cannot be imported: it answers each JSON line `[request, settings]` on stdin with one line
`RESULT <the Catch response as JSON>` on stdout. It imports nothing but `json` and `sys` (which a
workflow imports anyway), so that timing or watching a process that loads through it measures the
workflow alone.
"""
from __future__ import annotations

import json
import sys

TYPE_CHECKING = False  # as shared/core/typecheck.py has it: true for mypy, and no `typing` imported here
if TYPE_CHECKING:
    from types import CodeType
    from typing import Any

NAMESPACE_NAME = "catch_workflow"
RESULT_PREFIX = "RESULT "


def compile_workflow(source: str, filename: str) -> CodeType:
    """The code of a workflow's source, as Catch compiles what is pasted."""
    return compile(source, filename, "exec", dont_inherit=True)  # as Catch compiles it: not with our flags


def execute(code: CodeType, filename: str) -> dict[str, Any]:
    """The namespace a workflow's code leaves once executed; whatever it raises is raised."""
    namespace: dict[str, Any] = {"__name__": NAMESPACE_NAME, "__file__": filename}
    exec(code, namespace)  # noqa: S102 (what Catch does with what is pasted)
    return namespace


def load_source(source: str, filename: str) -> dict[str, Any]:
    """The namespace `source` leaves once compiled and executed."""
    return execute(compile_workflow(source, filename), filename)


def load(path: str) -> dict[str, Any]:
    """The namespace the workflow file at `path` leaves once compiled and executed."""
    with open(path, encoding="utf-8") as source:
        return load_source(source.read(), str(path))


def serve_lines(path: str) -> None:
    """Answer one `[request, settings]` JSON line at a time with the file's `workflow()`."""
    workflow = load(path)["workflow"]
    for line in sys.stdin:
        request, settings = json.loads(line)
        print(RESULT_PREFIX + json.dumps(workflow(request, settings)), flush=True)


if __name__ == "__main__":
    try:
        import shared  # noqa: F401
    except ImportError:
        serve_lines(sys.argv[1])
    else:
        sys.exit("shared/ is importable: this is not a workflow as users paste it")
