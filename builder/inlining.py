"""What inlining into one namespace takes: the shared modules a workflow needs, dependencies first, each
once (a cycle is an error naming it), and names that do not clash once the modules share a namespace."""
from __future__ import annotations

from pathlib import Path

from builder.errors import BuildError
from builder.names import BUILTIN_NAMES, Origin
from builder.sources import Module, parse_module


def inline_order(root: Path, workflow: Module, cache: dict[str, Module]) -> list[Module]:
    """The shared modules the workflow needs, dependencies first, each once; ``cache`` holds the modules
    parsed so far, by path, for every workflow of the build."""
    order: list[Module] = []

    def visit(module: Module, chain: list[str]) -> None:
        for imp in module.imports:
            if imp.target in chain:
                cycle = chain[chain.index(imp.target):] + [imp.target]
                raise BuildError(module.path, imp.line, "circular import: " + " -> ".join(cycle))
            if imp.target not in cache:
                cache[imp.target] = parse_module(root, imp.target)
            target = cache[imp.target]
            provided = set(target.bindings) | {bound for other in target.imports for _, bound in other.names}
            missing = [name for name, _ in imp.names if name not in provided]
            if missing:
                raise BuildError(module.path, imp.line, f"{target.path} does not define {missing[0]!r} at top level")
            if target not in order:
                visit(target, chain + [target.path])
                order.append(target)

    visit(workflow, [workflow.path])
    return order


def check_unique_names(modules: list[Module]) -> None:
    """Fail if two modules bind one name at top level, unless by the same import, or if a module
    binds a built-in's name at top level (it would change that name in every other module)."""
    first_seen: dict[str, tuple[str, int, Origin]] = {}
    for module in modules:
        for name, (line, origin) in module.bindings.items():
            if name in BUILTIN_NAMES:
                raise BuildError(module.path, line, f"name {name!r} is a built-in; inlined modules share one "
                                                    "namespace, so binding it here changes it everywhere: rename it")
            path, first_line, first_origin = first_seen.setdefault(name, (module.path, line, origin))
            if path != module.path and (origin is None or origin != first_origin):
                raise BuildError(module.path, line, f"name {name!r} is already bound at {path}:{first_line}; "
                                                    "inlined modules share one namespace, rename one")
