"""`_request` as HrFlow builds it from an HTTP POST: the fields of the body, read by its Content-Type within
bounds that hold however hostile the body, then the headers and the raw body."""
from __future__ import annotations

import email.message
import email.parser
import email.policy
import json
import urllib.parse
from typing import Any

from localcatch.contract import CatchRequest
from localcatch.errors import Refusal
from shared.wire.headers import MAX_REQUEST_FIELDS, RAW_BODY_FIELD

FORM, JSON, MULTIPART = "application/x-www-form-urlencoded", "application/json", "multipart/form-data"
UNQUOTE_SLICE_BYTES = 1 << 16  # of a form field, percent-decoded at once
MAX_MULTIPART_HEADER_CHARS = 512  # of any one header in a multipart body, its Content-Type included


class MultipartPolicy(email.policy.EmailPolicy):
    """`email.policy.HTTP`, refusing a header over MAX_MULTIPART_HEADER_CHARS before it is parsed: the
    `email` package spends microseconds on each character of a header's parameters (0.6 s on 256 parts
    with 512-character headers, seconds on one 64 KiB header). Every header passes here, a nested part's
    too."""

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        if sum(len(line) for line in sourcelines) > MAX_MULTIPART_HEADER_CHARS:
            raise Refusal(431, "A header of the multipart body is over {} characters.".format(
                MAX_MULTIPART_HEADER_CHARS))
        return super().header_source_parse(sourcelines)


MULTIPART_POLICY = MultipartPolicy(linesep="\r\n", max_line_length=None)  # what email.policy.HTTP is


def check_part_count(body: bytes) -> None:
    """Refuse more parts than a request may have fields before the `email` package reads the body, at some
    0.1 ms a part. Every part, a nested one too, starts on a line beginning with "--", whatever the line
    ending (CR, LF or both), so counting those lines bounds the parts in milliseconds (8 ms for 5 MB); a
    field's own lines that begin with "--" count too, which errs only towards refusing."""
    starts = body.count(b"\n--") + body.count(b"\r--") + body.startswith(b"--")
    if starts > MAX_REQUEST_FIELDS + 1:  # the last is the closing delimiter
        raise Refusal(413, "The multipart body has more than {} parts.".format(MAX_REQUEST_FIELDS))


def unquoted(text: bytes) -> str:
    """A form's name or value as `urllib.parse.unquote_plus` decodes it, a slice at a time: on the whole of it,
    that holds two objects for each %XX, some 80 times the value's size. A slice never ends within a %XX, and
    the bytes are decoded once joined, so a character escaped across two slices stays whole."""
    text = text.replace(b"+", b" ")
    slices, start = [], 0
    while start < len(text):
        end = start + UNQUOTE_SLICE_BYTES
        cut = text.rfind(b"%", end - 2, end)
        end = cut if cut != -1 else end
        slices.append(urllib.parse.unquote_to_bytes(text[start:end]))
        start = end
    return b"".join(slices).decode("utf-8", "replace")


def form_fields(body: bytes) -> dict[str, Any]:
    """The fields of a form body, as `parse_qsl(text, keep_blank_values=True, strict_parsing=True)` reads them,
    in a few times its size. More than MAX_REQUEST_FIELDS are refused before it is decoded or split: parse_qsl
    holds a tuple per field (sixteen 10 MiB bodies of `a=&a=&...` took 53 s and 7.4 GiB). Like its
    max_num_fields, this counts one field more than there are "&"."""
    if body.count(b"&") >= MAX_REQUEST_FIELDS:
        raise Refusal(413, "The form body has more than {} fields.".format(MAX_REQUEST_FIELDS))
    body.decode("utf-8")  # a malformed body's ValueError
    fields: dict[str, Any] = {}
    for field in body.split(b"&") if body else ():
        name, equals, value = field.partition(b"=")
        if not equals:
            raise ValueError("a field without =")
        fields[unquoted(name)] = unquoted(value)
    return fields


def multipart_fields(content_type: str, body: bytes) -> dict[str, Any]:
    """The fields of a multipart/form-data body, read with the `email` package within bounds on its parts
    and headers; raises ValueError, or a `Refusal` 413 or 431."""
    check_part_count(body)
    head = "Content-Type: {}\r\n\r\n".format(content_type).encode("latin-1")
    message = email.parser.BytesParser(policy=MULTIPART_POLICY).parsebytes(head + body)
    if not isinstance(message, email.message.EmailMessage) or not message.is_multipart() or message.defects:
        raise ValueError("not a multipart body")
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or not name or part.defects or part.is_multipart():
            raise ValueError("a part without a name, or not a field")
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raise ValueError("a part without a body")
        fields[name] = payload.decode("utf-8")
    return fields


def read_body_fields(content_type: str, body: bytes) -> dict[str, Any]:
    """The body's fields, read by its Content-Type; raises a `Refusal` 400, 413, 415 or 431."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body and not media_type:
        return {}
    try:
        if media_type == FORM:
            return form_fields(body)
        if media_type == MULTIPART:
            return multipart_fields(content_type, body)
        if media_type != JSON:
            raise Refusal(415, "The Content-Type must be {}, {} or {}.".format(FORM, JSON, MULTIPART))
        fields = json.loads(body.decode("utf-8"))
        if isinstance(fields, dict):
            return fields
    except (ValueError, RecursionError):  # UnicodeError and JSONDecodeError are ValueErrors
        pass
    raise Refusal(400, "The body is not a valid UTF-8 {} body.".format(media_type))


def build_request(headers: dict[str, str], body: bytes) -> CatchRequest:
    """`_request` as HrFlow builds it: body fields and headers in one flat dict, plus the raw body text."""
    content_type = next((value for name, value in headers.items() if name.lower() == "content-type"), "")
    request = read_body_fields(content_type, body)
    request.update(headers)
    request[RAW_BODY_FIELD] = body.decode("utf-8", "replace")  # valid UTF-8 once its fields could be read
    return request
