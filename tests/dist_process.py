"""A `dist/` file as users paste it: alone in a fresh `python -I` where `shared/` cannot be
imported, answering one (request, settings) pair per line on its stdin."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

DRIVER = r"""
import json, sys
try:
    import shared
    sys.exit("shared/ is importable")
except ImportError:
    pass
path = sys.argv[1]
namespace = {"__name__": "catch_workflow"}
exec(compile(open(path, encoding="utf-8").read(), path, "exec"), namespace)
for line in sys.stdin:
    request, settings = json.loads(line)
    print("RESULT " + json.dumps(namespace["workflow"](request, settings)), flush=True)
"""


class DistWorkflow:
    """One dist file running in its own `python -I`, answering one request per line."""

    def __init__(self, dist_file: Path, folder: Path):
        copy = folder / dist_file.name
        shutil.copy(dist_file, copy)
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", DRIVER, copy.name],
            cwd=folder,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def call(self, request: dict, settings: dict) -> dict:
        self.process.stdin.write(json.dumps([request, settings]) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith("RESULT "):
                return json.loads(line[len("RESULT ") :])
        raise AssertionError("the dist workflow exited: {}".format(self.process.wait()))

    def close(self):
        self.process.stdin.close()
        assert self.process.wait(timeout=10) == 0
