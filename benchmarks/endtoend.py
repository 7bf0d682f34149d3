"""One valid event end to end, in process, through the real SDKs against the local fake servers.

The baseline replays the very HTTP requests the workflow made (method, URL,
query, headers, body, recorded by the fakes) directly with `requests`, one
connection each as the SDKs make them: what is left is the workflow's own
overhead (verification, parsing, SDK layers, email building, logging).
The fakes also time their own handling of each request (server side).
"""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Callable

from harness import PROFILE_KEY, SOURCE_KEY, dist_file, fake_servers, load_dist, quiet
from payloads import SECRET
from report import Row, seconds, section, times, verdict
from timing import Profile

from localcatch.samples import catch_request, sample_event

ACTIONS = (  # action, the event type that triggers it, round trips it needs
    ("acknowledge", "profile.parsing.success", 2),
    ("notify", "profile.storing.success", 2),
    ("alert", "profile.parsing.error", 1),
    ("shortlist", "profile.scoring.success", 3),
)
_SKIPPED_HEADERS = ("host", "content-length")


def _replayer(records: list[dict], base_urls: list[str]) -> Callable[[], None]:
    """A function that sends `records` again, each to the fake it was recorded by."""
    import requests

    calls = []
    for record, base in zip(records, base_urls):
        body = record["body"]
        data = json.dumps(body) if isinstance(body, (dict, list)) else body
        headers = {k: v for k, v in record["headers"].items() if k.lower() not in _SKIPPED_HEADERS}
        calls.append((record["method"], base + record["path"], record["query"] or None, headers, data))

    def replay() -> None:
        for method, url, query, headers, data in calls:
            requests.request(method, url, params=query, headers=headers, data=data, timeout=5).raise_for_status()

    return replay


def _origin(url: str) -> str:
    """`http://127.0.0.1:port` of a fake's URL."""
    return "/".join(url.split("/")[:3])


def end_to_end_rows(dist: Path, profile: Profile) -> list[Row]:
    rows = [section("one valid event end to end (signed-request, in process, real SDKs, fake servers on "
                    "127.0.0.1); baseline: the same HTTP requests sent directly with requests (note 7)")]
    with fake_servers() as (hrflow, mandrill, values), quiet():
        for action, event_type, expected in ACTIONS:
            event = sample_event(event_type, key=PROFILE_KEY, container_key=SOURCE_KEY)
            run = Execution(load_dist(dist_file(dist, event_type))["workflow"],
                            catch_request(event, SECRET, "signed-request"), values, (hrflow, mandrill))
            rows.append(run.row(action, event_type, expected, profile.e2e_repeats))
    return rows


class Execution:
    """One workflow on one request, against the fakes, and the replay of the HTTP requests it makes."""

    def __init__(self, workflow: Callable[[dict, dict], dict], request: dict, settings: dict, fakes: tuple):
        self.workflow, self.request, self.settings, self.fakes = workflow, request, settings, fakes
        seen = [fake.request_count for fake in fakes]
        response = self.call()  # the first call imports the SDKs; its requests are the ones replayed
        self.status = (response["status_code"], json.loads(response["body"])["status"])
        records, bases = [], []
        for fake, count in zip(fakes, seen):
            new = fake.requests[count:]
            records += new
            bases += [_origin(fake.url)] * len(new)
        self.round_trips = len(records)
        self.replay = _replayer(records, bases)

    def call(self) -> dict:
        """One execution, with its own copy of the settings (no dedupe across calls)."""
        return self.workflow(self.request, dict(self.settings))

    def handled(self) -> float:
        return sum(fake.handling_seconds for fake in self.fakes)

    def row(self, action: str, event_type: str, expected: int, repeats: int) -> Row:
        """Executions and replays alternately; medians, and the overhead as the median of paired differences."""
        subject, baseline, server = [], [], []
        for repeat in range(repeats):
            if repeat % 2:
                baseline.append(_timed(self.replay))
            handled = self.handled()
            subject.append(_timed(self.call))
            server.append(self.handled() - handled)
            if not repeat % 2:
                baseline.append(_timed(self.replay))
        overhead = statistics.median(s - b for s, b in zip(subject, baseline))
        subject, baseline, server = (statistics.median(values) for values in (subject, baseline, server))
        detail = "{} round trips; overhead {} per event; fakes' own handling {}; answer {} {}".format(
            self.round_trips, seconds(overhead), seconds(server), *self.status)
        passed = self.round_trips == expected and self.status == (200, "ok")
        return Row(f"{action} ({event_type})", seconds(subject), seconds(baseline), times(subject / baseline),
                   f"{expected} round trips", verdict(passed), detail)


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started
