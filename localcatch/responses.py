"""A Catch response shown to a person: printed, what its JSON body says, and, when the workflow could not reach
HrFlow or Mandrill, where it tried and how to start the fakes."""
from __future__ import annotations

import json
import os
from typing import Any

from localcatch.config import HRFLOW_URL_SETTING, LOCAL_SETTINGS, MANDRILL_URL_SETTING, ROOT, setting_source
from localcatch.log import shown_url
from shared.outbound.hrflow import DEFAULT_HRFLOW_API_URL
from shared.outbound.mandrill import DEFAULT_MANDRILL_API_URL
from shared.pipeline.answer import CatchResponse


def print_response(status_code: int, body: str) -> None:
    """The status code, then the body, indented when it is JSON."""
    try:
        body = json.dumps(json.loads(body), indent=2, sort_keys=True)
    except ValueError:
        pass
    print("HTTP {}\n{}".format(status_code, body))


def status_and_reason(response: CatchResponse) -> tuple[str, str]:
    """The `status` and `reason` of a workflow's JSON answer ("" for what it lacks)."""
    try:
        body = json.loads(response["body"])
    except (ValueError, RecursionError):
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    status, reason = body.get("status"), body.get("reason")
    return status if isinstance(status, str) else "", reason if isinstance(reason, str) else ""


UNREACHABLE = (("HrFlow could not be reached", HRFLOW_URL_SETTING, DEFAULT_HRFLOW_API_URL),
               ("Mandrill could not be reached", MANDRILL_URL_SETTING, DEFAULT_MANDRILL_API_URL))


def unreachable_hints(response: CatchResponse, settings: dict[str, Any], path: str | None) -> list[str]:
    """When the workflow could not reach HrFlow or Mandrill: the URL it tried, and how to start the fakes."""
    reason = status_and_reason(response)[1] if response["status_code"] >= 500 else ""
    fakes = "python catch.py fakes" + ("" if path is None or os.path.realpath(path) == str(ROOT / LOCAL_SETTINGS)
                                       else " --settings " + path)
    hints = []
    for says, name, default in UNREACHABLE:
        if says not in reason:
            continue
        url = settings.get(name)
        if isinstance(url, str) and url.strip():
            hints.append("{} at {} ({}): are the fakes running? Start them with: {}".format(
                says, shown_url(url), setting_source(name, path), fakes))
        else:
            hints.append("{} at {}, the default, since no {} is set. To try the workflow locally, set it as {} "
                         "does and start the fakes: {}".format(says, default, name, LOCAL_SETTINGS, fakes))
    return hints
