"""The project's shared code: `build.py` inlines it into every `dist/` workflow.

Layers, each importing only from those before it: `core` (errors, settings), `wire` (what arrives),
`untrusted` (what HrFlow relays from CVs), `outbound` (what goes out), `actions` (what a workflow does),
`pipeline` (the one path from `_request` to the Catch response). Nothing here imports a third-party SDK
at import time, so a rejected request never pays for one.
"""
