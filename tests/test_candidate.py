"""`shared.untrusted.candidate`: what may reach a candidate, in an email sent from the company's own domain to
whatever address a CV names: that address if it is plausible and clean as written, and a name to greet with if
it is one; anything else is refused whole."""
from __future__ import annotations

import pytest

from shared.untrusted.candidate import address, plausible_name


@pytest.mark.parametrize(
    "value",
    [
        "ada.lovelace@example.com",
        "o'brien+cv@mail.example.co.uk",
        "jos\u00e9@example.com",
        "user@xn--bcher-kva.example",
        "user@b\u00fccher.example",
        "x@a-b.io",
        "  padded@example.com  ",
        "a" * 64 + "@example.com",
        "u@" + ".".join(["d" * 63] * 3) + ".com",
    ],
)
def test_plausible_addresses_are_kept(value):
    assert address(value) == value.strip()


@pytest.mark.parametrize(
    "value",
    [
        None,
        42,
        ["a@example.com"],
        "",
        "no-at-sign",
        "a" * 30000 + "@x",
        "a" * 65 + "@example.com",
        "two@@example.com",
        "a@b@example.com",
        "jane@localhost",
        '"j d"@example.org',
        "bob@[10.0.0.1]",
        "bob@10.0.0.1",
        "with space@example.com",
        "tab\t@example.com",
        "nul\x00@example.com",
        "eve@example.com\r\nBcc: victim@example.com",
        "rtl\u202e@example.com",
        ".dot@example.com",
        "dot.@example.com",
        "do..t@example.com",
        "a@-bad.example",
        "a@bad-.example",
        "a@exa_mple.com",
        "a@example..com",
        "a@example.com.",
        "a@" + "d" * 64 + ".com",
        "a@example",
        "<a@example.com>",
        "u@" + ".".join(["d" * 63] * 4) + ".com",
    ],
)
def test_implausible_addresses_are_refused(value):
    assert address(value) == ""


@pytest.mark.parametrize("value", [
    "ada@exa\u200bmple.com",  # zero-width space
    "ada@ex\u00adample.com",  # soft hyphen
    "ada@\ufeffexample.com",  # byte order mark
    "ada@exa\u200dmple.com",  # zero-width joiner
    "ada@example\u3002com",  # ideographic full stop
    "ada@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com",  # full-width letters
    "\uff41\uff44\uff41@example.com",  # full-width letters before the @
    "a\u200bda@example.com",
    "ada@xn--exmple-cua.com\u200b",
])
def test_an_address_that_is_not_clean_as_written_is_refused(value):
    assert address(value) == ""


@pytest.mark.parametrize("value", ["ada@m\u00fcnchen.de", "ada@M\u00dcNCHEN.de", "ada@xn--mnchen-3ya.de",
                                   "Ada.Lovelace@Example.COM", "jos\u00e9@example.com"])
def test_a_clean_international_address_is_kept_as_written(value):
    assert address(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "Ada",
        "Jean-Luc",
        "O'Brien",
        "D\u2019Arcy",
        "J. R. R.",
        "Zo\u00eb",
        "\u5c71\u7530",
        "Jose\u0301",
        "Mar\u00eda del Carmen",
        " Ada ",
    ],
)
def test_plausible_names_are_kept(value):
    assert plausible_name(value) == " ".join(value.split())


@pytest.mark.parametrize(
    "value",
    [
        None,
        7,
        ["Ada"],
        "",
        "   ",
        "Ada. ACTION REQUIRED: confirm your identity at https://evil.example",
        "Ada2",
        "Agent 007",
        "ada@example.com",
        "visit www.evil",
        "Bob https://x",
        "A" * 41,
        "Call +33 6 12 34 56 78",
        "...",
        "Eve\r\nBcc",
        "<b>Ada</b>",
        "Ada_Lovelace",
        "Ada (admin)",
    ],
)
def test_anything_else_is_not_a_name_to_greet_with(value):
    assert plausible_name(value) == ""


@pytest.mark.parametrize("value", ["A\u200bda", "Ada\u202e", "Ada\x00", "Ada\tLovelace", "Ada\u00a0Lovelace"])
def test_a_name_that_needs_cleaning_is_not_a_name(value):
    assert plausible_name(value) == ""


@pytest.mark.parametrize("value", [
    "Pay the fee at acme-careers.help",
    "acme-careers.help",
    "Ada careers.acme",
    "St.John",
    "Please Reply To This Mail",
    "one two three four five",
])
def test_a_sentence_or_a_domain_is_not_a_name_however_it_is_written(value):
    assert plausible_name(value) == ""


@pytest.mark.parametrize("value", ["J.R.R. Tolkien", "Jr.", "Ana Maria de Souza", "Mary-Kate O'Neil"])
def test_names_with_initials_and_up_to_four_words_are_kept(value):
    assert plausible_name(value) == value
