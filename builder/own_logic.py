"""The workflow's own logic: those of its functions the built file can define before the library it
inlines, so that a reader meets what the workflow does right after the header.

A function moves there only if defining it earlier cannot change what the file does:

* it is a plain `def` (no decorator, which would run when it is defined);
* its defaults, and its annotations unless `from __future__ import annotations` postpones them, are
  literals and built-in names only: nothing the library or the workflow defines, and no call;
* no other top-level statement binds its name, so the file ends with the same object under it;
* no statement before it uses its name while the module runs (a class body, a decorator, a default
  or any other statement), since its source would fail there where the built file would not.

Its body may use anything: it runs only when called, once the whole file has run. The library's own
module code cannot use the workflow's names either: unbuilt, they do not exist while it runs (short
of reading `globals()`). The functions keep their comments, including those right above them; the
rest of the workflow (its declarations) follows the library, in its order.
"""
from __future__ import annotations

import ast
from typing import Union

from builder.names import BUILTIN_NAMES, bound_names
from builder.sources import Module, end_line

Function = Union[ast.FunctionDef, ast.AsyncFunctionDef]
INERT = (ast.Constant, ast.Name, ast.Attribute, ast.Subscript, ast.Slice, ast.Tuple, ast.List, ast.Set, ast.Dict,
         ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.expr_context, ast.operator, ast.unaryop, ast.boolop,
         ast.cmpop)


def run_at_definition(stmt: ast.stmt, postponed: bool) -> list[ast.AST]:
    """What runs when a top-level statement runs: for a function, its decorators, defaults and (unless
    postponed) annotations; for any other statement, all of it."""
    if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return [stmt]
    arguments = stmt.args
    found: list[ast.AST] = [*stmt.decorator_list, *arguments.defaults,
                            *(default for default in arguments.kw_defaults if default is not None)]
    if not postponed:
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                 *(argument for argument in (arguments.vararg, arguments.kwarg) if argument)]
        found += [argument.annotation for argument in every if argument.annotation]
        found += [stmt.returns] if stmt.returns else []
    return found


def is_inert(node: ast.AST) -> bool:
    """Whether an expression holds only literals and built-in names, so that it means the same and does
    nothing visible wherever in the file it runs."""
    return all(isinstance(inner, INERT) and (not isinstance(inner, ast.Name) or inner.id in BUILTIN_NAMES)
               for inner in ast.walk(node))


def own_functions(workflow: Module, futures: list[str]) -> list[Function]:
    """The workflow's functions that can be defined before the library, in their order."""
    postponed = "annotations" in futures
    binders: dict[str, int] = {}
    for stmt in workflow.tree.body:
        for name in {name for name, _, _ in bound_names(stmt)}:
            binders[name] = binders.get(name, 0) + 1
    used_before: set[str] = set()
    moved: list[Function] = []
    for stmt in workflow.tree.body:
        running = run_at_definition(stmt, postponed)
        if (isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and not stmt.decorator_list
                and binders[stmt.name] == 1 and stmt.name not in used_before and all(map(is_inert, running))):
            moved.append(stmt)
        used_before |= {node.id for root in running for node in ast.walk(root) if isinstance(node, ast.Name)}
    return moved


def function_span(workflow: Module, function: Function) -> tuple[int, int]:
    """The lines of a function with the comment lines right above it (from the first column) and the
    indented comments that end its body."""
    lines = workflow.text.split("\n")
    index = workflow.tree.body.index(function)
    floor = end_line(workflow.tree.body[index - 1]) + 1 if index else 1
    first = function.lineno
    while first - 1 >= floor and lines[first - 2].startswith("#"):
        first -= 1
    last = line = end_line(function)
    while line < len(lines) and (not lines[line].strip() or lines[line][:1].isspace()):
        line += 1
        if lines[line - 1].strip():  # an indented comment: the body's last words
            last = line
    return first, last
