"""Peak memory of a cold valid execution against importing the two SDKs alone.

Each side runs in a fresh `python -I` and reports its peak RSS
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`, KB on Linux) just before it
exits. The subject loads a dist file and runs one valid shortlist event, the
execution with the most round trips, against the fake servers of this process.
"""
from __future__ import annotations

import json
import statistics
from pathlib import Path

from harness import PROFILE_KEY, ROOT, SOURCE_KEY, child_result, dist_file, fake_servers
from payloads import SECRET
from report import Row, megabytes, ratio_row, section
from timing import PYTHON, Profile

from localcatch.samples import catch_request, sample_event

EVENT_TYPE = "profile.scoring.success"
LIMIT = 1.1
REPORT = 'print("RESULT " + json.dumps({"maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "answer": %s}))'
SUBJECT = """
import json, resource, sys
request, settings = json.loads(sys.stdin.read())
sys.path.insert(0, LOCALCATCH)
from loading import load
response = load(sys.argv[1])["workflow"](request, settings)
""".replace("LOCALCATCH", repr(str(ROOT / "localcatch"))) + REPORT % 'json.loads(response["body"])["status"]'
BASELINE = "import json, resource\nimport hrflow, mailchimp_transactional\n" + REPORT % '"-"'


def _peak_kb(command: list[str], stdin: str) -> tuple[int, str]:
    result = child_result(command, stdin)
    return result["maxrss"], result["answer"]


def memory_rows(dist: Path, profile: Profile) -> list[Row]:
    rows = [section(f"peak RSS of a cold valid execution (fresh python -I, dist file, one {EVENT_TYPE} event against "
                    "the fakes); baseline: fresh python -I importing hrflow and mailchimp_transactional")]
    subject_command = [PYTHON, "-I", "-c", SUBJECT, str(dist_file(dist, EVENT_TYPE))]
    baseline_command = [PYTHON, "-I", "-c", BASELINE]
    subjects, baselines, answers = [], [], set()
    with fake_servers() as (_, _, values):
        event = sample_event(EVENT_TYPE, key=PROFILE_KEY, container_key=SOURCE_KEY)
        stdin = json.dumps([catch_request(event, SECRET, "signed-request"), values])
        for index in range(max(2, profile.heavy_pairs)):
            pair = [(subject_command, stdin, subjects), (baseline_command, "", baselines)]
            for command, text, samples in pair if index % 2 == 0 else pair[::-1]:
                peak, answer = _peak_kb(command, text)
                samples.append(peak)
                if samples is subjects:
                    answers.add(answer)
    subject, baseline = statistics.median(subjects), statistics.median(baselines)
    row = ratio_row(f"valid {EVENT_TYPE} event", subject, baseline, LIMIT, fmt=megabytes,
                    detail="answer: {}; RSS of each run (MB): {}".format(
                        ", ".join(sorted(answers)), " ".join(f"{kb / 1024:.1f}" for kb in subjects)))
    if answers != {"ok"}:
        row = row._replace(result="MISS")
    return rows + [row]
