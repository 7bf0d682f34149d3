"""`TYPE_CHECKING`: false when a workflow runs, true for mypy (which reads any `if TYPE_CHECKING:`
block as taken). Imports that only annotations need go under it, so that no workflow imports
`typing` or `collections.abc` on its way to a rejection: every module postpones its annotations
(`from __future__ import annotations`), so they name what is imported there without evaluating it."""
from __future__ import annotations

TYPE_CHECKING = False
