"""`shared.wire.event`: the fields of a request that make an event, and the immutable `Event` parsed from them."""
from __future__ import annotations

import json

import pytest

from localcatch.samples import SAMPLE_CONTAINER_KEY, SAMPLE_OBJECT_KEY, body_fields, catch_request, sample_event
from shared.core.errors import MalformedRequest
from shared.wire.catalogue import SUBJECTS
from shared.wire.event import MAX_OBJECT_CHARS, MAX_TEXT_CHARS, Event, event_fields, parse_event
from shared.wire.headers import RAW_BODY_FIELD, raw_body

SECRET = "whsec-test-7f3a9c"
PROFILE_TYPE = "profile.parsing.success"
JOB_TYPE = "job.storing.success"
BOARD_KEY = "b0a2d" * 8
SOURCE_KEY = "50c4e" * 8


def test_event_fields_are_the_body_fields_of_an_event_only():
    request = catch_request(sample_event(JOB_TYPE), SECRET, "raw-body")
    assert sorted(event_fields(request)) == ["job", "message", "origin", "type"]
    assert raw_body(request) == request[RAW_BODY_FIELD]
    assert raw_body(body_fields(sample_event(JOB_TYPE), "form")) is None


@pytest.mark.parametrize("encoding", ["form", "json"])
@pytest.mark.parametrize("event_type, container", [(PROFILE_TYPE, "source"), (JOB_TYPE, "board")])
def test_event_is_read_from_the_object_as_text_or_dict(event_type, container, encoding):
    fields = body_fields(sample_event(event_type, message="hello", origin="api"), encoding)
    event = parse_event(fields)
    subject = SUBJECTS[event_type.split(".")[0]]
    assert event == Event(event_type, "api", "hello", subject, SAMPLE_OBJECT_KEY, SAMPLE_CONTAINER_KEY, event_type)
    assert event.subject.container == container


def test_job_container_falls_back_from_board_key_to_source_key():
    fields = {"type": JOB_TYPE, "job": {"key": "job1", "source": {"key": SOURCE_KEY}}}
    assert parse_event(fields).container_key == SOURCE_KEY


def test_job_container_prefers_board_key_over_source_key():
    fields = {"type": JOB_TYPE, "job": {"key": "job1", "board": {"key": BOARD_KEY}, "source": {"key": SOURCE_KEY}}}
    assert parse_event(fields).container_key == BOARD_KEY


def test_profile_container_is_its_source_never_a_board():
    fields = {"type": PROFILE_TYPE, "profile": {"key": "p1", "board": {"key": BOARD_KEY}}}
    with pytest.raises(MalformedRequest, match="no source key"):
        parse_event(fields)


def test_job_without_board_or_source_is_malformed():
    with pytest.raises(MalformedRequest, match="no board or source key"):
        parse_event({"type": JOB_TYPE, "job": {"key": "job1"}})


@pytest.mark.parametrize("container", ["d900", ["key"], 7])
def test_container_that_is_not_an_object_is_malformed(container):
    with pytest.raises(MalformedRequest, match="board is not an object"):
        parse_event({"type": JOB_TYPE, "job": {"key": "job1", "board": container}})


def test_missing_optional_text_reads_as_empty():
    event = parse_event({"type": JOB_TYPE, "job": {"key": "j", "board": {"key": "b"}}})
    assert (event.origin, event.message) == ("", "")


@pytest.mark.parametrize(
    "key",
    ["a", "A-z_0", "k" * 64, SAMPLE_OBJECT_KEY, "-", "_"],
)
def test_keys_of_letters_digits_dash_and_underscore_up_to_64_chars_are_accepted(key):
    event = parse_event(sample_event(PROFILE_TYPE, key=key, container_key=key))
    assert (event.key, event.container_key) == (key, key)


@pytest.mark.parametrize(
    "key",
    [
        "k" * 65,
        "",
        "has space",
        "../etc",
        "..",
        "a/b",
        "a.b",
        "clé",
        "山田",
        "key\n",
        "\tkey",
        "a%2Fb",
        "a\x00",
        12345,
        None,
        ["k"],
        {"k": 1},
        1.5,
        True,
    ],
    ids=repr,
)
@pytest.mark.parametrize("which", ["key", "container_key"])
def test_object_and_container_keys_must_be_plain_identifiers(which, key):
    fields = sample_event(JOB_TYPE, **{which: key})
    with pytest.raises(MalformedRequest, match="key of 1 to 64 letters, digits"):
        parse_event(fields)


@pytest.mark.parametrize("event_type", [PROFILE_TYPE, "profile.storing.error", "profile.scoring.update"])
def test_profile_type_carrying_a_job_field_is_malformed(event_type):
    fields = sample_event(JOB_TYPE)
    fields["type"] = event_type
    with pytest.raises(MalformedRequest, match="carries a job field"):
        parse_event(fields)


def test_job_type_carrying_a_profile_field_is_malformed():
    fields = sample_event(PROFILE_TYPE)
    fields["type"] = JOB_TYPE
    with pytest.raises(MalformedRequest, match="carries a profile field"):
        parse_event(fields)


def test_event_with_both_objects_or_neither_is_malformed():
    both = dict(sample_event(PROFILE_TYPE), job=sample_event(JOB_TYPE)["job"])
    neither = {"type": PROFILE_TYPE, "message": "m"}
    for fields in (both, neither):
        with pytest.raises(MalformedRequest, match="exactly one of the fields profile or job"):
            parse_event(fields)


def test_unknown_type_is_read_with_the_object_it_carries():
    fields = dict(sample_event(JOB_TYPE), type="job.archiving.success")
    assert parse_event(fields).subject.name == "job"


@pytest.mark.parametrize(
    "field, value, reason",
    [
        ("type", None, "type is missing"),
        ("type", 7, "type is not text"),
        ("message", ["a"], "message is not text"),
        ("origin", {"a": 1}, "origin is not text"),
        ("type", "t" * (MAX_TEXT_CHARS + 1), "type is longer"),
    ],
    ids=["type missing", "type int", "message list", "origin object", "type too long"],
)
def test_event_text_fields_must_be_text_of_bounded_length(field, value, reason):
    fields = sample_event(PROFILE_TYPE)
    if value is None:
        del fields[field]
    else:
        fields[field] = value
    with pytest.raises(MalformedRequest, match=reason):
        parse_event(fields)


def test_message_at_the_length_limit_is_accepted():
    fields = dict(sample_event(PROFILE_TYPE), message="m" * MAX_TEXT_CHARS)
    assert len(parse_event(fields).message) == MAX_TEXT_CHARS


@pytest.mark.parametrize(
    "value, reason",
    [
        (["key"], "not a JSON object"),
        (42, "not a JSON object"),
        ("[1, 2]", "not a JSON object"),
        ('"text"', "not a JSON object"),
        ("{not json", "not valid JSON"),
        ("[" * 100000 + "]" * 100000, "not valid JSON"),
        (" " * (MAX_OBJECT_CHARS + 1), "longer than"),
    ],
    ids=["list", "int", "JSON array text", "JSON string text", "bad JSON text", "deep JSON text", "oversized text"],
)
def test_object_field_must_be_a_json_object(value, reason):
    fields = dict(sample_event(PROFILE_TYPE), profile=value)
    with pytest.raises(MalformedRequest, match=reason):
        parse_event(fields)


def test_event_is_immutable():
    event = parse_event(sample_event(PROFILE_TYPE))
    with pytest.raises(AttributeError):
        event.key = "other"
    assert json.loads(json.dumps(event._asdict()))["key"] == SAMPLE_OBJECT_KEY


def test_a_long_message_is_cut_not_rejected_so_its_alert_still_goes_out():
    fields = dict(sample_event(PROFILE_TYPE), message="m" * (MAX_TEXT_CHARS + 10))
    assert parse_event(fields).message == "m" * MAX_TEXT_CHARS + "..."
