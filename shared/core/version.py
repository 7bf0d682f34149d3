"""The bundle's version, declared here once: pyproject.toml reads it, the build writes it into each
`dist/` file's header and the manifest, and the log line and the probe's report say it, so that anyone
can tell which release is pasted in Catch."""
from __future__ import annotations

VERSION = "1.0.0"
