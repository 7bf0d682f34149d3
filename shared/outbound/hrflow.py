"""HrFlow's API through the `hrflow` SDK, with its sharp edges filed off.

The SDK (hrflow 3.0.0 to 4.3.0 alike) sets no timeout, follows redirects,
calls `requests.get` itself, needs `api_url` to end with "/", returns
`{"code", "message", "data"}` instead of raising, and turns any reply not
typed exactly `application/json` into a generic error. Here every
call is bounded by the budget, transient failures are retried (reads are
safe to repeat), "Unable to find object" becomes `NotFound`, and any other
code than 200 a `DownstreamError` carrying HrFlow's message.
"""
from __future__ import annotations

import json

from shared.core.errors import DownstreamError, NotFound
from shared.core.settings import Settings, SettingsSpec
from shared.core.typecheck import TYPE_CHECKING
from shared.outbound.budget import Budget
from shared.outbound.packages import import_package, require
from shared.outbound.retry import Transient, retry_after_seconds, with_retries
from shared.wire.catalogue import SUBJECTS
from shared.wire.event import Event

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Match = tuple[dict[str, object], "float | None"]  # a scored object, and its score when it has one

DEFAULT_HRFLOW_API_URL = "https://api.hrflow.ai/v1/"
_NOT_FOUND_MARK = "Unable to find object"
_SDK_GENERIC_ERROR = "A generic error occurred on the server"


def _hrflow_api_url(settings: Settings) -> str:
    """`HRFLOW_API_URL` ending with "/", as the SDK needs."""
    return settings.url("HRFLOW_API_URL", DEFAULT_HRFLOW_API_URL).rstrip("/") + "/"


def _hrflow_credentials(settings: Settings) -> tuple[str, str]:
    return settings.text("HRFLOW_API_SECRET"), settings.text("HRFLOW_API_USER")


HRFLOW_SETTINGS = SettingsSpec(
    required=("HRFLOW_API_SECRET", "HRFLOW_API_USER"),
    optional=("HRFLOW_API_URL", "HTTP_TIMEOUT_SECONDS"),
    checks=(_hrflow_api_url, _hrflow_credentials),
)


class HrflowApi:
    """The reads the workflows make: one object, or the best matches for one."""

    def __init__(self, settings: Settings, budget: Budget):
        self._budget = budget
        self._timeout = budget.call_timeout
        self._client = self._bounded_client(_hrflow_api_url(settings), *_hrflow_credentials(settings))

    def _bounded_client(self, api_url: str, api_secret: str, api_user: str) -> Any:
        """An `hrflow.Hrflow` whose GETs, which all four reads go through (`Hrflow.get`), carry this
        client's timeout, follow no redirect and surface transient failures. `get` is replaced on the
        instance using the client's public members only (`api_url`, `auth_header`), so that every hrflow
        with the four reads works; one without them is a configuration error naming its version."""
        hrflow = import_package("hrflow")
        require("hrflow", hrflow, hasattr(hrflow, "Hrflow"), "Hrflow client")
        client = hrflow.Hrflow(api_url=api_url, api_secret=api_secret, api_user=api_user)
        reads = [getattr(getattr(getattr(client, subject, None), part, None), method, None)
                 for subject in SUBJECTS for part, method in (("storing", "get"), ("scoring", "list"))]
        require("hrflow", hrflow, all(callable(read) for read in reads) and hasattr(client, "auth_header"),
                "profile.storing.get, job.storing.get or the scoring lists")
        client.get = lambda resource_endpoint, query_params=None: self._get(client, resource_endpoint, query_params)
        return client

    def _get(self, client: Any, resource_endpoint: str, query_params: dict[str, object] | None) -> Any:
        """One GET as the SDK makes it (lists sent as JSON text), with a timeout and no redirect."""
        import requests

        params = {key: json.dumps(value) if isinstance(value, list) else value
                  for key, value in (query_params or {}).items()}
        try:
            response = requests.get(client.api_url + resource_endpoint, headers=client.auth_header,
                                    params=params or None, timeout=self._timeout,
                                    allow_redirects=False)  # a redirect would carry X-API-KEY to another host
        except requests.Timeout:
            raise Transient("HrFlow did not answer in time.") from None
        except requests.ConnectionError:
            raise Transient("HrFlow could not be reached.") from None
        except requests.RequestException as error:  # a reply cut off mid-way: reads are safe to repeat
            raise Transient("HrFlow's reply broke off ({}).".format(type(error).__name__)) from None
        if response.is_redirect:
            raise DownstreamError("HrFlow answered with a redirect (HTTP {}), which is not followed: "
                                  "check HRFLOW_API_URL.".format(response.status_code), 500)
        if response.status_code == 429 or response.status_code >= 500:
            raise Transient(
                "HrFlow answered HTTP {}.".format(response.status_code),
                retry_after_seconds(response.headers.get("Retry-After")),
            )
        return response

    def _read(self, what: str, call: Callable[[], object]) -> object:
        """Make one SDK read with retries, and return its `data` or raise a typed error."""

        def attempt(timeout: float) -> dict[str, object]:
            self._timeout = timeout
            try:
                reply = call()
            except (KeyError, ValueError, RecursionError):
                # The SDK indexes Content-Type without checking it is there, and
                # parses any application/json body without checking it is JSON
                # (nested too deep for `json`, or an integer too long for `int`).
                raise DownstreamError("HrFlow's reply to {} could not be read.".format(what), 502) from None
            if not isinstance(reply, dict):
                raise DownstreamError("HrFlow's reply to {} is not an object.".format(what), 502)
            return reply

        reply = with_retries(attempt, self._budget, "HrFlow " + what)
        # HrFlow's message is untrusted text, kept whole: the pipeline redacts it before it is shortened.
        message, code = reply.get("message"), reply.get("code")
        message = message if isinstance(message, str) else ""
        if message == _SDK_GENERIC_ERROR:
            raise DownstreamError(
                "HrFlow answered HTTP {} to {} with a reply that is not application/json.".format(
                    _shown_code(code), what),
                502,
            )
        if code == 200:
            return reply.get("data")
        if _NOT_FOUND_MARK.lower() in message.lower():
            raise NotFound("HrFlow has no such {}: {}".format(what, message))
        if code in (401, 403):
            raise DownstreamError("HrFlow refused the API credentials for {}: {}".format(what, message), 500)
        raise DownstreamError("HrFlow answered {} to {}: {}".format(_shown_code(code), what, message), 502)

    def object_of(self, event: Event) -> dict[str, object]:
        """The profile or job the event is about: `profile.storing.get(source_key, key)` or
        `job.storing.get(board_key, key)`."""
        subject = event.subject
        storing = getattr(self._client, subject.name).storing
        where = {subject.container + "_key": event.container_key}
        data = self._read(subject.name, lambda: storing.get(key=event.key, **where))
        if not isinstance(data, dict):
            raise NotFound("HrFlow returned no {} data.".format(subject.name))
        return data

    def best_matches(self, event: Event, keys: tuple[str, ...], agent_key: str, limit: int) -> list[Match]:
        """The best-scored matches for the event's object, as (object, score) pairs, best first: jobs of
        the boards `keys` for a profile (`job.scoring.list(board_keys, source_key, profile_key)`),
        profiles of the sources `keys` for a job (`profile.scoring.list(source_keys, board_key, job_key)`)."""
        subject, matches = event.subject, SUBJECTS[event.subject.matches]
        scoring = getattr(self._client, matches.name).scoring
        query = {matches.container + "_keys": list(keys), subject.container + "_key": event.container_key,
                 subject.name + "_key": event.key, "agent_key": agent_key, "limit": limit,
                 "sort_by": "scoring", "order_by": "desc"}
        data = self._read(matches.name + " scoring", lambda: scoring.list(**query))
        return _scored(data, matches.name + "s", limit)


def _shown_code(code: object) -> object:
    """HrFlow's reply code as shown in a reason: a number, or a word when the reply holds none."""
    return code if isinstance(code, int) and not isinstance(code, bool) else "without a code"


def _scored(data: object, items_key: str, limit: int) -> list[Match]:
    """Pair HrFlow's scoring items with their scores (`predictions[i][1]`, a number from 0 to 1,
    else None); an item that is not an object is skipped, and its prediction with it."""
    if not isinstance(data, dict) or not isinstance(data.get(items_key), list):
        raise DownstreamError("HrFlow's scoring reply has no {} list.".format(items_key), 502)
    given = data.get("predictions")
    predictions = given if isinstance(given, list) else []
    pairs = []
    for index, item in enumerate(data[items_key][:limit]):
        if not isinstance(item, dict):
            continue
        prediction = predictions[index] if index < len(predictions) else None
        score = prediction[1] if isinstance(prediction, list) and len(prediction) > 1 else item.get("score")
        pairs.append((item, score if _is_score(score) else None))
    return pairs


def _is_score(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1
