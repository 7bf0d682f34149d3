"""The command line of `build.py`: build, `--check`, `--list`, `--out`, and `new`."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from builder.amalgamation import Built, build_workflow
from builder.errors import BuildError
from builder.output import planned_files, relative, stale_diff, write_files
from builder.sources import Module
from builder.version import declared_version

DEFAULT_ROOT = Path(__file__).resolve().parent.parent  # the folder of build.py


def select_workflows(root: Path, names: list[str]) -> list[str]:
    """Workflow file stems: those named, or all of workflows/*.py but _private ones."""
    available = sorted(path.stem for path in (root / "workflows").glob("*.py") if not path.name.startswith("_"))
    chosen: list[str] = []
    for name in names:
        stem = Path(name).stem if name.endswith(".py") else name.replace(".", "_")
        if stem not in available:
            raise BuildError(f"workflows/{stem}.py", None, "no such workflow (see `python build.py --list`)")
        if stem not in chosen:
            chosen.append(stem)
    return chosen if names else available


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Build one paste-ready file per workflow into dist/, with a "
                                                 "manifest.json (builder/__init__.py gives the rules).",
                                     epilog="`python build.py new NAME --event TYPE` writes a starter workflow.")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="workflows to build, by file stem (profile_parsing_success, catch_probe) or event type "
                             "(profile.parsing.success); default: all of workflows/*.py")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="build in memory; exit 1 with a diff if the output is stale")
    mode.add_argument("--list", action="store_true", help="list the workflows, their event types and settings keys")
    parser.add_argument("--out", default="dist", help="output folder, relative to the root (default: dist)")
    parser.add_argument("--root", help="folder holding shared/ and workflows/ (default: the folder of build.py)")
    return parser.parse_args(argv)


def print_list(built: list[Built]) -> None:
    for item in built:
        keys = item.contract.keys
        required = list(keys.required) + [" or ".join(group) for group in keys.one_of]
        print(f"{item.contract.name}  {', '.join(item.contract.event_types) or '(no event type)'}\n"
              f"    required: {', '.join(required) or '(none)'}\n"
              f"    optional: {', '.join(keys.optional) or '(none)'}")


def main(argv: list[str] | None = None) -> int:
    """Run build.py with `argv`; a reader that stops reading its output early (`--list | head`) ends it quietly."""
    try:
        status = run(sys.argv[1:] if argv is None else argv)
        sys.stdout.flush()  # so that a reader gone early shows here, not as Python exits
    except BrokenPipeError:
        # As the Python documentation advises: point stdout at devnull, so that the final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


def run(argv: list[str]) -> int:
    if argv[:1] == ["new"]:
        from builder.starter import command_new  # what `new` imports, a build does not need

        return command_new(argv[1:], DEFAULT_ROOT)
    args = parse_args(argv)
    root = Path(args.root) if args.root else DEFAULT_ROOT
    out = root / args.out
    cache: dict[str, Module] = {}
    checked: set[str] = set()
    try:
        version = declared_version(root)
        built = [build_workflow(root, name, version, cache, checked) for name in select_workflows(root, args.names)]
        files = planned_files(root, out, built, keep_others=bool(args.names))
    except BuildError as exc:
        print(f"{exc}\nbuild failed, nothing written", file=sys.stderr)
        return 1
    if args.list:
        print_list(built)
        return 0
    extras = [] if args.names else sorted(set(out.glob("*.py")) - set(files))
    if not args.check:
        write_files(root, files, extras)
        print(f"built {len(built)} workflow(s) into {relative(root, out)}/")
        return 0
    diff = stale_diff(root, files, extras)
    print(diff or f"{relative(root, out)}/ is up to date ({len(built)} workflow(s)).")
    if diff:
        print(f"{relative(root, out)}/ is out of date: run `python build.py` to rebuild it.")
    return 1 if diff else 0
