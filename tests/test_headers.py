"""`shared.wire.headers`: `_request` as Catch hands it to a workflow, body fields and headers in one dict; the
signature header found by any of its published names and spellings, and the request's shape."""
from __future__ import annotations

import pytest

from localcatch.samples import SAMPLE_OBJECT_KEY, catch_request, sample_event
from localcatch.signers import parse_secrets
from shared.core.errors import MalformedRequest
from shared.wire.headers import MAX_REQUEST_FIELDS, SIGNATURE_HEADER, check_shape, find_header, find_signature
from shared.wire.verification import verified_event

SECRET = "whsec-test-7f3a9c"
PROFILE_TYPE = "profile.parsing.success"


def signed_request_with_header_named(name: str, event: dict) -> dict:
    request = catch_request(event, SECRET)
    request[name] = request.pop(SIGNATURE_HEADER)
    return request


# The signature header.


def test_two_spellings_of_the_header_with_different_values_are_rejected():
    request = catch_request(sample_event(PROFILE_TYPE), SECRET)
    request["http_hrflow_signature"] = "0" * 64
    with pytest.raises(MalformedRequest, match="twice"):
        find_signature(request)
    with pytest.raises(MalformedRequest, match="twice"):
        verified_event(request, parse_secrets(SECRET))


def test_two_spellings_of_the_header_with_the_same_value_are_one_header():
    request = catch_request(sample_event(PROFILE_TYPE), SECRET)
    request["Http-Hrflow-Signature"] = request[SIGNATURE_HEADER]
    assert find_signature(request)[1] == request[SIGNATURE_HEADER]


def test_missing_header_is_none_and_non_text_keys_are_ignored():
    request = {1: "x", None: "y", ("HTTP-HRFLOW-SIGNATURE",): "z", "type": PROFILE_TYPE}
    assert find_signature(request) == (None, None)


@pytest.mark.parametrize(
    "name", ["HTTP-HRFLOW-SIGNATURE ", "HTTP HRFLOW SIGNATURE", "HTTPHRFLOWSIGNATURE", "X-HRFLOW-SIGNATURE"]
)
def test_near_miss_header_names_are_not_the_signature_header(name):
    assert find_signature({name: "a" * 64}) == (None, None)


@pytest.mark.parametrize(
    "name",
    [
        "HTTP-HRFLOW-SIGNATURE",
        "http_hrflow_signature",
        "Http-Hrflow-Signature",
        "HTTP_HRFLOW_SIGNATURE",
        "http-hrflow_SIGNATURE",
        "HRFLOW-SIGNATURE",
        "hrflow_signature",
        "Hrflow-Signature",
        "HTTP-RIMINDER-SIGNATURE",
        "http_riminder_signature",
        "Http-Riminder-Signature",
    ],
)
def test_each_published_name_of_the_header_in_any_case_with_dash_or_underscore_is_the_signature_header(name):
    event = sample_event(PROFILE_TYPE)
    request = signed_request_with_header_named(name, event)
    assert find_signature(request) == (name, request[name])
    event_seen, verified = verified_event(request, parse_secrets(SECRET))
    assert (event_seen.key, verified.scheme) == (SAMPLE_OBJECT_KEY, "form-json")


@pytest.mark.parametrize("other", ["HRFLOW-SIGNATURE", "HTTP-RIMINDER-SIGNATURE", "http_riminder_signature"])
def test_two_names_of_the_header_with_different_values_are_malformed(other):
    request = catch_request(sample_event(PROFILE_TYPE), SECRET)
    request[other] = "0" * 64
    with pytest.raises(MalformedRequest, match="twice, with different values"):
        verified_event(request, parse_secrets(SECRET))
    request[other] = request[SIGNATURE_HEADER]
    assert verified_event(request, parse_secrets(SECRET))[0].key == SAMPLE_OBJECT_KEY


def test_any_header_can_be_found_by_its_names():
    assert find_header({"content-type": "application/json"}, "Content-Type") == ("content-type", "application/json")


# The request's shape.


@pytest.mark.parametrize("request_value", [None, "type=x", b"{}", ["type"], 42, ("a", "b")], ids=repr)
def test_anything_but_a_dict_is_malformed(request_value):
    with pytest.raises(MalformedRequest, match="not a dict"):
        check_shape(request_value)


def test_request_with_more_than_the_maximum_fields_is_malformed():
    at_limit = {"field{}".format(n): n for n in range(MAX_REQUEST_FIELDS)}
    check_shape(at_limit)
    at_limit["one more"] = 0
    with pytest.raises(MalformedRequest, match="more than {}".format(MAX_REQUEST_FIELDS)):
        check_shape(at_limit)
