"""The names a statement binds in the module namespace, which every inlined module shares."""
from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from typing import Optional

BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda,
          ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

# Where a binding comes from: what an import binds, ("alias", target, name) for a shared import's
# alias, None for any other binding. Two modules may bind one name only from one same origin.
Origin = Optional[tuple[Optional[str], ...]]


def bound_names(node: ast.AST) -> Iterator[tuple[str, int, Origin]]:
    """Yield (name, line, origin) for each name a statement binds in the module namespace.

    Nested scopes are skipped, but for the names they declare `global`.
    """
    if isinstance(node, SCOPES):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name, node.lineno, None
        for inner in ast.walk(node):
            if isinstance(inner, ast.Global):
                yield from ((name, inner.lineno, None) for name in inner.names)
        return
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
        yield node.id, node.lineno, None
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name, node.lineno, None
    elif isinstance(node, ast.Import):
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            yield bound, node.lineno, ("import", alias.name if alias.asname else bound)
    elif isinstance(node, ast.ImportFrom):
        for alias in node.names:
            yield alias.asname or alias.name, node.lineno, (node.module, alias.name)
    for child in ast.iter_child_nodes(node):
        yield from bound_names(child)
