"""`shared.untrusted.text`, the one boundary for what HrFlow relays from CVs and job posts: any JSON type, any
length, any character comes out as a visible, capped line, or as nothing (and no JSON value breaks a reader of
`shared.untrusted.candidate` either)."""
from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from shared.untrusted.candidate import address, plausible_name
from shared.untrusted.text import ELLIPSIS, capped, field, line, objects, visible

BIDI_AND_INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200e\u200f\u2060\ufeff\u00ad\u061c"
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=10,
)


def test_field_reads_nested_objects_and_treats_anything_else_as_absent():
    profile = {"info": {"location": {"text": "Paris"}, "email": 7}, "skills": "many"}
    assert field(profile, "info", "location", "text") == "Paris"
    assert field(profile, "info", "email") == 7  # what it is; the reader of an email decides
    assert field(profile, "skills", "name") is None
    assert field({"info": ["a"]}, "info", "email") is None
    assert field("not an object", "info") is None
    assert field(None, "info") is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ([{"a": 1}, "x", 3, None, {"b": 2}, ["c"]], [{"a": 1}, {"b": 2}]),
        (5, []),
        ("abc", []),
        ({"a": 1}, []),
        (None, []),
    ],
)
def test_objects_keeps_only_the_objects_of_a_list(value, expected):
    assert objects(value) == expected


@pytest.mark.parametrize("value", [None, 7, 2.5, True, ["Ada"], {"name": "Ada"}])
def test_anything_but_text_is_an_empty_line(value):
    assert line(value, 100) == "" and visible(value) == ""


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Eve\r\nBcc: victim@example.com", "Eve Bcc: victim@example.com"),
        ("Ada\x00\x1b[31mRed\x1b[0m", "Ada[31mRed[0m"),
        ("\u202eevil\u202c.exe", "evil.exe"),
        ("Zo\u00eb\u200b \u00d8rsted " + BIDI_AND_INVISIBLE + "\u5c71\u7530", "Zo\u00eb \u00d8rsted \u5c71\u7530"),
        ("  tabs\tand\u2028lines\u2029and\u00a0nbsp  ", "tabs and lines and nbsp"),
        ("\ud800lone surrogate", "lone surrogate"),
        ("<b>HTML</b> & stays", "<b>HTML</b> & stays"),  # escaping is the HTML part's job
    ],
)
def test_a_line_has_no_control_format_or_bidi_characters_and_one_space_between_words(raw, expected):
    assert line(raw, 100) == expected


def test_a_long_field_is_capped_with_an_ellipsis():
    assert line("a" * 5000, 100) == "a" * 99 + ELLIPSIS
    assert len(line("word " * 400, 100)) <= 100 and line("word " * 400, 100).endswith("word" + ELLIPSIS)
    assert capped("exact", 5) == "exact"


def test_a_megabyte_field_becomes_a_capped_line():
    assert line("x" * (1 << 20) + "\n" + "y", 200) == "x" * 199 + ELLIPSIS


@hypothesis_settings(max_examples=300, deadline=None, database=None)
@given(
    st.text(st.characters(codec=None) | st.characters(categories=["Cs", "Cc", "Cf", "Zl", "Zp"])), st.integers(1, 300)
)
def test_any_text_gives_a_visible_line_within_its_limit(text, limit):
    result = line(text, limit)
    assert len(result) <= limit
    assert result == result.strip() and "  " not in result
    assert not any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") for char in result)
    result.encode("utf-8")  # no lone surrogate left: it can go into an email


@hypothesis_settings(max_examples=300, deadline=None, database=None)
@given(ANY_JSON)
def test_no_json_value_breaks_a_reader(value):
    assert isinstance(line(value, 50), str) and isinstance(address(value), str)
    assert isinstance(plausible_name(value), str) and isinstance(objects(value), list)
    field(value, "info", "email")
    json.dumps(objects(value))


def test_a_line_drops_exactly_the_controls_format_characters_and_surrogates_this_python_knows():
    from shared.untrusted.text import _INVISIBLE

    for code in range(0x110000):
        char = chr(code)
        dropped = _INVISIBLE.fullmatch(char) is not None
        category = unicodedata.category(char)
        if char.isspace():
            assert not dropped and visible("a" + char + "b") == "a b", hex(code)
        elif category in ("Cc", "Cf", "Cs"):
            assert dropped, hex(code)
        else:  # a format character of a later Unicode is unassigned in an older one
            assert not dropped or category == "Cn", hex(code)


def test_cleaning_costs_the_same_whatever_came_before():
    every_letter = "".join(chr(code) for code in range(0x4E00, 0x4E00 + 20000))  # CJK ideographs
    assert line(every_letter + "\u202e", 30000) == every_letter
    assert visible("a\u202eb") == "ab"  # nothing is remembered from the text before


def test_a_field_is_cut_before_it_is_cleaned_and_still_ends_with_an_ellipsis():
    assert line("\u200b" * 1000 + "late", 100) == ELLIPSIS
    assert line("ab" + "\u200b" * 1000, 100) == "ab" + ELLIPSIS
    assert line("x" * 400, 100) == "x" * 99 + ELLIPSIS


