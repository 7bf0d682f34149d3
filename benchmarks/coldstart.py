"""Cold start: a fresh `python -I` loads a dist file and rejects one forged request.

The child compiles and executes the file as Catch would (it is pasted code,
so there is no .pyc), calls `workflow()` once, and reports which SDK modules
got imported. The baseline is a fresh interpreter importing the four modules
a signature check needs.
"""
from __future__ import annotations

import functools
import json
import statistics
from pathlib import Path

from harness import ROOT, child_result, dist_file, settings
from payloads import padded_event, signed
from report import Row, ratio_row, section
from timing import PYTHON, Profile, child_env, compare_commands, wall_time

SDK_MODULES = ("requests", "hrflow", "mailchimp_transactional")
BASELINE = "import json, hmac, hashlib, base64"
LIMIT = 1.5
CHILD = r"""
import sys, time
import json
sys.path.insert(0, LOCALCATCH)
from loading import compile_workflow, execute
path, request, settings = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
with open(path, encoding="utf-8") as source:
    text = source.read()
t1 = time.perf_counter()
code = compile_workflow(text, path)
t2 = time.perf_counter()
namespace = execute(code, path)
t3 = time.perf_counter()
response = namespace["workflow"](request, settings)
t4 = time.perf_counter()
loaded = [name for name in SDK_MODULES if name in sys.modules]
print("RESULT " + json.dumps({"status_code": response["status_code"], "loaded": loaded,
                              "compile": t2 - t1, "exec": t3 - t2, "reject": t4 - t3}))
""".replace("SDK_MODULES", repr(SDK_MODULES)).replace("LOCALCATCH", repr(str(ROOT / "localcatch")))


def _child_command(flags: list[str], path: Path) -> list[str]:
    request = signed(padded_event("profile.parsing.success", 1024), "signed-request", forged=True)
    return [PYTHON, *flags, "-c", CHILD, str(path), json.dumps(request), json.dumps(settings())]


def cold_start_rows(dist: Path, profile: Profile) -> list[Row]:
    """The cold-start row as specified (`-I`), and the same with `-S` to take site-packages' .pth files out."""
    path = dist_file(dist, "profile.parsing.success")
    rows = [section(f"cold start: fresh python loads {path.name} and rejects a forged 1 KB signed request; baseline: "
                    f"python -c \"{BASELINE}\" with the same flags (note 6)")]
    for flags, label in ((["-I"], "python -I"), (["-I", "-S"], "python -I -S (no site, diagnostic)")):
        command = _child_command(flags, path)
        results = [child_result(command) for _ in range(max(3, profile.process_pairs // 5))]
        env = child_env()
        timed = compare_commands(functools.partial(wall_time, command, env=env),
                                 functools.partial(wall_time, [PYTHON, *flags, "-c", BASELINE], env=env),
                                 profile.process_pairs)
        loaded = sorted({name for result in results for name in result["loaded"]})
        status = {result["status_code"] for result in results}
        modules = "LOADED: " + ", ".join(loaded) if loaded else "SDKs absent ({})".format(", ".join(SDK_MODULES))
        inside = ", ".join(f"{key} {1e3 * statistics.median(r[key] for r in results):.1f} ms"
                           for key in ("compile", "exec", "reject"))
        row = ratio_row(label, *timed, LIMIT, detail=f"{modules}; in child: {inside}", target="≤ 1.5×, SDKs absent")
        if loaded or status != {401}:
            row = row._replace(result="MISS")
        rows.append(row)
    return rows
