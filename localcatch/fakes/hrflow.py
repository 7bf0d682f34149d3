"""A fake HrFlow API v1: profiles and jobs to fetch, and scoring results, behind HrFlow's own authentication."""
from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any, Callable, Optional

from localcatch.fakes.objects import HrflowObject, hrflow_key, sample_job, sample_profile
from localcatch.fakes.server import FakeServer, Record, Reply, json_reply

# Scoring results, `(object, score)`, for one profile or job key, or for any (None).
ScoringTable = dict[Optional[str], list[tuple[HrflowObject, float]]]


class FakeHrflow(FakeServer):
    """HrFlow API v1. ``url`` ends with ``/v1/`` (the SDK concatenates endpoints).

    Every request must carry ``X-API-KEY == api_secret`` and
    ``X-USER-EMAIL == api_user``, else 401. Successful replies use exactly
    ``Content-Type: application/json`` (hrflow 4.3.0 compares it with ``==``).

    Scoring replies (``GET /v1/jobs/scoring`` and ``/v1/profiles/scoring``)::

        {"code": 200, "message": "Jobs scoring results",
         "meta": {"page": 1, "maxPage": 1, "count": 2, "total": 2},
         "data": {"jobs": [job, ...], "predictions": [[1 - score, score], ...]}}

    (``"profiles"`` instead of ``"jobs"``). As in HrFlow, objects carry no score of
    their own: the score of ``data.jobs[i]`` is ``data.predictions[i][1]``. Results
    are filtered to the requested ``board_keys``/``source_keys``, paginated with
    ``limit``/``page`` and, for ``sort_by=scoring``, sorted by score (``order_by``).
    """

    base_path = "/v1/"

    def __init__(self, api_secret: str | None = "test-api-secret", api_user: str | None = "tester@example.com",
                 port: int = 0):
        super().__init__(port)
        self.api_secret, self.api_user = api_secret, api_user
        self.profiles: dict[tuple[object, object], HrflowObject] = {}  # (source_key, key) -> profile
        self.jobs: dict[tuple[object, object], HrflowObject] = {}  # (board_key, key) -> job
        self.job_scoring: ScoringTable = {}  # profile_key or None (any) -> [(job, score)]
        self.profile_scoring: ScoringTable = {}  # job_key or None (any) -> [(profile, score)]

    def add_profile(self, profile: HrflowObject) -> HrflowObject:
        """Store a profile (needs ``key`` and ``source.key``); returns it."""
        with self._lock:
            self.profiles[(profile["source"]["key"], profile["key"])] = profile
        return profile

    def add_job(self, job: HrflowObject) -> HrflowObject:
        """Store a job (needs ``key`` and ``board.key``); returns it."""
        with self._lock:
            self.jobs[(_board_key(job), job["key"])] = job
        return job

    def set_job_scoring(self, results: Iterable[tuple[HrflowObject, float]],
                        profile_key: str | None = None) -> None:
        """Jobs returned by /jobs/scoring: ``[(job, score), ...]``, for ``profile_key``
        (or for any profile without a specific entry when None)."""
        with self._lock:
            self.job_scoring[profile_key] = list(results)

    def set_profile_scoring(self, results: Iterable[tuple[HrflowObject, float]],
                            job_key: str | None = None) -> None:
        """Profiles returned by /profiles/scoring: ``[(profile, score), ...]``."""
        with self._lock:
            self.profile_scoring[job_key] = list(results)

    def hold_scoring_samples(self, profile_key: str, source_key: str, job_key: str, board_key: str) -> None:
        """Hold the tests' and the benchmarks' sample world: a profile, its job and a second one of the same
        board, the profile scoring 91% and 42% against them, and 77% against any job."""
        profile = self.add_profile(sample_profile(profile_key, source_key))
        job = self.add_job(sample_job(job_key, board_key))
        other_job = self.add_job(sample_job(hrflow_key(job_key + "-2"), board_key, name="Platform Engineer"))
        self.set_job_scoring([(job, 0.91), (other_job, 0.42)])
        self.set_profile_scoring([(profile, 0.77)])

    def handle(self, record: Record) -> Reply:
        headers = {k.lower(): v for k, v in record["headers"].items()}
        if (headers.get("x-api-key") != self.api_secret
                or headers.get("x-user-email") != self.api_user):
            return json_reply(401, {"code": 401, "message": "Unauthorized. Invalid secret key: ****"})
        q = record["query"]
        routes: dict[str, Callable[[], Reply]] = {
            "/v1/profile/indexing": lambda: self._get(self.profiles, q.get("source_key"), q, "profile"),
            "/v1/job/indexing": lambda: self._get(self.jobs, q.get("board_key"), q, "job"),
            "/v1/jobs/scoring": lambda: self._score(
                q, "jobs", "board_keys", _board_key, self.job_scoring, q.get("profile_key")),
            "/v1/profiles/scoring": lambda: self._score(
                q, "profiles", "source_keys", lambda p: p["source"]["key"],
                self.profile_scoring, q.get("job_key")),
        }
        if record["path"] not in routes:
            return json_reply(404, {"code": 404, "message": f"Not found: {record['path']}"})
        if record["method"] != "GET":
            return json_reply(405, {"code": 405, "message": "Method not allowed"})
        return routes[record["path"]]()

    def _get(self, store: dict[tuple[object, object], HrflowObject], provider: object, q: dict[str, object],
             subject: str) -> Reply:
        key, ref = q.get("key"), q.get("reference")
        with self._lock:
            for (prov, obj_key), obj in store.items():
                if prov == provider and ((key and obj_key == key)
                                         or (not key and ref and obj.get("reference") == ref)):
                    return json_reply(200, {"code": 200, "message": f"{subject.capitalize()} retrieved",
                                            "data": obj})
        return json_reply(400, {"code": 400, "message": f"Unable to find object: {subject}", "data": []})

    def _score(self, q: dict[str, Any], items: str, list_param: str, owner: Callable[[HrflowObject], object],
               table: ScoringTable, scored: str | None) -> Reply:
        try:
            providers = json.loads(q.get(list_param, ""))
            limit, page = int(q.get("limit", 30)), int(q.get("page", 1))
            assert isinstance(providers, list) and limit > 0 and page > 0
        except (ValueError, AssertionError):
            return json_reply(400, {"code": 400, "message": f"Invalid parameters. {list_param}, limit or page"})
        with self._lock:
            rows = list(table.get(scored, table.get(None, [])))
        rows = [(obj, score) for obj, score in rows if owner(obj) in providers]
        if q.get("sort_by") == "scoring":
            rows.sort(key=lambda row: row[1], reverse=q.get("order_by") != "asc")
        chunk = rows[(page - 1) * limit: page * limit]
        return json_reply(200, {
            "code": 200, "message": f"{items.capitalize()} scoring results",
            "meta": {"page": page, "maxPage": math.ceil(len(rows) / limit),
                     "count": len(chunk), "total": len(rows)},
            "data": {items: [obj for obj, _ in chunk],
                     "predictions": [[1 - score, score] for _, score in chunk]}})


def _board_key(job: HrflowObject) -> object:
    return (job.get("board") or {}).get("key") or job.get("board_key")
