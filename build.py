#!/usr/bin/env python3
"""Build one paste-ready file per workflow: `dist/<name>.py` from `workflows/<name>.py` and the modules of
`shared/` it imports, with `dist/manifest.json` and README.md's generated tables. Standard library only.

    python build.py [NAME ...] [--check | --list] [--out DIR] [--root DIR]
    python build.py new NAME --event TYPE [--action acknowledge|notify|shortlist|alert]

The build itself is the package `builder/`, whose docstring gives the rules of the amalgamation.
"""
from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:  # `python -I build.py` leaves the script's folder out of sys.path
    sys.path.insert(0, HERE)

from builder.cli import main  # noqa: E402 (the path above first)

if __name__ == "__main__":
    sys.exit(main())
