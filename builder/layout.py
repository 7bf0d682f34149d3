"""The built file laid out in parts: the opening (the workflow's docstring, then the `from __future__`
imports of every source merged into one), the workflow's own functions (`own_logic`), each inlined
module, then the rest of the workflow, each part but the opening between banners."""
from __future__ import annotations

import ast
from dataclasses import dataclass

from builder.own_logic import function_span, own_functions
from builder.sources import Module, own_line_span


@dataclass(frozen=True)
class Part:
    """A piece of the built file and the source it comes from; the opening has no banner (title)."""
    path: str
    code: str
    title: str | None


def render(module: Module, edits: dict[tuple[int, int], list[str]]) -> str:
    """The module's source lines with the edited spans replaced, without blank lines at either end.

    Where a span is cut out, the blank lines around it merge (they lie between statements).
    """
    lines = module.text.split("\n")
    kept: list[str] = []
    cursor = 1
    for (first, last), replacement in sorted(edits.items()):
        kept += lines[cursor - 1:first - 1] + replacement
        cursor = last + 1
        blanks_before = next((index for index, line in enumerate(reversed(kept)) if line.strip()), len(kept))
        while not replacement and blanks_before and cursor <= len(lines) and not lines[cursor - 1].strip():
            cursor, blanks_before = cursor + 1, blanks_before - 1
    return "\n".join(kept + lines[cursor - 1:]).strip("\n")


def _future_names(workflow: Module, modules: list[Module]) -> list[str]:
    """The `from __future__` features of every source, which the built file enables for all of it."""
    return sorted(set().union(workflow.futures, *(module.futures for module in modules)))


def file_parts(workflow: Module, modules: list[Module]) -> list[Part]:
    """The file body in parts: the opening (workflow docstring, __future__ imports), the workflow's own
    functions that can come before the library, each inlined module, then the rest of the workflow."""
    futures = _future_names(workflow, modules)
    opening: list[str] = []
    workflow_edits = dict(workflow.edits)
    if ast.get_docstring(workflow.tree, clean=False) is not None:
        first, last = own_line_span(workflow, workflow.tree.body[0])
        workflow_edits[first, last] = []
        opening.append("\n".join(workflow.text.split("\n")[first - 1:last]))
    if futures:
        opening.append(f"from __future__ import {', '.join(futures)}")
    functions, declarations = workflow_halves(workflow, workflow_edits, futures)
    return [
        *([Part(workflow.path, "\n\n".join(opening), None)] if opening else []),
        *([functions] if functions.code else []),
        *(Part(module.path, render(module, module.edits), module.path) for module in modules),
        *([declarations] if declarations.code or not functions.code else []),
    ]


def workflow_halves(workflow: Module, edits: dict[tuple[int, int], list[str]],
                    futures: list[str]) -> tuple[Part, Part]:
    """The workflow's own functions, which may come first, and the rest of it (with ``edits``); each half
    titled as such when both hold code, else by the workflow's path alone."""
    lines = workflow.text.split("\n")
    spans = [function_span(workflow, function) for function in own_functions(workflow, futures)]
    functions = "\n\n\n".join("\n".join(lines[first - 1:last]) for first, last in spans)
    declarations = render(workflow, {**edits, **{span: [] for span in spans}})
    both = bool(functions and declarations)

    def half(code: str, what: str) -> Part:
        return Part(workflow.path, code, f"{workflow.path} ({what})" if both else workflow.path)

    return half(functions, "its functions"), half(declarations, "its declarations")


def rendered(part: Part) -> str:
    """A part as the file holds it: between its banners, unless it is the opening."""
    if part.title is None:
        return part.code
    lines = [f"# --- begin {part.title} ---", part.code, f"# --- end {part.title} ---"]
    return "\n".join(line for line in lines if line)


def assemble(parts: list[Part]) -> str:
    """The file body: the parts, two blank lines apart."""
    return "\n\n\n".join(rendered(part) for part in parts) + "\n"


def first_lines(parts: list[Part]) -> list[int]:
    """The line of the file body where each part begins (its banner, if it has one), from 1."""
    lines, line = [], 1
    for part in parts:
        lines.append(line)
        line += rendered(part).count("\n") + 1 + 2
    return lines
