"""The local side of the project, never pasted: the emulator of HrFlow Catch behind `catch.py`, the fake HrFlow
and Mandrill servers, and the sample events and signers that the tests and the emulator share.

- `cli`: `catch.py`'s command line, and `main`; `commands` (serve, send, run, sign, fakes) and `preview`, what
  each command does.
- `config`: the settings and files a command reads; `errors`: the ways a command or a request stops short, and
  how each ends; `log`: the one line at a time written on stderr.
- `loading`: the one loader of a built file; `workflow_file`: a workflow file as the commands run it, what would
  be pasted (a source under workflows/ built in memory first), and what it handles; `contract`: a call of its
  workflow, held to the Catch contract.
- `server`: `serve`'s HTTP server; `connection`: a client's connection to it; `request_body`: `_request` built
  from an HTTP body, within bounds.
- `responses` and `emails`: a Catch response, and an email, shown to a person.
- `fakes`: the fake servers; `seeded_fakes`: the fakes the commands start, holding the sample profile and job.
- `samples` and `signers`: sample events in HrFlow's wire formats, and their signatures.
"""
