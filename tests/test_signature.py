"""The three `HTTP-HRFLOW-SIGNATURE` schemes: what verifies, what never does, and interop with HrFlow's SDKs.

Acceptance goes through `shared.wire.verification.verified_event`, the exact check every
workflow makes (signature, then the body fields against what it signs).
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import io
import json

import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from localcatch.samples import (
    ENCODINGS,
    SAMPLE_CONTAINER_KEY,
    SAMPLE_OBJECT_KEY,
    body_fields,
    catch_request,
    sample_event,
    wire_body,
)
from localcatch.signers import parse_secrets, sign_form_json, sign_raw_body, sign_signed_request
from recorder import EVENT_TYPE, Recorder, answer, contract, fresh_settings
from shared.core.errors import CatchError, MalformedRequest, SignatureError
from shared.pipeline.run import run
from shared.wire.catalogue import CATALOGUE, SUBJECTS
from shared.wire.event import Event
from shared.wire.headers import RAW_BODY_FIELD, SIGNATURE_HEADER
from shared.wire.signature import MAX_SIGNATURE_CHARS, SCHEMES, split_secrets, verify_signature
from shared.wire.verification import verified_event

SECRET = "whsec-test-7f3a9c"
OTHER_SECRET = "whsec-other-0000"
NON_ASCII = "Zoë Ørsted 山田"
RUBY_VECTOR = "9d101d2bf630748679226b767d2031634c520390ff0e926afc09bc65a05bfdb2"
PROFILE_TYPE = "profile.storing.success"
JOB_TYPE = "job.scoring.update"
OTHER_KEY = "0123456789abcdef0123456789abcdef01234567"

SCHEME_ENCODINGS = [(scheme, encoding) for scheme in SCHEMES for encoding in ENCODINGS]
EVENT_TYPE_NAMES = sorted(CATALOGUE)
KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=1, max_size=64)
ANY_CHAR = st.characters(codec=None) | st.characters(categories=["Cs"])
UTF8_CHAR = st.characters(codec="utf-8")
SECRETS = st.text(UTF8_CHAR, min_size=1, max_size=40).filter(lambda text: split_secrets(text) == (text,))


def verify(request: dict, secret_setting: str = SECRET) -> Event:
    """The event a workflow would get from `request`, or the error it would answer with."""
    event, _ = verified_event(request, parse_secrets(secret_setting))
    return event


def scheme_of(request: dict, secret_setting: str = SECRET) -> str:
    return verified_event(request, parse_secrets(secret_setting))[1].scheme


def expected(event: dict) -> Event:
    subject = "profile" if "profile" in event else "job"
    container = event[subject].get("source") or event[subject].get("board")
    return Event(event["type"], event["origin"], event["message"], SUBJECTS[subject], event[subject]["key"],
                 container["key"], event["type"])


def flip(char: str) -> str:
    """A different character of the same sort, so the tampered value still looks plausible."""
    if char.isdigit():
        return str((int(char) + 1) % 10)
    if char.isalpha() and char.swapcase() != char:
        return char.swapcase()
    return "_" if char != "_" else "-"


def _holder(event: dict, field: str) -> tuple[dict, str]:
    """Where `field` (type, message, key or container key) lives in `event`, and under which name."""
    subject = "profile" if "profile" in event else "job"
    container = "source" if subject == "profile" else "board"
    return {
        "type": (event, "type"),
        "message": (event, "message"),
        "key": (event[subject], "key"),
        "container key": (event[subject][container], "key"),
    }[field]


def tampered(event: dict, field: str, position: int) -> dict:
    """`event` with the character at `position` of `field` flipped."""
    copy = json.loads(json.dumps(event))
    holder, name = _holder(copy, field)
    value = holder[name]
    holder[name] = value[:position] + flip(value[position]) + value[position + 1 :]
    assert holder[name] != value
    return copy


def forged(original: dict, changed: dict, scheme: str, encoding: str) -> dict:
    """The request for `changed` carrying the signature made for `original` (a man in the middle)."""
    request = catch_request(changed, SECRET, scheme, encoding)
    genuine = catch_request(original, SECRET, scheme, encoding)[SIGNATURE_HEADER]
    if scheme == "signed-request":
        # Keep the genuine signature part, swap in the changed payload part.
        request[SIGNATURE_HEADER] = genuine.split(".")[0] + "." + request[SIGNATURE_HEADER].split(".")[1]
    else:
        request[SIGNATURE_HEADER] = genuine
    return request


def sdk_style_header(payload_text: str, secret: str) -> str:
    """A header made the way HrFlow's Python SDK checks it: hex HMAC of the payload text, both parts base64url."""
    digest = hmac.new(secret.encode("utf-8"), payload_text.encode("utf-8"), hashlib.sha256).hexdigest()
    return (
        base64.urlsafe_b64encode(digest.encode("ascii")).decode("ascii")
        + "."
        + base64.urlsafe_b64encode(payload_text.encode("utf-8")).decode("ascii")
    )


def php_style_header(payload_text: str, secret: str) -> str:
    """A header the way HrFlow's PHP SDK checks it: raw 32-byte HMAC of the decoded payload."""
    digest = hmac.new(secret.encode("utf-8"), payload_text.encode("utf-8"), hashlib.sha256).digest()
    return (
        base64.urlsafe_b64encode(digest).decode("ascii")
        + "."
        + base64.urlsafe_b64encode(payload_text.encode("utf-8")).decode("ascii")
    )


def only_hex_case_differs(header: str, other: str) -> bool:
    """Whether two signed-request headers carry the same payload and the same hex digest up to case."""
    try:
        decoded = [
            [base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)) for part in h.split(".")] for h in (header, other)
        ]
    except (binascii.Error, ValueError):
        return False
    return len(decoded[1]) == 2 and decoded[0][1] == decoded[1][1] and decoded[0][0].lower() == decoded[1][0].lower()


# Valid requests.


@pytest.mark.parametrize("event_type", [PROFILE_TYPE, JOB_TYPE])
@pytest.mark.parametrize("scheme, encoding", SCHEME_ENCODINGS)
def test_each_scheme_accepts_a_valid_request_with_the_object_as_text_or_dict(scheme, encoding, event_type):
    event = sample_event(event_type)
    request = catch_request(event, SECRET, scheme, encoding)
    assert isinstance(request[event_type.split(".")[0]], str if encoding == "form" else dict)
    assert verify(request) == expected(event)
    assert scheme_of(request) == scheme


@pytest.mark.parametrize("raw_digest", [False, True], ids=["hex-digest", "raw-digest"])
@pytest.mark.parametrize("padded", [True, False], ids=["padded", "unpadded"])
def test_signed_request_accepts_padded_and_unpadded_parts_with_hex_or_raw_digest(padded, raw_digest):
    event = sample_event(PROFILE_TYPE)
    header = sign_signed_request(event, SECRET, raw_digest=raw_digest, padded=padded)
    assert ("=" in header) == padded  # 64 hex digits or 32 bytes always need padding
    assert verify({SIGNATURE_HEADER: header}) == expected(event)


def test_signed_request_is_accepted_without_body_fields():
    event = sample_event(JOB_TYPE)
    assert verify({SIGNATURE_HEADER: sign_signed_request(event, SECRET)}) == expected(event)


@pytest.mark.parametrize("scheme", ["form-json", "raw-body"])
@pytest.mark.parametrize("case", [str.lower, str.upper], ids=["lower", "upper"])
def test_hex_signatures_are_accepted_in_either_case(scheme, case):
    event = sample_event(PROFILE_TYPE)
    request = catch_request(event, SECRET, scheme)
    request[SIGNATURE_HEADER] = case(request[SIGNATURE_HEADER])
    assert verify(request) == expected(event)


@pytest.mark.parametrize("case", [str.lower, str.upper], ids=["lower", "upper"])
def test_signed_request_hex_digest_is_accepted_in_either_case(case):
    event = sample_event(PROFILE_TYPE)
    signature_part, payload_part = sign_signed_request(event, SECRET).split(".")
    hex_digest = base64.urlsafe_b64decode(signature_part).decode("ascii")
    recased = base64.urlsafe_b64encode(case(hex_digest).encode("ascii")).decode("ascii")
    assert verify({SIGNATURE_HEADER: recased + "." + payload_part}) == expected(event)


@pytest.mark.parametrize("scheme, encoding", SCHEME_ENCODINGS)
def test_non_ascii_names_are_accepted_by_every_scheme(scheme, encoding):
    event = sample_event(PROFILE_TYPE, message="Candidate {} parsed".format(NON_ASCII), origin=NON_ASCII)
    assert verify(catch_request(event, SECRET, scheme, encoding)) == expected(event)


def test_signed_request_with_a_raw_utf8_payload_is_accepted():
    event = sample_event(JOB_TYPE, message=NON_ASCII)
    header = sign_signed_request(json.dumps(event, ensure_ascii=False), SECRET)
    assert NON_ASCII.encode("utf-8") in base64.urlsafe_b64decode(header.split(".")[1])
    assert verify({SIGNATURE_HEADER: header}) == expected(event)


OLD, NEW = "wsk_old secret 2025", "wsk_new-secret-2026"
ROTATIONS = ["{}, {}", "{},{}", "{}\n{}\n", " {} ,, {} ", "{}\r\n{}", "\t{}\t,\n{}"]


@pytest.mark.parametrize("setting", [rotation.format(OLD, NEW) for rotation in ROTATIONS])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_second_secret_of_a_rotation_setting_matches(scheme, setting):
    event = sample_event(PROFILE_TYPE)
    request = catch_request(event, NEW, scheme)
    assert verify(request, setting) == expected(event)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_first_secret_of_a_rotation_setting_still_matches(scheme):
    event = sample_event(PROFILE_TYPE)
    assert verify(catch_request(event, OLD, scheme), ", ".join((OLD, NEW))) == expected(event)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("piece", ["correct", "horse", "battery staple", "c"])
def test_a_secret_holding_spaces_is_one_secret_and_no_piece_of_it_verifies(scheme, piece):
    event = sample_event(PROFILE_TYPE)
    assert split_secrets("correct horse battery staple") == ("correct horse battery staple",)
    assert verify(catch_request(event, "correct horse battery staple", scheme),
                  "correct horse battery staple") == expected(event)
    with pytest.raises(SignatureError):
        verify(catch_request(event, piece, scheme), "correct horse battery staple")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_signature_check_compares_in_constant_time_against_every_secret(scheme, monkeypatch):
    compared = []

    def spy(a, b):
        compared.append((a, b))
        return hmac_compare(a, b)

    hmac_compare = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", spy)
    request = catch_request(sample_event(PROFILE_TYPE), "first", scheme)
    assert scheme_of(request, "first, second\nthird") == scheme
    # The first secret matches, yet every secret is still compared: no early exit. A signed
    # request is compared as the HMAC of its decoded payload and of its payload part as sent.
    assert len(compared) == 3 * (2 if scheme == "signed-request" else 1)


# Rejections.


@pytest.mark.parametrize("scheme, encoding", SCHEME_ENCODINGS)
def test_request_without_the_header_is_rejected(scheme, encoding):
    request = catch_request(sample_event(PROFILE_TYPE), SECRET, scheme, encoding)
    del request[SIGNATURE_HEADER]
    with pytest.raises(SignatureError, match="no signature header"):
        verify(request)


@pytest.mark.parametrize("scheme, encoding", SCHEME_ENCODINGS)
def test_request_signed_with_another_secret_is_rejected(scheme, encoding):
    request = catch_request(sample_event(PROFILE_TYPE), OTHER_SECRET, scheme, encoding)
    with pytest.raises(SignatureError):
        verify(request, SECRET + " " + SECRET.upper())


def test_no_configured_secret_verifies_nothing():
    request = catch_request(sample_event(PROFILE_TYPE), SECRET)
    with pytest.raises(SignatureError, match="No webhook secret"):
        verify(request, " , ")


@pytest.mark.parametrize("field", ["type", "message", "key", "container key"])
@pytest.mark.parametrize("scheme, encoding", SCHEME_ENCODINGS)
def test_every_character_of_the_type_key_and_message_is_covered_by_the_signature(scheme, encoding, field):
    event = sample_event(PROFILE_TYPE if field != "key" else JOB_TYPE)
    holder, name = _holder(event, field)
    length = len(holder[name])
    rejected = 0
    for position in range(length):
        request = forged(event, tampered(event, field, position), scheme, encoding)
        with pytest.raises(SignatureError):
            verify(request)
        rejected += 1
    assert rejected == length and length > 20


@pytest.mark.parametrize(
    "scheme, encoding", [("signed-request", "form"), ("signed-request", "json"), ("raw-body", "json")]
)
@pytest.mark.parametrize(
    "change",
    [
        {"type": "profile.parsing.success"},
        {"key": OTHER_KEY},
        {"container_key": OTHER_KEY},
    ],
    ids=["other type", "other key", "other container key"],
)
def test_signed_request_with_other_body_fields_is_rejected(scheme, encoding, change):
    signed = sample_event(PROFILE_TYPE)
    claimed = sample_event(
        change.get("type", PROFILE_TYPE),
        key=change.get("key", SAMPLE_OBJECT_KEY),
        container_key=change.get("container_key", SAMPLE_CONTAINER_KEY),
    )
    request = body_fields(claimed, encoding)
    request[SIGNATURE_HEADER] = catch_request(signed, SECRET, scheme, encoding)[SIGNATURE_HEADER]
    if scheme == "raw-body":
        request[RAW_BODY_FIELD] = wire_body(signed, encoding).decode("utf-8")
    with pytest.raises(SignatureError, match="do not match"):
        verify(request)


def test_signed_request_replayed_with_a_job_body_for_a_profile_is_rejected():
    request = body_fields(sample_event(JOB_TYPE), "form")
    request[SIGNATURE_HEADER] = sign_signed_request(sample_event(PROFILE_TYPE), SECRET)
    with pytest.raises(SignatureError, match="do not match"):
        verify(request)


def test_signed_request_with_unreadable_body_fields_is_rejected():
    request = catch_request(sample_event(PROFILE_TYPE), SECRET, "signed-request")
    request["profile"] = "{not json"
    with pytest.raises(SignatureError, match="do not match"):
        verify(request)


def test_signed_request_event_carries_the_signed_message_not_the_body_one():
    event = sample_event(PROFILE_TYPE, message="signed message")
    request = catch_request(event, SECRET, "signed-request")
    request["message"] = "message added in transit"
    assert verify(request).message == "signed message"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_truncation_of_a_header_is_rejected(scheme):
    request = catch_request(sample_event(PROFILE_TYPE), SECRET, scheme)
    header = request[SIGNATURE_HEADER]
    meaningful = len(header.rstrip("="))  # dropping padding alone is allowed
    for length in range(meaningful):
        request[SIGNATURE_HEADER] = header[:length]
        with pytest.raises(SignatureError):
            verify(request)
    assert meaningful > 60


@pytest.mark.parametrize(
    "header",
    [
        "",
        "   ",
        ".",
        "..",
        "abc",
        "a.b",
        "!!!.???",
        "g" * 64,
        "a" * 63,
        "a" * 65,
        "é" * 64,
        "٠" * 64,  # Arabic-Indic digits are not hex digits
        "a" * 64 + "\x00",
        "YWJj.YWJj.YWJj",
        "YWJj+/==.eyJ0eXBlIjoiYSJ9",
        "YQ=.eyJ0eXBlIjoiYSJ9",
        "=.=",
    ],
)
def test_garbage_headers_are_rejected(header):
    request = catch_request(sample_event(PROFILE_TYPE), SECRET)
    request[SIGNATURE_HEADER] = header
    with pytest.raises(SignatureError):
        verify(request)


def test_signed_request_with_a_third_part_is_rejected():
    header = sign_signed_request(sample_event(PROFILE_TYPE), SECRET)
    with pytest.raises(SignatureError):
        verify({SIGNATURE_HEADER: header + "." + header.split(".")[1]})


def test_signed_request_with_non_canonical_base64_is_rejected():
    header = sign_signed_request(sample_event(PROFILE_TYPE), SECRET)
    signature_part, payload_part = header.split(".")
    # The hex digest's last base64 group holds one byte: the low bits of its second character are spare.
    assert signature_part.endswith("==")
    last = signature_part[-3]
    spare = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    variants = [c for c in spare if c != last and spare.index(c) >> 4 == spare.index(last) >> 4]
    assert variants
    for other in variants:
        mangled = signature_part[:-3] + other + "==" + "." + payload_part
        assert base64.urlsafe_b64decode(mangled.split(".")[0]) == base64.urlsafe_b64decode(signature_part)
        with pytest.raises(SignatureError, match="not canonical"):
            verify({SIGNATURE_HEADER: mangled})


def test_header_over_one_mebibyte_is_rejected_even_if_it_would_verify():
    header = sign_signed_request(sample_event(PROFILE_TYPE), SECRET)
    padded = header + " " * (MAX_SIGNATURE_CHARS + 1 - len(header))
    assert len(padded) == MAX_SIGNATURE_CHARS + 1
    with pytest.raises(SignatureError, match="longer than"):
        verify({SIGNATURE_HEADER: padded})
    with pytest.raises(SignatureError, match="longer than"):
        verify({SIGNATURE_HEADER: "a" * (2 * MAX_SIGNATURE_CHARS)})


@pytest.mark.parametrize(
    "header",
    [12345, 0, 1.5, True, ["a" * 64], {"sig": "a"}, b"a" * 64, None, ("a" * 64,)],
    ids=repr,
)
def test_non_text_headers_are_rejected(header):
    request = catch_request(sample_event(PROFILE_TYPE), SECRET)
    request[SIGNATURE_HEADER] = header
    with pytest.raises(SignatureError):
        verify(request)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_header_given_as_bytes_is_rejected_even_when_it_would_verify(scheme):
    request = catch_request(sample_event(PROFILE_TYPE), SECRET, scheme)
    request[SIGNATURE_HEADER] = request[SIGNATURE_HEADER].encode("ascii")
    with pytest.raises(SignatureError, match="not text"):
        verify(request)


@pytest.mark.parametrize(
    "field, value",
    [("type", 7), ("message", ["a", "b"]), ("origin", 3.5), ("profile", ["key"]), ("profile", 42)],
    ids=["type int", "message list", "origin float", "object list", "object int"],
)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_non_text_event_fields_are_rejected_in_transit(scheme, field, value):
    request = catch_request(sample_event(PROFILE_TYPE), SECRET, scheme, "json")
    request[field] = value
    with pytest.raises(CatchError) as caught:
        verify(request)
    assert caught.value.status == "rejected"


@pytest.mark.parametrize(
    "field, value",
    [("type", 7), ("message", ["a"]), ("origin", {"a": 1}), ("profile", ["key"]), ("profile", 42)],
    ids=["type int", "message list", "origin object", "object list", "object int"],
)
def test_signed_payload_with_non_text_fields_is_malformed(field, value):
    event = sample_event(PROFILE_TYPE)
    event[field] = value
    with pytest.raises(MalformedRequest):
        verify({SIGNATURE_HEADER: sign_signed_request(event, SECRET)})


@pytest.mark.parametrize("field", ["type", "message", "profile"])
def test_form_json_cannot_sign_non_text_fields(field):
    event = sample_event(PROFILE_TYPE)
    event[field] = [1, 2]
    with pytest.raises(SignatureError, match="neither text nor an object"):
        sign_form_json(event, SECRET)


@pytest.mark.parametrize("which", ["key", "container_key"])
@pytest.mark.parametrize("scheme, encoding", SCHEME_ENCODINGS)
def test_signed_events_with_integer_keys_are_malformed(scheme, encoding, which):
    event = sample_event(JOB_TYPE, **{which: 123456})
    with pytest.raises(MalformedRequest, match="key of 1 to 64"):
        verify(catch_request(event, SECRET, scheme, encoding))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_signed_profile_event_carrying_a_job_field_is_malformed(scheme):
    event = sample_event(JOB_TYPE)
    event["type"] = PROFILE_TYPE
    with pytest.raises(MalformedRequest, match="carries a job field"):
        verify(catch_request(event, SECRET, scheme))


# Scheme raw-body specifics.


def test_ruby_example_vector_is_the_raw_body_signature():
    assert sign_raw_body("4567", "1234") == RUBY_VECTOR
    assert sign_raw_body(b"4567", "1234") == RUBY_VECTOR


@pytest.mark.parametrize("header", [RUBY_VECTOR, RUBY_VECTOR.upper()])
@pytest.mark.parametrize("body", ["4567", b"4567"])
def test_ruby_example_vector_verifies_then_is_malformed_as_an_event(header, body):
    # The signature holds, so the answer is 400 (not an event), not 401 (not from HrFlow).
    with pytest.raises(MalformedRequest, match="neither a JSON object nor a form"):
        verify_signature(header, parse_secrets("1234"), {}, body)
    with pytest.raises(SignatureError, match="No secret verifies"):
        verify_signature(header, parse_secrets("12345"), {}, body)


@pytest.mark.parametrize("raw_body", [10**9, ["4567"], {"a": 1}, 4.5, "\ud800 body"], ids=repr)
def test_raw_body_that_is_not_bytes_or_utf8_text_is_malformed(raw_body):
    with pytest.raises(MalformedRequest, match="raw body"):
        verify_signature(RUBY_VECTOR, parse_secrets("1234"), {}, raw_body)


def test_raw_body_signature_over_a_form_with_repeated_fields_is_malformed():
    body = "type=profile.storing.success&type=job.storing.success"
    with pytest.raises(MalformedRequest, match="unique fields"):
        verify_signature(sign_raw_body(body, SECRET), parse_secrets(SECRET), {}, body)


def test_raw_body_that_does_not_match_falls_back_to_form_json():
    event = sample_event(PROFILE_TYPE)
    request = catch_request(event, SECRET, "form-json")
    request[RAW_BODY_FIELD] = "something else"
    assert scheme_of(request) == "form-json"


# Interop with HrFlow's SDKs.


@pytest.mark.parametrize(
    "event",
    [sample_event(PROFILE_TYPE), sample_event(JOB_TYPE, message=NON_ASCII, origin=NON_ASCII)],
    ids=["ascii", "non-ascii"],
)
def test_installed_sdk_decodes_our_signed_request_headers(event):
    from hrflow import Hrflow

    decoded = Hrflow(webhook_secret=SECRET).webhooks._decode_request(sign_signed_request(event, SECRET))
    assert decoded == event


def test_installed_sdk_rejects_our_header_under_another_secret():
    from hrflow import Hrflow

    with pytest.raises(ValueError, match="invalid signature"):
        Hrflow(webhook_secret=OTHER_SECRET).webhooks._decode_request(
            sign_signed_request(sample_event(JOB_TYPE), SECRET)
        )


@pytest.mark.parametrize("event_type", [PROFILE_TYPE, JOB_TYPE])
def test_we_accept_headers_signed_the_python_sdk_way(event_type):
    event = sample_event(event_type)
    header = sdk_style_header(json.dumps(event), SECRET)
    assert verify({SIGNATURE_HEADER: header}) == expected(event)
    assert verify(dict(body_fields(event, "form"), **{SIGNATURE_HEADER: header})) == expected(event)


def test_we_accept_a_non_ascii_payload_the_sdk_itself_cannot_decode():
    from hrflow import Hrflow

    event = sample_event(PROFILE_TYPE, message=NON_ASCII)
    header = sdk_style_header(json.dumps(event, ensure_ascii=False), SECRET)
    with pytest.raises(UnicodeDecodeError):
        Hrflow(webhook_secret=SECRET).webhooks._decode_request(header)
    assert verify({SIGNATURE_HEADER: header}) == expected(event)


@pytest.mark.parametrize("message", ["php", NON_ASCII])
def test_we_accept_headers_signed_the_php_sdk_way(message):
    event = sample_event(JOB_TYPE, message=message)
    payload = json.dumps(event, ensure_ascii=False)
    header = php_style_header(payload, SECRET)
    assert header == sign_signed_request(payload, SECRET, raw_digest=True)
    assert verify({SIGNATURE_HEADER: header}) == expected(event)


# Every signing variant HrFlow has published, each built here the way that SDK or page builds or
# checks it, and a forgery of each.


def js_sdk_header(payload_text: str, secret: str) -> str:
    """HrFlow's JavaScript SDK (src/webhooks.ts, and its tests' generateSignature): the payload in
    standard base64, padded; the signature the raw HMAC of that base64 text, in standard base64."""
    encoded_payload = base64.b64encode(payload_text.encode("utf-8")).decode("ascii")
    digest = hmac.new(secret.encode("utf-8"), encoded_payload.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii") + "." + encoded_payload


def php_reference_header(payload_text: str, secret: str) -> str:
    """The PHP example of HrFlow's API reference checks hash_hmac('sha256', $payload, $secret, true) with
    $payload the second part as sent, after base64_url_decode (strtr('-_', '+/')) of the first: a sender
    base64url-encodes, without padding here."""
    encoded_payload = base64.urlsafe_b64encode(payload_text.encode("utf-8")).decode("ascii").rstrip("=")
    digest = hmac.new(secret.encode("utf-8"), encoded_payload.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=") + "." + encoded_payload


def riminder_sdk_header(payload_text: str, secret: str) -> str:
    """The former Riminder SDKs (Go, Ruby, Java, C#): raw HMAC of the decoded payload, standard base64 parts."""
    digest = hmac.new(secret.encode("utf-8"), payload_text.encode("utf-8"), hashlib.sha256).digest()
    return (
        base64.b64encode(digest).decode("ascii") + "." + base64.b64encode(payload_text.encode("utf-8")).decode("ascii")
    )


PUBLISHED_SIGNERS = {
    "python sdk": (sdk_style_header, "HMAC of the decoded payload, hex digest, base64url parts"),
    "php sdk": (php_style_header, "HMAC of the decoded payload, raw digest, base64url parts"),
    "javascript sdk": (js_sdk_header, "HMAC of the payload part as sent, raw digest, base64 parts"),
    "php reference example": (php_reference_header, "HMAC of the payload part as sent, raw digest, base64url parts"),
    "riminder sdks": (riminder_sdk_header, "HMAC of the decoded payload, raw digest, base64 parts"),
}
# Chosen so that the standard alphabet's '+' and '/' occur in the encodings: a real test of the alphabet.
ALPHABET_EVENT = sample_event(PROFILE_TYPE, message="þÿûï? >>> ~~~ ???")


@pytest.mark.parametrize("signer", sorted(PUBLISHED_SIGNERS))
def test_every_published_signing_variant_verifies_and_says_which_it_was(signer):
    sign, variant = PUBLISHED_SIGNERS[signer]
    payload = json.dumps(ALPHABET_EVENT, ensure_ascii=False)
    header = sign(payload, SECRET)
    if "base64 parts" in variant:
        assert "+" in header or "/" in header
    event, verified = verified_event({SIGNATURE_HEADER: header}, parse_secrets(SECRET))
    assert event == expected(ALPHABET_EVENT)
    assert (verified.scheme, verified.variant) == ("signed-request", variant)
    # With the event in the body too, as HrFlow sends it, the body still has to match.
    assert verify(dict(body_fields(ALPHABET_EVENT, "form"), **{SIGNATURE_HEADER: header})) == expected(ALPHABET_EVENT)


@pytest.mark.parametrize("signer", sorted(PUBLISHED_SIGNERS))
def test_a_forgery_of_every_published_variant_is_rejected(signer):
    sign, _ = PUBLISHED_SIGNERS[signer]
    payload = json.dumps(ALPHABET_EVENT, ensure_ascii=False)
    with pytest.raises(SignatureError, match="No secret verifies"):
        verify({SIGNATURE_HEADER: sign(payload, OTHER_SECRET)})
    # The genuine signature over another payload: a man in the middle changing the event.
    genuine = sign(payload, SECRET).split(".")[0]
    changed = sign(payload.replace(SAMPLE_OBJECT_KEY, OTHER_KEY), SECRET).split(".")[1]
    with pytest.raises(SignatureError, match="No secret verifies"):
        verify({SIGNATURE_HEADER: genuine + "." + changed})


def _signed_request_variant(payload: bytes, secret: str, message: str, digest: str, alphabet: str, padded: bool) -> str:
    encode = base64.urlsafe_b64encode if alphabet == "base64url" else base64.b64encode

    def part(data: bytes) -> str:
        text = encode(data).decode("ascii")
        return text if padded else text.rstrip("=")

    payload_part = part(payload)
    signed = payload if message == "decoded" else payload_part.encode("ascii")
    mac = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256)
    signature = {"raw": mac.digest(), "hex": mac.hexdigest().encode(), "HEX": mac.hexdigest().upper().encode()}[digest]
    return part(signature) + "." + payload_part


VARIANTS = [
    (message, digest, alphabet, padded)
    for message in ("decoded", "as sent")
    for digest in ("hex", "HEX", "raw")
    for alphabet in ("base64url", "base64")
    for padded in (True, False)
]


@pytest.mark.parametrize("message, digest, alphabet, padded", VARIANTS)
def test_each_combination_of_message_digest_alphabet_and_padding_verifies_and_its_forgery_does_not(
    message, digest, alphabet, padded
):
    payload = json.dumps(ALPHABET_EVENT, ensure_ascii=False).encode("utf-8")
    header = _signed_request_variant(payload, SECRET, message, digest, alphabet, padded)
    assert verify({SIGNATURE_HEADER: header}, "rotated-out-2025, " + SECRET) == expected(ALPHABET_EVENT)
    with pytest.raises(SignatureError):
        verify({SIGNATURE_HEADER: _signed_request_variant(payload, OTHER_SECRET, message, digest, alphabet, padded)})


@pytest.mark.parametrize(
    "header",
    [
        "YWJj+/-_.eyJ0eXBlIjoiYSJ9",  # one part in both alphabets
        "YWJj.eyJ0eXBl+IjoiYSJ9_",
    ],
)
def test_a_part_mixing_the_two_base64_alphabets_is_rejected(header):
    with pytest.raises(SignatureError, match="neither base64url nor base64"):
        verify({SIGNATURE_HEADER: header})


def test_a_signature_over_the_payload_part_with_another_padding_is_rejected():
    payload = json.dumps(sample_event(PROFILE_TYPE, message="xy")).encode("utf-8")
    header = _signed_request_variant(payload, SECRET, "as sent", "raw", "base64url", padded=False)
    signature_part, payload_part = header.split(".")
    assert len(payload_part) % 4  # padding would change the text that was signed
    with pytest.raises(SignatureError, match="No secret verifies"):
        verify({SIGNATURE_HEADER: signature_part + "." + payload_part + "=" * (-len(payload_part) % 4)})


# Properties.

PROPERTY_SETTINGS = hypothesis_settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def signed_cases(draw):
    """A random event of a catalogue type, its wire format, scheme and secret."""
    scheme = draw(st.sampled_from(SCHEMES))
    encoding = draw(st.sampled_from(ENCODINGS))
    # A form body is UTF-8 text, so lone surrogates cannot travel in one.
    chars = UTF8_CHAR if (scheme, encoding) == ("raw-body", "form") else ANY_CHAR
    # JSON reads a high and a low surrogate side by side as one character: keep them apart.
    text = st.text(chars, max_size=120).filter(lambda value: json.loads(json.dumps(value)) == value)
    event = sample_event(
        draw(st.sampled_from(EVENT_TYPE_NAMES)),
        key=draw(KEYS),
        container_key=draw(KEYS),
        message=draw(text),
        origin=draw(text),
    )
    return event, scheme, encoding, draw(SECRETS)


@PROPERTY_SETTINGS
@given(signed_cases())
def test_every_scheme_round_trips_any_event_and_secret(case):
    event, scheme, encoding, secret = case
    request = catch_request(event, secret, scheme, encoding)
    assert verify(request, secret) == expected(event)
    assert verify(request, "rotated-out, " + secret) == expected(event)


@PROPERTY_SETTINGS
@given(signed_cases(), st.data())
def test_a_tampered_signature_never_verifies(case, data):
    event, scheme, encoding, secret = case
    request = catch_request(event, secret, scheme, encoding)
    header = request[SIGNATURE_HEADER]
    position = data.draw(st.integers(0, len(header) - 1))
    original = header[position]
    alphabet = (
        "0123456789abcdef"
        if scheme != "signed-request"
        else ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=.")
    )
    # A hex digit only counts as changed if its value changes, not its case.
    replacement = data.draw(st.sampled_from([c for c in alphabet if c.lower() != original.lower()]))
    request[SIGNATURE_HEADER] = header[:position] + replacement + header[position + 1 :]
    assume(not only_hex_case_differs(header, request[SIGNATURE_HEADER]))
    with pytest.raises(SignatureError):
        verify(request, secret)


@PROPERTY_SETTINGS
@given(signed_cases(), SECRETS)
def test_no_other_secret_verifies_a_signature(case, other):
    event, scheme, encoding, secret = case
    assume(other != secret)
    with pytest.raises(SignatureError):
        verify(catch_request(event, secret, scheme, encoding), other)


# What a 401 says, through the runner: what was checked and why nothing verified, never a value.


def rejection(request: dict, settings: dict) -> tuple[str, str]:
    """The 401's reason and the log line it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        response = run(request, settings, Recorder().workflow)
    assert answer(response) == (401, "rejected"), response
    return contract(response)["reason"], out.getvalue()


def assert_shows_no_value(request: dict, text: str) -> None:
    header = next(value for key, value in request.items() if "signature" in str(key).lower())
    for part in [header] + (header.split(".") if isinstance(header, str) else []):
        assert not isinstance(part, str) or len(part) < 8 or part not in text
    assert SECRET not in text


def test_a_wrong_secret_on_a_signed_request_says_its_shape_and_what_was_tried_never_how_many_secrets():
    request = catch_request(sample_event(EVENT_TYPE), "someone-else", "signed-request")
    reason, log = rejection(request, fresh_settings(HRFLOW_WEBHOOK_SECRET=SECRET + ", whsec-next-2-0aa1"))
    assert reason == (
        "No secret verifies the HTTP-HRFLOW-SIGNATURE header: it is two base64 parts, so it was checked as "
        "signed-request, the HMAC-SHA256 of the decoded payload and of the payload part as sent, against its hex "
        "digest."
    )
    assert rejection(request, fresh_settings())[0] == reason
    assert "sig=two-base64-parts" in log
    assert_shows_no_value(request, reason + log)


def test_a_wrong_secret_on_a_hex_header_names_both_schemes_it_tried():
    request = catch_request(sample_event(EVENT_TYPE), "someone-else", "raw-body")
    reason, log = rejection(request, fresh_settings())
    assert reason == (
        "No secret verifies the HTTP-HRFLOW-SIGNATURE header: it is 64 hex digits, so it was checked as raw-body, "
        "the HMAC-SHA256 of the raw body and as form-json, the HMAC-SHA256 of the compact JSON of type, origin, "
        "message and profile or job."
    )
    assert "sig=64-hex-digits" in log
    assert_shows_no_value(request, reason + log)


def test_a_hex_header_without_a_raw_body_says_raw_body_could_not_be_tried():
    request = catch_request(sample_event(EVENT_TYPE), "someone-else", "form-json")
    reason, _ = rejection(request, fresh_settings())
    assert reason.endswith("Not tried: raw-body (the runtime passed no raw body).")


@pytest.mark.parametrize(
    "pinned, scheme, excluded",
    [
        (
            "signed-request",
            "form-json",
            "header is 64 hex digits, the shape of raw-body and form-json, but HRFLOW_SIGNATURE_SCHEME "
            "excludes them (it accepts only signed-request)",
        ),
        (
            "form-json, raw-body",
            "signed-request",
            "header is two base64 parts, the shape of signed-request, but "
            "HRFLOW_SIGNATURE_SCHEME excludes it (it accepts only form-json, raw-body)",
        ),
    ],
)
def test_a_pinned_scheme_that_excludes_the_headers_shape_names_the_setting_and_what_it_excluded(
    pinned, scheme, excluded
):
    request = catch_request(sample_event(EVENT_TYPE), SECRET, scheme)
    reason, _ = rejection(request, fresh_settings(HRFLOW_SIGNATURE_SCHEME=pinned))
    assert excluded in reason and reason.endswith("so nothing was checked.")
    assert_shows_no_value(request, reason)


def test_a_pinned_scheme_that_leaves_one_of_the_shape_says_only_what_it_tried():
    request = catch_request(sample_event(EVENT_TYPE), "someone-else", "raw-body")
    reason, _ = rejection(request, fresh_settings(HRFLOW_SIGNATURE_SCHEME="form-json"))
    assert "checked as form-json" in reason and "raw-body" not in reason


def test_the_legacy_header_name_is_named_in_the_rejection():
    request = catch_request(sample_event(EVENT_TYPE), "someone-else", "signed-request")
    request["HTTP-RIMINDER-SIGNATURE"] = request.pop(SIGNATURE_HEADER)
    reason, _ = rejection(request, fresh_settings())
    assert reason.startswith("No secret verifies the HTTP-RIMINDER-SIGNATURE header: it is two base64 parts")


@pytest.mark.parametrize(
    "header, shape, said",
    [
        (
            None,
            "absent",
            "The request has no signature header: looked for HTTP-HRFLOW-SIGNATURE, HRFLOW-SIGNATURE, "
            "HTTP-RIMINDER-SIGNATURE (any case, '-' or '_').",
        ),
        (12345, "not-text", "The HTTP-HRFLOW-SIGNATURE header is not text."),
        (
            "a" * (1 << 21),
            "longer-than-1048576-characters",
            "The HTTP-HRFLOW-SIGNATURE header is longer than 1048576 characters.",
        ),
        (
            "sha256=" + "0" * 64,
            "something-else",
            "The HTTP-HRFLOW-SIGNATURE header is neither 64 hex digits nor two base64 "
            "parts joined by a dot (71 characters), the shapes of HrFlow's schemes, so "
            "nothing was checked.",
        ),
    ],
    ids=["absent", "not text", "too long", "something else"],
)
def test_a_header_of_each_shape_is_rejected_saying_its_shape(header, shape, said):
    request = catch_request(sample_event(EVENT_TYPE), SECRET)
    if header is None:
        del request[SIGNATURE_HEADER]
    else:
        request[SIGNATURE_HEADER] = header
    reason, log = rejection(request, fresh_settings())
    assert reason == said and "sig={} ".format(shape) in log
