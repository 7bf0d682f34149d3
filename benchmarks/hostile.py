"""Hostile sizes: what a CV of huge fields, or a huge unauthenticated request, costs.

- notify: one valid profile.storing.success event whose profile has seven fields of 1 MB (2^20 characters)
  of distinct code points each (every code point from U+0020 on, surrogates skipped, each field starting
  where the one before ended), after one such profile was already read, so that nothing a first one could
  leave behind helps or hinders. Baseline: the same notify on plain ASCII fields of the same size in bytes
  (the same bytes on the wire); a second row, diagnostic, against ASCII of the same number of characters.
  HrFlow's replies are served as UTF-8 JSON, pre-encoded, so the fake costs only the writing.
- probe: `dist/catch_probe.py` answering a forged form request of 9 MB, against the same request at 9 KB:
  padded in its profile field, or in its type field (distinct code points), whose value the probe shows.
"""
from __future__ import annotations

import functools
import json
import time
from pathlib import Path
from typing import Callable

from harness import PROFILE_KEY, SOURCE_KEY, dist_file, fake_servers, load_dist, quiet
from payloads import FORGED_SECRET, SECRET
from report import Row, ratio_row, seconds, section, times
from timing import Profile, compare, compare_commands

from localcatch.fakes import Reply, sample_profile
from localcatch.samples import catch_request, sample_event

MEGABYTE = 1 << 20
SEVEN_FIELDS = (("info", "full_name"), ("info", "first_name"), ("info", "last_name"), ("info", "email"),
                ("info", "location", "text"), ("experiences", 0, "title"), ("experiences", 0, "company"))
PROFILE_GET = "/v1/profile/indexing"
NOTIFY_LIMIT, PROBE_LIMIT = 1.5, 2.0


def _distinct_code_points(count: int, start: int) -> str:
    """`count` consecutive code points from `start` on (from U+0020, surrogates skipped, wrapping around)."""
    chars, code = [], start
    while len(chars) < count:
        code = 0x20 if code > 0x10FFFF else code
        if not 0xD800 <= code <= 0xDFFF:
            chars.append(chr(code))
        code += 1
    return "".join(chars)


def _profile_with(texts: list[str]) -> dict:
    profile = sample_profile(PROFILE_KEY, SOURCE_KEY)
    for path, text in zip(SEVEN_FIELDS, texts):
        *parents, last = path
        holder = profile
        for step in parents:
            holder = holder[step]
        holder[last] = text
    return profile


def _reply(profile: dict) -> Reply:
    body = json.dumps({"code": 200, "message": "Profile retrieved", "data": profile}, ensure_ascii=False)
    return Reply(200, body.encode("utf-8"), {"Content-Type": "application/json"})


def _notify_rows(dist: Path, profile: Profile) -> list[Row]:
    distinct = [_distinct_code_points(MEGABYTE, 0x20 + index * MEGABYTE) for index in range(len(SEVEN_FIELDS))]
    first = [_distinct_code_points(MEGABYTE, 0x20 + (index + 7) * MEGABYTE) for index in range(len(SEVEN_FIELDS))]
    same_bytes = ["a" * len(text.encode("utf-8")) for text in distinct]
    same_chars = ["a" * MEGABYTE] * len(SEVEN_FIELDS)
    replies = {name: _reply(_profile_with(texts)) for name, texts in
               (("distinct", distinct), ("first", first), ("bytes", same_bytes), ("chars", same_chars))}
    workflow = load_dist(dist_file(dist, "profile.storing.success"))["workflow"]
    request = catch_request(sample_event("profile.storing.success", key=PROFILE_KEY, container_key=SOURCE_KEY),
                            SECRET)
    pairs = max(3, profile.heavy_pairs * 2)
    with fake_servers() as (hrflow, _, values), quiet():

        def notify(name: str) -> float:
            hrflow.script(PROFILE_GET, [replies[name]])
            started = time.perf_counter()
            response = workflow(dict(request), dict(values))
            elapsed = time.perf_counter() - started
            if response["status_code"] != 200:
                raise RuntimeError("notify answered {}: {}".format(response["status_code"], response["body"][:300]))
            return elapsed

        notify("first")  # imports the SDKs, and reads a profile of other code points first
        against_bytes = compare_commands(lambda: notify("distinct"), lambda: notify("bytes"), pairs)
        against_chars = compare_commands(lambda: notify("distinct"), lambda: notify("chars"), pairs)
    wire = sum(len(text.encode("utf-8")) for text in distinct) / MEGABYTE
    return [ratio_row(
        "notify, 7 fields of 1 MB of distinct code points ({:.0f} MB as UTF-8)".format(wire), *against_bytes,
        NOTIFY_LIMIT, detail="baseline: ASCII of the same size in bytes; against ASCII of the same characters, "
        "{} ({}): the JSON of {:.0f} MB of UTF-8 to decode, not 7".format(
            times(against_chars.ratio), seconds(against_chars.baseline), wire))]


def _probe_request(size: int, field: str) -> dict:
    """A forged request of about `size` bytes as UTF-8, padded in `field`: the profile's JSON text, or the
    event type, with distinct code points, as the probe shows the type's value."""
    event = sample_event("profile.parsing.success", key=PROFILE_KEY, container_key=SOURCE_KEY)
    request = catch_request(event, FORGED_SECRET)
    if field == "profile":
        padding = "x" * (size - len(request["profile"]))
        request["profile"] = request["profile"][:-1] + ', "text": "{}"}}'.format(padding)
    else:
        request["type"] = _distinct_code_points(size, 0x20).encode("utf-8")[:size].decode("utf-8", "ignore")
    return request


def _probe_rows(dist: Path, profile: Profile) -> list[Row]:
    probe: Callable[[dict, dict], dict] = load_dist(dist / "catch_probe.py")["workflow"]
    settings = {"HRFLOW_WEBHOOK_SECRET": SECRET}
    rows = []
    with quiet():
        for field in ("profile", "type"):
            large, small = _probe_request(9 * 1000 * 1000, field), _probe_request(9 * 1000, field)
            probe(dict(small), dict(settings))  # the first call imports the SDKs, to report their versions
            timed = compare(functools.partial(_answer, probe, large, settings),
                            functools.partial(_answer, probe, small, settings), profile)
            rows.append(ratio_row("probe, a forged 9 MB form request, padded in its {} field".format(field), *timed,
                                  PROBE_LIMIT, detail="baseline: the same at 9 KB"))
    return rows


def _answer(workflow: Callable[[dict, dict], dict], request: dict, settings: dict) -> dict:
    """One call as Catch makes it: its own copies of the request and the settings."""
    return workflow(dict(request), dict(settings))


def hostile_rows(dist: Path, profile: Profile) -> list[Row]:
    rows = [section("hostile sizes: relayed fields of 1 MB, a 9 MB unauthenticated request (note 10)")]
    return rows + _notify_rows(dist, profile) + _probe_rows(dist, profile)
