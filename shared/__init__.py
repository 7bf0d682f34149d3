"""The project's shared code: `build.py` inlines it into every `dist/` workflow.

One module per concept; nothing here imports a third-party SDK at import time,
so a rejected request never pays for one.
"""
