"""Texts the company writes with placeholders: exactly `{name}` is one, anything else is a problem with its
position, and a value is inserted once, never read again."""
from __future__ import annotations

import pytest

from shared.actions.placeholders import problems, render

NAMES = ("first_name", "last_name", "full_name", "company")
VALUES = {"first_name": "Ada", "last_name": "Lovelace", "full_name": "Ada Lovelace", "company": "Acme"}


def test_each_placeholder_is_replaced_by_its_value():
    assert render("Dear {full_name} ({first_name} {last_name}), {company} thanks you.", VALUES) == (
        "Dear Ada Lovelace (Ada Lovelace), Acme thanks you.")


def test_a_value_is_inserted_once_and_never_read_again():
    values = dict(VALUES, first_name="{company}", last_name="{{x}}")
    assert render("Hello {first_name} {last_name} of {company}", values) == "Hello {company} {{x}} of Acme"


@pytest.mark.parametrize("text, rendered", [
    ("Hello {first_name},", "Hello,"),
    ("Dear {first_name} {last_name},", "Dear Lovelace,"),
    ("Hola {first_name}:", "Hola:"),
    ("{first_name}\nThanks", "\nThanks"),
])
def test_an_empty_value_takes_the_spaces_before_it_so_the_text_still_reads(text, rendered):
    assert render(text, dict(VALUES, first_name="")) == rendered


@pytest.mark.parametrize("text, found", [
    ("Hello {salary},", ["{salary} is not a placeholder (line 1, column 7)"]),
    ("Hi {first_name.__class__}", ["{first_name.__class__} is not a placeholder (line 1, column 4)"]),
    ("Hi {first_name[0]}", ["{first_name[0]} is not a placeholder (line 1, column 4)"]),
    ("{0} and {}", ["{0} is not a placeholder (line 1, column 1)", "{} is not a placeholder (line 1, column 9)"]),
    ("Hello,\n{{first_name}}", ["an opening brace that closes nowhere on its line (line 2, column 1)",
                                "a closing brace that closes nothing (line 2, column 14)"]),
    ("Hello {first_name\n}", ["an opening brace that closes nowhere on its line (line 1, column 7)",
                              "a closing brace that closes nothing (line 2, column 1)"]),
    ("{First_Name}", ["{First_Name} is not a placeholder (line 1, column 1)"]),
])
def test_every_problem_is_named_with_its_line_and_column(text, found):
    assert [str(problem) for problem in problems(text, NAMES)] == found


def test_a_text_of_known_placeholders_has_no_problem():
    assert problems("Hello {first_name},\n{company} {last_name} {full_name}", NAMES) == []
