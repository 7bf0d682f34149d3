"""Typed settings: every error names the key and never the value."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import deliver
from shared.core.errors import ConfigError
from shared.core.settings import Settings, SettingsSpec

SECRET_VALUE = "s3cr3t-value-that-must-not-leak"


def error_of(call) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        call()
    return caught.value


# check


def test_check_names_every_missing_key_and_never_a_value():
    spec = SettingsSpec(required=("PRESENT", "ABSENT", "EMPTY", "BLANK", "NUMBER", "LIST", "EMPTY_LIST"))
    values = {
        "PRESENT": SECRET_VALUE,
        "EMPTY": "",
        "BLANK": "  \t",
        "NUMBER": 424242,
        "LIST": [SECRET_VALUE],
        "EMPTY_LIST": [],
    }
    reason = error_of(lambda: Settings(values).check(spec)).reason
    assert reason == "Missing or empty setting: ABSENT, EMPTY, BLANK, NUMBER, EMPTY_LIST."
    assert SECRET_VALUE not in reason and "424242" not in reason and "PRESENT" not in reason


def test_check_passes_when_every_required_key_is_text_and_ignores_optional_ones():
    spec = SettingsSpec(required=("A", "B"), optional=("C",))
    assert Settings({"A": "1", "B": " two "}).check(spec) is None


@pytest.mark.parametrize("values", [None, "A=1", ["A"], 7])
def test_settings_that_are_not_a_dict_read_as_empty(values):
    settings = Settings(values)
    assert "A" in error_of(lambda: settings.check(SettingsSpec(required=("A",)))).reason
    assert settings.text("A", "fallback") == "fallback"


def test_specs_add_up_without_duplicates_and_required_wins_over_optional():
    combined = SettingsSpec(("A", "B"), ("C", "D")) + SettingsSpec(("B", "D"), ("A", "E"))
    assert combined == SettingsSpec(("A", "B", "D"), ("C", "E"))


# text


def test_text_is_stripped_and_defaults_apply_only_when_unset():
    settings = Settings({"A": "  value  ", "EMPTY": " "})
    assert settings.text("A") == "value"
    assert settings.text("EMPTY", "default") == "default"
    assert settings.text("MISSING", "default") == "default"


def test_text_without_default_names_the_missing_key():
    assert (
        error_of(lambda: Settings({}).text("HRFLOW_API_SECRET")).reason
        == "Missing or empty setting: HRFLOW_API_SECRET."
    )


@pytest.mark.parametrize("value", [1234, 1.5, True, ["a"], {"a": SECRET_VALUE}, b"bytes"], ids=repr)
def test_text_that_is_not_text_is_rejected_naming_only_the_key(value):
    reason = error_of(lambda: Settings({"HRFLOW_WEBHOOK_SECRET": value}).text("HRFLOW_WEBHOOK_SECRET")).reason
    assert reason == "Setting HRFLOW_WEBHOOK_SECRET must be text."


# number and integer


@pytest.mark.parametrize(
    "value, expected",
    [("2.5", 2.5), (" 3 ", 3.0), (7, 7.0), (0.1, 0.1), ("1e1", 10.0), ("1", 1.0), ("10", 10.0), (None, 5.0), ("", 5.0)],
    ids=repr,
)
def test_number_reads_text_or_numbers_within_inclusive_bounds(value, expected):
    assert Settings({"N": value}).number("N", 5.0, 0.1, 10.0) == expected


@pytest.mark.parametrize("value", ["0.09", "10.01", -1, 1e300, "inf", "-inf", "nan", 10**400], ids=repr)
def test_number_out_of_bounds_is_rejected_naming_the_bounds_not_the_value(value):
    reason = error_of(lambda: Settings({"TIMEOUT": value}).number("TIMEOUT", 5.0, 0.1, 10.0)).reason
    assert reason in ("Setting TIMEOUT must be between 0.1 and 10.", "Setting TIMEOUT must be a number.")
    assert str(value) not in reason


@pytest.mark.parametrize("value", ["abc", "1,5", "2 s", "0x10", True, False, ["1"], {"v": 1}], ids=repr)
def test_number_from_bad_text_or_other_types_is_rejected(value):
    assert error_of(lambda: Settings({"TIMEOUT": value}).number("TIMEOUT", 5.0, 0.0, 10.0)).reason == (
        "Setting TIMEOUT must be a number."
    )


@pytest.mark.parametrize("value, expected", [("3", 3), ("3.0", 3), (4, 4), (" 10 ", 10), (None, 2)], ids=repr)
def test_integer_reads_whole_numbers_within_bounds(value, expected):
    result = Settings({"COUNT": value}).integer("COUNT", 2, 1, 10)
    assert result == expected and isinstance(result, int)


@pytest.mark.parametrize(
    "value, reason",
    [
        ("3.5", "Setting COUNT must be a whole number."),
        ("0", "Setting COUNT must be between 1 and 10."),
        ("11", "Setting COUNT must be between 1 and 10."),
        ("three", "Setting COUNT must be a number."),
    ],
)
def test_integer_rejects_fractions_out_of_bounds_values_and_bad_text(value, reason):
    assert error_of(lambda: Settings({"COUNT": value}).integer("COUNT", 2, 1, 10)).reason == reason


# flag


@pytest.mark.parametrize("word", ["true", "yes", "on", "1"])
def test_flag_accepts_true_words_in_any_case(word):
    for spelling in (word, word.upper(), word.capitalize(), " {} ".format(word.swapcase())):
        assert Settings({"F": spelling}).flag("F") is True


@pytest.mark.parametrize("word", ["false", "no", "off", "0"])
def test_flag_accepts_false_words_in_any_case(word):
    for spelling in (word, word.upper(), word.capitalize(), " {} ".format(word.swapcase())):
        assert Settings({"F": spelling}).flag("F") is False


@pytest.mark.parametrize(
    "value, expected", [(True, True), (False, False), (1, True), (0, False), (None, False), ("", False)]
)
def test_flag_accepts_booleans_zero_and_one_and_unset_is_false(value, expected):
    assert Settings({"F": value}).flag("F") is expected
    assert Settings({}).flag("F") is False


@pytest.mark.parametrize(
    "value", ["maybe", "y", "n", "tru", "2", "-1", "enabled", "true!", 2, -1, 1.0, ["true"], {"on": 1}], ids=repr
)
def test_flag_rejects_anything_else_naming_the_key(value):
    assert (
        error_of(lambda: Settings({"DRY_RUN": value}).flag("DRY_RUN")).reason
        == "Setting DRY_RUN must be true or false."
    )


# text_list


def test_text_list_splits_on_commas_semicolons_and_white_space():
    value = "a@x.example, b@x.example;c@x.example d@x.example\te@x.example\n f@x.example,,;"
    assert Settings({"L": value}).text_list("L") == tuple("{}@x.example".format(c) for c in "abcdef")


def test_text_list_accepts_a_list_or_tuple_and_strips_items():
    assert Settings({"L": [" a ", "b", "  "]}).text_list("L") == ("a", "b")
    assert Settings({"L": ("a",)}).text_list("L") == ("a",)


def test_text_list_is_empty_when_unset_or_blank():
    assert Settings({"L": "   "}).text_list("L") == ()
    assert Settings({}).text_list("L") == ()


@pytest.mark.parametrize("value", [5, ["a", 5], {"a": "b"}, [None], [["a"]]], ids=repr)
def test_text_list_rejects_other_types_naming_the_key(value):
    assert error_of(lambda: Settings({"L": value}).text_list("L")).reason == "Setting L must be a comma-separated list."


# Whatever the values, a getter answers or raises ConfigError, nothing else.

ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**5000) | st.floats() | st.text() | st.binary(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


@hypothesis_settings(max_examples=200, deadline=None, database=None)
@given(ANY_VALUE)
def test_getters_answer_or_raise_config_error_for_any_value(value):
    settings = Settings({"K": value})
    outcomes = []
    for getter in (
        lambda: settings.text("K", "d"),
        lambda: settings.number("K", 1.0, 0.0, 10.0),
        lambda: settings.integer("K", 1, 0, 10),
        lambda: settings.flag("K"),
        lambda: settings.text_list("K"),
        lambda: settings.check(SettingsSpec(required=("K",))),
        lambda: settings.url("K", "https://example.com/"),
    ):
        try:
            outcomes.append(getter())
        except ConfigError as error:
            assert "K" in error.reason
            outcomes.append(error)
    assert len(outcomes) == 7
    assert isinstance(outcomes[3], (bool, ConfigError))


@pytest.mark.parametrize("value", [",", " ; ", ", ,"])
def test_a_list_of_separators_only_is_a_configuration_error_naming_the_key(value):
    reason = error_of(lambda: Settings({"NOTIFY_EMAIL": value}).text_list("NOTIFY_EMAIL")).reason
    assert reason == "Setting NOTIFY_EMAIL holds no item, only separators."


def _nested(depth: int, inner: object) -> object:
    value = inner
    for _ in range(depth):
        value = [value] if isinstance(inner, list) else {"k": value}
    return value


ODD_VALUES = [10**5000, -(10**5000), "9" * 5000, float("nan"), float("inf"), _nested(100_000, []),
              _nested(100_000, {}), ["a@example.com"] * 100_000, [10**5000]]


@pytest.mark.parametrize("value", ODD_VALUES, ids=["huge int", "huge negative int", "5000 digits", "nan", "inf",
                                                   "deep list", "deep object", "long list", "list of a huge int"])
def test_every_reader_gives_a_specific_answer_to_any_value_however_large_or_deep(value):
    settings = Settings({"K": value})
    readers = [lambda: settings.text("K", "d"), lambda: settings.number("K", 1.0, 0.0, 10.0),
               lambda: settings.integer("K", 1, 0, 10), lambda: settings.flag("K"), lambda: settings.text_list("K"),
               lambda: settings.url("K", "https://example.com/"), lambda: settings.check(SettingsSpec(required=("K",)))]
    for reader in readers:
        try:
            reader()
        except ConfigError as error:
            assert error.reason.startswith(("Setting K ", "Missing or empty setting: K"))


# Through a workflow: a setting that cannot work is refused before any call.


@pytest.mark.parametrize(
    "event_type, key, value",
    [
        ("profile.storing.update", "DRY_RUN", "maybe"),
        ("profile.scoring.success", "SHORTLIST_SIZE", "five"),
        ("profile.scoring.success", "SHORTLIST_SIZE", "500"),
        ("profile.storing.update", "NOTIFY_EMAIL", "the talent team"),
        ("profile.storing.update", "MAIL_FROM", "recruiting"),
        ("profile.parsing.error", "ALERT_EMAIL", "oncall@acme.example, oncall"),
        ("profile.storing.update", "MANDRILL_API_URL", "mandrillapp.com/api/1.3"),
        ("profile.storing.update", "DEDUPE_WINDOW_SECONDS", "-1"),
        ("profile.parsing.success", "MANDRILL_TEMPLATE", ["a", "list"]),
        ("profile.parsing.success", "MANDRILL_API_TOKEN", ["a", "list"]),
    ],
)
def test_a_typed_setting_that_cannot_work_fails_before_any_call(
    settings, fake_hrflow, fake_mandrill, event_type, key, value
):
    settings[key] = value
    code, body = deliver(event_type, settings)
    assert (code, body["status"]) == (500, "failed")
    assert key in body["reason"]
    if isinstance(value, str) and len(value) > 3:
        assert value not in body["reason"]
    assert fake_hrflow.request_count == fake_mandrill.request_count == 0


URL_SETTINGS = ("HRFLOW_API_URL", "MANDRILL_API_URL")
BROKEN_URLS = [
    ("http://127.0.0.1:99999/v1/", "its port is not a number from 1 to 65535"),
    ("http://127.0.0.1:0/v1/", "its port is not a number from 1 to 65535"),
    ("http://127.0.0.1:8o81/v1/", "its port is not a number from 1 to 65535"),
    ("http:///v1/", "it names no host"),
    ("https://[::1/v1/", "its host is not a valid host name or IP address"),
    ("https://-api-.hrflow.ai/v1/", "its host is not a valid host name or IP address"),
    ("ftp://api.hrflow.ai/v1/", "it does not start with http:// or https://"),
    ("api.hrflow.ai/v1/", "it does not start with http:// or https://"),
    ("https://api.hrflow .ai/v1/", "it holds white space or an invisible character"),
]


@pytest.mark.parametrize("key", URL_SETTINGS)
@pytest.mark.parametrize("url, problem", BROKEN_URLS, ids=[url for url, _ in BROKEN_URLS])
def test_a_url_setting_requests_cannot_call_is_named_before_any_call(settings, fake_hrflow, fake_mandrill, key, url,
                                                                     problem):
    settings[key] = url
    code, body = deliver("profile.storing.success", settings)
    assert (code, body["status"]) == (500, "failed")
    assert body["reason"] == "Setting {} must be an http(s) URL: {}.".format(key, problem)
    assert fake_hrflow.request_count == fake_mandrill.request_count == 0
