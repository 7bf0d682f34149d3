"""The build: one paste-ready file per workflow, `dist/<name>.py`, from `workflows/<name>.py` and the
modules of `shared/` it imports. `build.py` is its command line; standard library only.

HrFlow's Catch editor takes one Python file, so each workflow becomes an amalgamation. Rules:

* Only modules under shared/ are inlined: transitively, dependencies first, in
  source order, each once and whole (a definition nothing names may still act
  when it runs, by a decorator or __init_subclass__). Other imports stay as
  written, as do all imports in functions. `from shared.x import a` (or
  `from .x import a` inside shared/) is removed; `from shared.x import a as b`
  becomes `b = a` in its place.
* Source lines are copied as they are, each module between `# --- begin <path>`
  and `# --- end <path>` banners; module docstrings stay. The workflow's
  docstring goes first, so it is the built module's __doc__, then every
  `from __future__` import, merged into one line, then the workflow's own
  functions (those that can come before the library without changing what the
  file does: see own_logic.py), then the inlined modules, then the rest of the
  workflow, its declarations, in their order. The workflow's two parts are
  titled `<path> (its functions)` and `<path> (its declarations)`, or `<path>`
  alone if one is empty. Top-level `__all__` assignments are dropped.
* Modules share one namespace: a name bound at top level in two of them is an
  error, unless both bind it by the same import (`import json` twice is fine).
* What cannot be inlined faithfully fails as `path:line: reason`, exit status 1.
* Every part of the result (each inlined module as rendered, the workflow) must
  parse as Python 3.9 and import nothing from shared; each is checked once,
  however many workflows inline it, so an error names its source. The file is
  then loaded as Catch loads a paste, by localcatch/loading.py (compiled whole,
  run in a namespace that is no module), to read its contract (EVENT_TYPE or
  EVENT_TYPES, SETTINGS, workflow, docstring).
* The file opens with a header for the person who pastes it: what the workflow
  does, its version (shared/core/version.py), each setting it reads with its
  meaning and default (builder/setting_descriptions.py; a setting it alone reads
  is its own), required first, and the line where each part begins. The
  sources' hashes go to dist/manifest.json. Output is deterministic: no
  timestamps, no absolute paths, Unix newlines.
* A workflow's file name is any snake_case name; the event types it handles
  come from its code: `EVENT_TYPE = "<type>"`, or `EVENT_TYPES`, a tuple of
  types that may be empty (a workflow for no event, such as the probe). Each
  must be in the catalogue, `shared.wire.catalogue.CATALOGUE`, which the build
  reads as the starters of `build.py new` read `shared.actions.defaults`; a file
  named after an event type (profile_parsing_success.py) must handle exactly that one.

One module per job: `sources` reads a source file and plans its edits, `names` says what a statement
binds, `inlining` orders the modules and checks their names, `own_logic` finds the workflow's functions
that can come first, `layout` lays the file out, `checks` checks and loads it, `contract` reads what the
workflow declares, `version` and `setting_descriptions` what the header says besides, `header` heads the
file, `amalgamation` does all that for one workflow, `manifest`, `readme` and `output` write the
results, `starter` is `build.py new`, and `cli` the command line.
"""
