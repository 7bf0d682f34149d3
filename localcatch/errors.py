"""The three ways the emulator stops short, and how each ends: a command that cannot go on (exit status 2), a
request refused before any workflow sees it (a 4xx answer), a workflow file that cannot be run (a 500 when
serving, exit status 2 otherwise)."""
from __future__ import annotations

from shared.pipeline.answer import catch_response


class CliError(Exception):
    """What stops a command, said in one line, with exit status 2."""


class Refusal(Exception):
    """A request the emulator refuses before any workflow sees it, with a 4xx status code: `response` is the
    Catch response saying why, as a workflow's would say it."""

    def __init__(self, status_code: int, reason: str):
        super().__init__(reason)
        self.response = catch_response("rejected", status_code, reason)


class WorkflowFileError(Exception):
    """The workflow file cannot be read or loaded, or defines no workflow: `serve` answers 500 saying so, the
    other commands stop with exit status 2."""
