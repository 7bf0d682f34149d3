"""`_request` as `catch.py serve` builds it from a body: the fields of each content type, and the bounds that refuse
a hostile body before it is parsed, in time and memory."""
from __future__ import annotations

import json
import os
from unittest import mock
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from catch_process import Served, exchange, http_post, post, status_of
from localcatch import request_body
from localcatch.errors import Refusal
from localcatch.request_body import FORM, JSON, MULTIPART, read_body_fields
from shared.wire.headers import MAX_REQUEST_FIELDS

pytestmark = pytest.mark.slow
FORM_PIECES = st.sampled_from(["%", "+", "=", "&", "a", "4", "C3", "A9", "%C3", "%a9", "%e2%82", "%41", "é", "€"])
MULTIPART_B = MULTIPART + "; boundary=B"  # the Content-Type of what multipart() builds


def multipart(names, line_break: bytes = b"\r\n", headers: bytes = b"") -> bytes:
    """A multipart/form-data body with one field per name, each holding "v"."""
    part = b"--B{0}Content-Disposition: form-data; name=\"%s\"{0}%s{0}v{0}".replace(b"{0}", line_break)
    return b"".join(part % (name.encode(), headers) for name in names) + b"--B--" + line_break


def form(names) -> bytes:
    """A form body with one field per name, each holding "v"."""
    return "&".join("{}=v".format(name) for name in names).encode()


def peak_memory_bytes(server: Served) -> int:
    """The most the server process has held in memory so far (Linux's VmHWM)."""
    with open("/proc/{}/status".format(server.process.pid)) as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024


@hypothesis_settings(max_examples=500, deadline=None, database=None)
@given(st.lists(FORM_PIECES, max_size=30).map("".join), st.integers(3, 8))
def test_a_form_body_reads_as_parse_qsl_reads_it_however_its_escapes_fall_across_slices(text, slice_bytes):
    try:  # Python 3.9's refuses an empty body; later ones, as catch.py, read no fields
        expected = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True)) if text else {}
    except ValueError:
        expected = None
    with mock.patch.object(request_body, "UNQUOTE_SLICE_BYTES", slice_bytes):
        try:
            assert read_body_fields(FORM, text.encode()) == expected
        except Refusal as refusal:
            assert (refusal.response["status_code"], expected) == (400, None)


def test_a_body_not_valid_for_its_content_type_gets_400_and_the_server_keeps_serving(throwaway, serve):
    server = serve(throwaway, {})
    bad = [(JSON, b"{not json"), (JSON, b"[1, 2]"), (FORM, b"type=\xff\xfe"),
           (MULTIPART + "; boundary=XYZ", b"no parts here"), (MULTIPART, b"--XYZ\r\n\r\n--XYZ--")]
    for content_type, body in bad:
        status_code, _, text = post(server.url, body, {"Content-Type": content_type})
        assert (status_code, json.loads(text)["status"]) == (400, "rejected"), (content_type, body)
    assert post(server.url, b"hello", {"Content-Type": "text/plain"})[0] == 415
    assert post(server.url, b'{"type": "echo"}', {"Content-Type": JSON})[0] == 200


def test_the_request_carries_body_fields_headers_and_raw_body_in_each_content_type(throwaway, serve):
    server = serve(throwaway, {})
    multipart_body = ('--XYZ\r\nContent-Disposition: form-data; name="type"\r\n\r\necho\r\n'
                      '--XYZ\r\nContent-Disposition: form-data; name="message"\r\n\r\nhé, ok\r\n--XYZ--\r\n')
    bodies = {FORM: "type=echo&message=h%C3%A9%2C+ok",
              JSON: json.dumps({"type": "echo", "message": "hé, ok"}),
              MULTIPART + "; boundary=XYZ": multipart_body}
    for content_type, body in bodies.items():
        status_code, _, text = post(server.url, body.encode(), {"Content-Type": content_type, "X-Probe": "42"})
        request = json.loads(text)
        assert status_code == 200
        assert (request["type"], request["message"], request["X-Probe"]) == ("echo", "hé, ok", "42")
        assert (request["Content-Type"], request["_raw_body"]) == (content_type, body)


def test_a_multipart_body_of_100000_parts_is_refused_before_it_is_parsed(serve, scripted):
    server = serve(scripted, {})
    nested = (b"--B\r\nContent-Disposition: form-data; name=\"x\"\r\nContent-Type: multipart/mixed; boundary=C\r\n\r\n"
              + multipart(["f"] * 1000).replace(b"--B", b"--C") + b"\r\n--B--\r\n")  # parts the outer boundary hides
    for body in (multipart(["f"] * 100000), nested, multipart(["f"] * 300, line_break=b"\r")):
        answer = exchange(server, http_post(body, MULTIPART_B))
        assert status_of(answer) == 413, answer[:200]
        assert answer.endswith(b'{"reason": "The multipart body has more than 256 parts.", "status": "rejected"}')


def test_a_multipart_body_at_the_part_limit_is_served_and_one_past_it_refused(serve, scripted):
    server = serve(scripted, {})
    names = ["field{}".format(number) for number in range(MAX_REQUEST_FIELDS)]
    answer = exchange(server, http_post(multipart(names), MULTIPART_B))
    assert status_of(answer) == 200 and set(names) <= set(json.loads(answer.split(b"\r\n\r\n", 1)[1]))
    assert status_of(exchange(server, http_post(multipart(names + ["one more"]), MULTIPART_B))) == 413


def test_a_multipart_header_too_long_to_parse_cheaply_gets_431(serve, scripted):
    server = serve(scripted, {})
    long_header = b"Content-Type: text/plain; x=\"" + b";" * 600 + b"\"\r\n"
    for body, content_type in ((multipart(["type"], headers=long_header), MULTIPART_B),
                               (multipart(["type"]), MULTIPART_B + "; x=" + "a" * 600),
                               (multipart(["type"]), MULTIPART_B + '; x="' + ";" * 60000 + '"')):
        answer = exchange(server, http_post(body, content_type))
        assert status_of(answer) == 431 and b"A header of the multipart body is over 512 characters." in answer
    assert status_of(exchange(server, http_post(multipart(["type"]), MULTIPART_B))) == 200


def test_a_form_body_of_more_than_256_fields_is_refused_before_it_is_parsed(serve, scripted):
    server = serve(scripted, {})
    names = ["field{}".format(number) for number in range(MAX_REQUEST_FIELDS)]
    answer = exchange(server, http_post(form(names), FORM))
    assert status_of(answer) == 200 and set(names) <= set(json.loads(answer.split(b"\r\n\r\n", 1)[1]))
    for body in (form(names + ["one more"]), b"a=&" * 100000, b"&" * MAX_REQUEST_FIELDS):
        answer = exchange(server, http_post(body, FORM))
        assert status_of(answer) == 413, answer[:200]
        assert answer.endswith(b'{"reason": "The form body has more than 256 fields.", "status": "rejected"}')
    assert status_of(exchange(server, http_post(b"type=echo&&", FORM))) == 400  # malformed, not too many


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads VmHWM from /proc")
def test_a_10_mib_percent_encoded_form_field_is_decoded_in_a_few_times_its_size(serve, scripted):
    server = serve(scripted, {})
    body = b"type=echo&a=" + b"%41" * ((10 * 1024 * 1024 - 12) // 3)
    before = peak_memory_bytes(server)
    assert status_of(exchange(server, http_post(body, FORM))) == 200
    assert peak_memory_bytes(server) - before < 8 * len(body)  # parse_qsl takes some 80 times its size
