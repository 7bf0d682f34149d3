"""A `dist/` file as users paste it: alone in a fresh `python -I` where `shared/` cannot be
imported, answering one (request, settings) pair per line on its stdin (`localcatch/loading.py`); and what
vermin says of such files for Python 3.9."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from localcatch import loading

LOADER = Path(loading.__file__)


class DistWorkflow:
    """One dist file running in its own `python -I`, answering one request per line."""

    def __init__(self, dist_file: Path, folder: Path):
        copy = folder / dist_file.name
        shutil.copy(dist_file, copy)
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(LOADER), copy.name],
            cwd=folder,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def call(self, request: dict, settings: dict) -> dict:
        self.process.stdin.write(json.dumps([request, settings]) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith(loading.RESULT_PREFIX):
                return json.loads(line[len(loading.RESULT_PREFIX) :])
        raise AssertionError("the dist workflow exited: {}".format(self.process.wait()))

    def close(self):
        self.process.stdin.close()
        assert self.process.wait(timeout=10) == 0


def vermin_violations_for_python_39(files: list[Path]) -> str:
    """What vermin reports of `files` that Python 3.9 lacks (annotations evaluated too): empty when none."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from vermin.main import main; sys.exit(main())",
         "--target=3.9-", "--no-tips", "--violations", "--eval-annotations", *map(str, files)],
        capture_output=True, text=True,
    )
    return "" if done.returncode == 0 else done.stdout + done.stderr
