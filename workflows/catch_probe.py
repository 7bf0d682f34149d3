"""Probe: paste it first; it reports what Catch hands a workflow on your account, and acts on nothing.

Answers every request with 200 and a JSON report: the Python version, the
versions of hrflow, mailchimp_transactional and requests, every key of the
request with its type and length (values only for `type` and `Content-Type`),
which header carried the signature and its shape, and, with
`HRFLOW_WEBHOOK_SECRET` set, which scheme and variant verified it, the names of
the settings, and whether settings persist from one execution to the next.
Never a secret or a signature. Remove it once you have read its answer.
"""
from shared.pipeline.probe import PROBE_SETTINGS, probe

EVENT_TYPES = ()
SETTINGS = PROBE_SETTINGS


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return probe(_request, settings)
