"""`TYPE_CHECKING`: false when a workflow runs, true for mypy (which reads any `if TYPE_CHECKING:`
block as taken). Imports that only annotations need go under it, so that no workflow imports
`typing` or `collections.abc` on its way to a rejection; the annotations are then strings."""
TYPE_CHECKING = False
