#!/usr/bin/env python3
"""Benchmarks of the Catch workflows, printed as one table of ratios against baselines measured in the same run.

    python benchmarks/run.py            # full run, a minute or two
    python benchmarks/run.py --quick    # smoke run, well under a minute; numbers are rough

Each row gives the median time per operation of the subject and of its
baseline (timed in alternating blocks), their ratio, the target and PASS or
MISS. The exit status is 0 whatever the verdicts: the table is information.
It is 1 only when a benchmark could not run at all (its row says ERROR).
See benchmarks/README.md for what each row means.
"""
from __future__ import annotations

import argparse
import datetime
import functools
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Callable

import harness
from buildbench import build_rows, dist_status
from candidate import candidate_rows
from coldstart import cold_start_rows
from endtoend import end_to_end_rows
from hostile import hostile_rows
from inprocess import Subject, accept_rows, decoder_rows, reject_rows
from memory import memory_rows
from redaction import redaction_rows
from report import Row, render, section
from timing import FULL, QUICK, Profile

NOTES = """\
Notes
 1. Payload size = bytes of the event JSON (what signed-request signs): 1 KB = 1024, 64 KB = 65536. The message
    field is capped at 4096 characters (shared/wire/event.py MAX_TEXT_CHARS), so the padding is ASCII words in the
    object's "text" field. Requests come from localcatch.samples.catch_request, form encoding (object as JSON text).
 2. workflow() = dist/profile_parsing_success.py executed from its file, stdout sent to a null sink (it logs one
    line per execution), settings copied per call. verified_event = shared/wire/verification.py's, from the same
    namespace.
    A forged request is signed with a wrong secret: well formed, the HMAC does not match.
 3. Baselines, per scheme, on the same request: signed-request = partition + 2 urlsafe_b64decode + HMAC +
    compare_digest; form-json = bytes.fromhex + json.dumps of the 4 signed fields + HMAC + compare_digest;
    raw-body = bytes.fromhex + encode + HMAC + compare_digest. A forged raw-body request is also tried as
    form-json by the workflows (its fields are present), which the one-check baseline does not do, unless
    the setting HRFLOW_SIGNATURE_SCHEME pins one scheme ("pinned" rows).
 4. Accepting adds parsing to the baseline: json.loads of the payload (signed-request) or of the object field
    (form-json), parse_qsl + json.loads of the body (raw-body). "workflow() -> skipped": a validly signed
    profile.storing.success event sent to the profile.parsing.success workflow, i.e. verify + parse + answer
    with no handler and no I/O.
 5. standardwebhooks signs the raw JSON; signed-request carries it base64url-encoded in the header, so the
    "bare primitives alone" column shows that format's floor. The raw-body row uses a JSON body, the same bytes
    standardwebhooks verifies.
 6. Wall time of the whole process, medians of alternating runs. site-packages .pth files run at every start
    without -S (here one imports certifi, which preloads re, typing, pathlib...), hence the -S diagnostic row.
    compile/exec/reject are medians measured inside the child.
 7. Warm process (a first call imports the SDKs, and records the requests replayed). Overhead = median of the
    paired differences subject - baseline. "Fakes' own handling" = time inside the fakes' request handler
    (threads of this process). No target on time: the row passes when the round trips are as expected.
 8. The scaling row builds each workflow and a copy of it under another name (as a user's own workflow would
    be), in one root and one process, against the workflows alone.
 9. redact = the function dist/profile_parsing_success.py inlines (shared/untrusted/redact.py), called with the
    three secret settings. Each input repeats a unit up to 2^20 characters, all ASCII (benchmarks/README.md lists
    them); 1 MB and 2 MB of it are timed in alternating blocks (15 per side, 3 in a quick run). "Worst" is the
    largest 1 MB median, "steepest" the largest ratio of the 2 MB median to the 1 MB one. The implementation it
    replaced is quadratic (a run of 30,000 characters before an "@" took 6 s), so it is timed on 4 KB only.
10. notify = dist/profile_storing_success.py on a profile whose seven fields the summary reads are 2^20
    characters each: distinct code points (each field where the one before ended; one such profile read first),
    against ASCII of the same size in bytes (target) and of the same characters (diagnostic); alternating runs,
    HrFlow's reply pre-encoded as UTF-8 JSON. probe = dist/catch_probe.py on a form request signed with a wrong
    secret, its profile field padded to make it 9 MB, against 9 KB.
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke run, numbers are rough")
    parser.add_argument("--dist", type=Path, default=harness.ROOT / "dist",
                        help="folder of built workflows to measure (default: dist/)")
    return parser.parse_args(argv)


def header(profile: Profile, dist: Path) -> str:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    python = f"Python {platform.python_version()} ({platform.python_implementation()})"
    repetitions = (
        f"in process, {profile.repeats} interleaved blocks of ~{profile.block_seconds * 1e3:g} ms per side; "
        f"fresh processes, {profile.process_pairs} alternating runs per side "
        f"({max(2, profile.heavy_pairs)} for build and memory); end to end, {profile.e2e_repeats} events per action"
    )
    return "\n".join([
        f"HrFlow Catch workflow benchmarks ({profile.name} run), {now}",
        f"{python}, {platform.platform()}, machine {platform.machine()}, {os.cpu_count()} CPUs",
        f"Repetitions (medians reported): {repetitions}",
        f"Measured: {dist} ({dist_status(dist)})",
    ])


def guarded(title: str, produce: Callable[[], list[Row]]) -> list[Row]:
    """The rows of one benchmark, or one ERROR row saying why it could not run."""
    try:
        return produce()
    except Exception as error:  # noqa: BLE001 (one broken benchmark must not hide the others)
        traceback.print_exc(file=sys.stderr)
        return [section(title), Row("could not run", result="ERROR", detail="{}: {}".format(
            type(error).__name__, str(error).strip().splitlines()[-1][:160] if str(error).strip() else ""))]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    profile = QUICK if args.quick else FULL
    started = time.perf_counter()
    print(header(profile, args.dist), flush=True)
    subject = functools.lru_cache(maxsize=None)(lambda: Subject(args.dist))  # loaded once, by the first row
    rows: list[Row] = []
    rows += guarded("reject", lambda: reject_rows(subject(), profile))
    rows += guarded("accept", lambda: accept_rows(subject(), profile))
    rows += guarded("decoders", lambda: decoder_rows(subject(), profile))
    rows += guarded("cold start", lambda: cold_start_rows(args.dist, profile))
    rows += guarded("end to end", lambda: end_to_end_rows(args.dist, profile))
    rows += guarded("build", lambda: build_rows(profile))
    rows += guarded("memory", lambda: memory_rows(args.dist, profile))
    rows += guarded("redaction", lambda: redaction_rows(args.dist, profile))
    rows += guarded("hostile sizes", lambda: hostile_rows(args.dist, profile))
    rows += guarded("candidate's email", lambda: candidate_rows(args.dist, profile))
    print()
    print(render(rows))
    print()
    print(NOTES)
    missed = sum(row.result == "MISS" for row in rows)
    errors = sum(row.result == "ERROR" for row in rows)
    print("{} rows: {} PASS, {} MISS, {} ERROR, in {:.0f} s".format(
        sum(bool(row.result) for row in rows), sum(row.result == "PASS" for row in rows), missed, errors,
        time.perf_counter() - started))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
