"""What `redact` masks and what it leaves, on each form of address, phone number and secret, and on hostile text.

The adversarial inputs only have to finish with the right output here; how fast
they finish is benchmarks/redaction.py's business. This file imports nothing
but the module and the test tools, so that it also runs under CPython 3.9:
`PYTHONPATH=. python -m pytest tests/test_redact.py -p no:cacheprovider`.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from shared.untrusted.redact import mask_email, redact

SECRET = "askw-test-51d2e8"

ADDRESSES = [
    ("jane.doe@example.com", "j***@example.com"),
    ("Jos\u00e9.Mart\u00edn@example.com", "J***@example.com"),
    ("jos\u00e9@example.com", "j***@example.com"),
    ("o'brien+jobs@example.co.uk", "o***@example.co.uk"),
    ("j@example.com", "j***@example.com"),
    ("jane@localhost", "j***@localhost"),
    ("bob@[10.0.0.1]", "b***@[10.0.0.1]"),
    ('"j d"@example.org', '"***"@example.org'),
    ('"a\\"b"@example.org', '"***"@example.org'),
    ('""@example.org', '"***"@example.org'),
    ("<jane@example.com>", "<j***@example.com>"),
    ("mailto:jane@example.com", "mailto:j***@example.com"),
    ("(jane@example.com)", "(j***@example.com)"),
    ("Write to jane@example.com, bob@example.org.", "Write to j***@example.com, b***@example.org."),
    ("ada.lovelace@exa", "a***@exa"),
    ("ada.lovelace@", "a***@"),
    ("jane@ example.com", "j***@ example.com"),
    ("a@b@c", "a***@b***@c"),
    ("@alice@mastodon.social", "@a***@mastodon.social"),
    ("a" * 64 + "@x", "a***@x"),
    ("b" + "a" * 64 + "@x", "b***@x"),
    ("bc" + "a" * 64 + "@x", "bc***@x"),
    ('"' + "a" * 70 + '"@x', '"' + "a" * 8 + '***"@x'),
]
NOT_ADDRESSES = ["@", "@@@", "see @bob", "a @ b", "j***@example.com", '"***"@example.org']

PHONES = [
    ("+33 6 12 34 56 78", "***78"),
    ("+33612345678", "***78"),
    ("+3361234", "***34"),
    ("0612345678", "***78"),
    ("06.12.34.56.78", "***78"),
    ("06-12-34-56-78", "***78"),
    ("call 612345678 now", "call ***78 now"),
    ("Tel: 0612345678.", "Tel: ***78."),
    ("+1 (555) 123-4567", "***67"),
    ("(555) 123-4567", "(***67"),
    ("(+33) 6 12 34 56 78", "(***78"),
    ("+33 (0)6 12 34 56 78", "***78"),
    ("1 800 123 4567", "1 ***67"),
    ("06 12 34 56 78 (9am-5pm)", "***78 (9am-5pm)"),
    ("+33 6 12 34 56 78, +44 20 7946 0958", "***78, ***58"),
    ("0612345678 0698765432", "***32"),
    ("\u0660\u0666\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668", "***\u0667\u0668"),
]
NOT_PHONES = [
    "d821393853fc32b08c93b8d38590817c72048ec4",
    "key_612345678",
    "2024-01-15",
    "2024-01-15T10:30:00Z",
    "12345678",
    "+336123",
    "1 2 3 4 5 6 7 8 9",
    "order-123456789",
    "v1.0612345678",
    "1.5 2.5 3.5",
    "***78",
]


@pytest.mark.parametrize("text, expected", ADDRESSES, ids=[text[:30] for text, _ in ADDRESSES])
def test_each_form_of_address_is_masked(text, expected):
    assert mask_email(text) == expected
    assert redact(text) == expected


@pytest.mark.parametrize("text", NOT_ADDRESSES)
def test_what_is_no_address_is_left_as_it_is(text):
    assert mask_email(text) == text
    assert redact(text) == text


@pytest.mark.parametrize("text, expected", PHONES, ids=[text[:30] for text, _ in PHONES])
def test_each_form_of_phone_number_is_masked_but_its_last_two_digits(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", NOT_PHONES)
def test_keys_dates_and_short_numbers_are_not_phone_numbers(text):
    assert redact(text) == text


def test_an_address_and_a_phone_number_in_one_message():
    text = "Invalid request for ada.lovelace@example.com (+33 6 12 34 56 78) with key " + SECRET
    assert redact(text, [SECRET]) == "Invalid request for a***@example.com (***78) with key [redacted]"


@pytest.mark.parametrize("echoed", [SECRET, SECRET.upper(), "Askw-Test-51D2E8", "aSkW-tEsT-51d2E8"])
def test_a_secret_is_removed_in_any_case(echoed):
    assert redact(f"bad key {echoed}!", [SECRET]) == "bad key [redacted]!"


def test_every_occurrence_of_every_secret_is_removed():
    text = "a=abcd1234 b=wxyz5678 c=ABCD1234"
    assert redact(text, ["abcd1234", "wxyz5678"]) == "a=[redacted] b=[redacted] c=[redacted]"


@pytest.mark.parametrize("secrets", [["abcd", "abcdefgh"], ["abcdefgh", "abcd"]])
def test_a_secret_inside_a_longer_one_leaves_nothing_of_it_whatever_the_order(secrets):
    assert redact("key abcdefgh.", secrets) == "key [redacted]."


def test_overlapping_secrets_become_one_redaction():
    assert redact("key abcd1234wxyz.", ["abcd1234", "1234wxyz"]) == "key [redacted]."


def test_secrets_shorter_than_four_characters_are_ignored():
    assert redact("abc is abc", ["abc", "", "ab"]) == "abc is abc"


def test_a_secret_is_matched_as_text_not_as_a_pattern():
    assert redact("a.b*c+d and axbbbccd", ["a.b*c+d"]) == "[redacted] and axbbbccd"


def test_secrets_may_come_from_any_iterable():
    assert redact("abcd1234", (secret for secret in ["abcd1234"])) == "[redacted]"


def test_a_secret_among_characters_whose_lower_case_is_longer_is_cut_exactly():
    assert redact("\u0130\u0130ABCD1234\u0130", ["abcd1234"]) == "\u0130\u0130[redacted]\u0130"


def test_a_secret_is_cut_exactly_after_any_other_character():
    every_character = "".join(map(chr, range(0x110000)))
    assert redact(every_character + "ABCD1234", ["abcd1234"]) == redact(every_character) + "[redacted]"


# Hostile text: each input finishes, with the right output.
def test_a_long_run_without_at_is_left_alone():
    assert redact("a" * 300_000) == "a" * 300_000


@pytest.mark.parametrize("length", [65, 30_000, 65_536])
def test_a_long_run_then_at_has_the_64_characters_next_to_the_at_masked(length):
    assert redact("a" * length + "@x") == "a" * (length - 64) + "***@x"


def test_a_run_of_at_signs_is_left_alone():
    assert redact("@" * 300_000) == "@" * 300_000


@pytest.mark.parametrize(
    "unit, masked",
    [
        ("a@", "a***@"),
        ("a@b.c ", "a***@b.c "),
        ('"a b"@c ', '"***"@c '),
        ("1@", "1***@"),
        ("+33 6 12 34 56 78 ", "***78 "),
        ("0612345678, ", "***78, "),
    ],
)
def test_many_addresses_or_phone_numbers_back_to_back_are_each_masked(unit, masked):
    assert redact(unit * 50_000) == masked * 50_000


@pytest.mark.parametrize(
    "text",
    [
        '"' + "a" * 300_000,
        "1 " * 150_000,
        "1-" * 150_000,
        "1(" * 150_000,
        "1" * 300_000,
        "+1 " * 100_000,
        "12 3 4 5 6 7 8 9 12a " * 10_000,
    ],
)
def test_quotes_and_digits_that_never_end_an_address_or_a_phone_number_are_left_alone(text):
    assert redact(text) == text


def test_a_quote_then_a_long_run_then_at_has_the_62_characters_next_to_the_quote_masked():
    assert redact('"' + "a" * 300_000 + '"@x') == '"' + "a" * (300_000 - 62) + '***"@x'


def test_a_mixture_repeated_is_the_redaction_of_one_repeated():
    unit = 'a@1 2@b.c +3 "x y"@z 0612345678 aa.bb@cc 1-2-3 ((( @@ key ' + SECRET.upper() + " "
    assert redact(unit * 5_000, [SECRET]) == redact(unit, [SECRET]) * 5_000


# Properties.
ANY_TEXT = st.text(st.characters(exclude_categories=()))
AWKWARD = st.text(st.sampled_from(list("aZ\u00e91290 .-()+@\"'\\\n_*[]x\u0130")))


@given(ANY_TEXT, st.lists(ANY_TEXT, max_size=4))
def test_redact_never_raises(text, secrets):
    assert isinstance(redact(text, secrets), str)
    assert isinstance(mask_email(text), str)


# Secrets made of characters that neither "[redacted]" nor a mask ("***") holds, so that no secret can be
# made up again from what replaces another.
SECRET_CHARS = "bfghijklmnopqsuvwxyzBFGHIJKLMNOPQSUVWXYZ0123456789_-./+"


@given(
    st.text(st.sampled_from(SECRET_CHARS), min_size=4, max_size=12),
    st.lists(AWKWARD | st.just(""), max_size=6),
    st.lists(st.sampled_from(["lower", "upper", "swapcase", "title"]), min_size=1, max_size=5),
)
def test_no_case_of_a_secret_is_left(secret, gaps, cases):
    text = "".join(gap + getattr(secret, case)() for gap, case in zip(gaps + [""] * len(cases), cases))
    assert secret.lower() not in redact(text, [secret]).lower()


LOCAL_PART_END = re.compile(r"""[^\s@"<>,;:()\[\]\\*]@""")


@given(AWKWARD)
def test_no_character_that_could_end_a_local_part_is_left_next_to_an_at(text):
    """Before each "@" of the output there is a mask, or a character that cannot end a local part."""
    assert LOCAL_PART_END.search(mask_email(text)) is None


@given(AWKWARD.filter(lambda text: len(text) <= 43))
def test_redacting_twice_changes_nothing_more_on_text_shorter_than_its_windows(text):
    once = redact(text)
    assert redact(once) == once


@given(AWKWARD)
def test_mask_email_only_touches_what_comes_before_an_at(text):
    assume("@" not in text)
    assert mask_email(text) == text
