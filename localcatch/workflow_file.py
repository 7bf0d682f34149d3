"""A workflow file as the commands run it, which is always what would be pasted: a built file as it is, or the
source of a workflow (workflows/NAME.py, beside shared/) built in memory first by the builder's own functions,
into the very text `python build.py` writes to dist/NAME.py. Either is loaded by the one loader,
`localcatch/loading.py`; any other file that imports shared/ fails as it would once pasted. And the event types
a loaded file handles."""
from __future__ import annotations

import ast
import linecache
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.amalgamation import build_workflow
from builder.errors import BuildError
from builder.sources import shared_imports
from builder.version import declared_version
from localcatch import loading
from localcatch.errors import CliError, WorkflowFileError
from localcatch.log import location, log
from shared.wire.catalogue import CATALOGUE

NOT_PASTED = ("run the file python build.py writes into dist/, or the source under workflows/, which catch.py "
              "builds first")


@dataclass(frozen=True)
class WorkflowFile:
    """A loaded workflow file: the namespace it leaves; the files it was made from, by the name to show for
    each (the file itself, or the source and the shared modules it inlines), whose change means loading it
    again; and, for a source built in memory, the line that says so ("" for a file loaded as it is)."""
    namespace: dict[str, Any]
    sources: dict[str, str]
    built_note: str = ""


def source_root(path: str) -> Path | None:
    """The root of the project whose workflows/ holds `path`, beside its shared/; None for any other file."""
    folder = Path(path).resolve().parent
    return folder.parent if folder.name == "workflows" and (folder.parent / "shared").is_dir() else None


def load_workflow(path: str) -> WorkflowFile:
    """The file at `path` loaded as it would be pasted: a workflow's source is built in memory first. It must
    define `workflow`; anything that stops it is a `WorkflowFileError` saying why in one line."""
    root = source_root(path)
    if root is None:
        return WorkflowFile(load_namespace(path), {path: path})
    name = Path(path).stem
    try:
        built = build_workflow(root, name, declared_version(root), {}, set())
    except BuildError as error:
        raise WorkflowFileError("The workflow's source cannot be built: {}".format(error)) from None
    filename = "<built workflows/{}.py>".format(name)  # as the build names it; tracebacks show its lines:
    linecache.cache[filename] = (len(built.text), None, built.text.splitlines(True), filename)
    note = "{} is a source: running it built in memory, as python build.py writes dist/{}.py, the file you paste"
    sources = {shown: str(root / shown) for shown, _ in built.sources}
    return WorkflowFile(loaded_namespace(built.text, filename), sources, note.format(path, name))


def load_namespace(path: str) -> dict[str, Any]:
    """The namespace the file at `path` leaves, loaded as it is, as the Catch editor runs what is pasted."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise WorkflowFileError("The workflow file cannot be read: {}.".format(
            error.strerror if isinstance(error, OSError) else "it is not UTF-8 text")) from None
    try:  # it must import nothing from shared/, which is not pasted
        tree = ast.parse(text, path)
    except (SyntaxError, ValueError):
        tree = None  # loading says what is wrong
    line = next((node.lineno for _, node in shared_imports(tree)), None) if tree else None
    if line is not None:
        raise WorkflowFileError("The workflow file cannot be loaded: No module named 'shared' once pasted (line {} "
                                "imports shared/, which is not pasted): {}.".format(line, NOT_PASTED))
    return loaded_namespace(text, path)


def loaded_namespace(text: str, filename: str) -> dict[str, Any]:
    """The namespace `text` leaves, loaded by the one loader; it must define `workflow`."""
    try:
        namespace = loading.load_source(text, filename)
    except Exception as error:  # whatever the file's own code raises
        raise WorkflowFileError("The workflow file cannot be loaded: {}.".format(why_not_loaded(error))) from None
    if not callable(namespace.get("workflow")):
        raise WorkflowFileError("The workflow file defines no workflow function.")
    return namespace


def why_not_loaded(error: Exception) -> str:
    """Why loading a file raised `error`, in one line and no traceback: a syntax error with the compiler's
    message, a missing module by its name, else the exception's type and where it rose, not its message, which
    may hold anything the file holds."""
    where = location(error)
    if isinstance(error, SyntaxError):
        return "SyntaxError at {}: {}".format(where, error.msg)
    if isinstance(error, ModuleNotFoundError) and error.name:
        return "No module named {!r} ({} at {})".format(error.name, type(error).__name__, where)
    return "{} at {}".format(type(error).__name__, where)


def say_misnamed_settings(namespace: dict[str, Any], settings: dict[str, Any]) -> None:
    """Log what the workflow says of setting names that are almost those it reads (`misnamed_settings`)."""
    finding = misnamed_settings(namespace, settings)
    if finding:
        log("settings: " + finding)


def misnamed_settings(namespace: dict[str, Any], settings: dict[str, Any]) -> str | None:
    """What the workflow says of setting names that are almost those it reads, in the words it refuses them
    with ("Setting DRYRUN is not one this workflow reads; did you mean DRY_RUN?"), by its own check: the
    `check_names` of shared/core/setting_names.py that the file inlines, against its `SETTINGS`. None when
    there is nothing to say, or the file makes no such check (the probe), so that it never refuses them."""
    check, wrap, spec = (namespace.get(name) for name in ("check_names", "Settings", "SETTINGS"))
    if not callable(check) or not callable(wrap) or spec is None:
        return None
    try:
        check(wrap(settings), spec)
    except Exception as error:  # the file's own ConfigError, whose reason is what the workflow answers
        reason = getattr(error, "reason", None)
        return reason if isinstance(reason, str) else None
    return None


def handled_types(namespace: dict[str, Any]) -> tuple[str, ...]:
    """The event types a loaded workflow file says it handles: its `EVENT_TYPE`, or its `EVENT_TYPES`."""
    one, several = namespace.get("EVENT_TYPE"), namespace.get("EVENT_TYPES")
    if isinstance(one, str):
        return (one,)
    if isinstance(several, (tuple, list)) and all(isinstance(name, str) for name in several):
        return tuple(several)
    return ()


def chosen_event_type(given: str | None, handled: tuple[str, ...], path: str) -> str:
    """The event type to send: the one given, else the one the file handles; a `CliError` listing the
    choices when it handles several or none."""
    if given:
        return given
    if len(handled) == 1:
        return handled[0]
    if handled:
        raise CliError("{} handles {} event types: name the one to send, among {}".format(
            path, len(handled), ", ".join(handled)))
    raise CliError("{} handles no event type of its own: name the one to send it, among {}".format(
        path, ", ".join(CATALOGUE)))
