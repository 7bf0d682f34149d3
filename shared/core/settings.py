"""Typed, validated access to the settings a user sets in the Catch console.

Errors name the key, never its value: values are secrets more often than not.
"""
from __future__ import annotations

import re

from shared.core.errors import ConfigError
from shared.core.records import Record
from shared.core.typecheck import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_LIST_SEPARATORS = re.compile(r"[\s,;]+")
_HOST_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_HOST_NAME = re.compile(r"{0}(?:\.{0})*\.?".format(_HOST_LABEL))
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _present(value: object) -> bool:
    """A required setting is there as text, or as a non-empty list (list settings may come as lists)."""
    return isinstance(value, str) or (isinstance(value, (list, tuple)) and len(value) > 0)


def _url_problem(text: str) -> str | None:
    """What stops `requests` from calling `text` (scheme, host, port 1 to 65535), or None."""
    from urllib.parse import urlsplit

    if not text.isprintable() or any(char.isspace() for char in text):
        return "it holds white space or an invisible character"
    try:
        parts = urlsplit(text)
    except ValueError:  # an unclosed IPv6 bracket
        return "its host is not a valid host name or IP address"
    if parts.scheme.lower() not in ("http", "https") or not text[len(parts.scheme):].startswith("://"):
        return "it does not start with http:// or https://"
    try:
        port = parts.port
    except ValueError:  # not digits, or above 65535
        port = 0
    if port == 0:
        return "its port is not a number from 1 to 65535"
    host = parts.hostname or ""
    if not host:
        return "it names no host"
    if not _valid_host(host):
        return "its host is not a valid host name or IP address"
    return None


def _valid_host(host: str) -> bool:
    """A DNS name (international ones in their ASCII form) or an IP address."""
    import ipaddress

    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return len(ascii_host) <= 253 and _HOST_NAME.fullmatch(ascii_host) is not None


class SettingsSpec(Record):
    """The settings a piece of code reads, as tuples: the keys it needs, those it can do without,
    groups of which it needs one (a setting and its fallback), `checks`, the functions that read
    its typed settings, and `families`, patterns of keys it finds by name (`ACK_BODY_[A-Z]{2,3}`).
    `run` calls every check before any HTTP call, so a value that cannot work is a
    configuration error up front, not a failure half-way."""

    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    one_of: tuple[tuple[str, ...], ...] = ()
    checks: tuple[Callable[[Settings], object], ...] = ()
    families: tuple[str, ...] = ()

    def __add__(self, other: SettingsSpec) -> SettingsSpec:  # type: ignore[override]  # a union, not a concatenation
        required = tuple(dict.fromkeys(self.required + other.required))
        optional = tuple(key for key in dict.fromkeys(self.optional + other.optional) if key not in required)
        # A group with a required member is met whenever the settings are complete.
        one_of = tuple(group for group in dict.fromkeys(self.one_of + other.one_of) if not set(group) & set(required))
        return SettingsSpec(required, optional, one_of, tuple(dict.fromkeys(self.checks + other.checks)),
                            tuple(dict.fromkeys(self.families + other.families)))

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key named: required, optional, or in a group."""
        return tuple(dict.fromkeys(self.required + self.optional + sum(self.one_of, ())))


class Settings:
    """Read-only view of the `settings` dict with one typed getter per type of value."""

    def __init__(self, values: object):
        self._values = values if isinstance(values, dict) else {}

    def _raw(self, key: str) -> object:
        value = self._values.get(key)
        if isinstance(value, str):
            value = value.strip()
        return None if value in (None, "") else value

    def check(self, spec: SettingsSpec) -> None:
        """Raise `ConfigError` naming every required key (or group) that is missing, empty, or
        neither text nor a list, then run the spec's checks of typed settings."""
        missing = [key for key in spec.required if not self.has(key)]
        missing += [" or ".join(group) for group in spec.one_of if not any(self.has(key) for key in group)]
        if missing:
            raise ConfigError("Missing or empty setting: {}.".format(", ".join(missing)))
        for check in spec.checks:
            check(self)

    def keys(self) -> list[str]:
        """The names of the settings that are set, as text (for families of keys such as `ACK_BODY_FR`)."""
        return [key for key in self._values if isinstance(key, str)]

    def has(self, key: str) -> bool:
        """Whether `key` is set to text or to a non-empty list."""
        return _present(self._raw(key))

    def text(self, key: str, default: str | None = None) -> str:
        """A text setting; `default` when unset, `ConfigError` when unset with no default."""
        value = self._raw(key)
        if value is None:
            if default is None:
                raise ConfigError("Missing or empty setting: {}.".format(key))
            return default
        if not isinstance(value, str):
            raise ConfigError("Setting {} must be text.".format(key))
        return value

    def url(self, key: str, default: str) -> str:
        """An http(s) URL that `requests` can call: read whole, so that a typo is named here, not
        found by the first call."""
        value = self.text(key, default)
        problem = _url_problem(value)
        if problem:
            raise ConfigError("Setting {} must be an http(s) URL: {}.".format(key, problem))
        return value

    def number(self, key: str, default: float, minimum: float, maximum: float) -> float:
        """A number within [minimum, maximum]; text like "2.5" is accepted."""
        value = self._raw(key)
        if value is None:
            return default
        try:
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise ValueError
            number = float(value)
        except (ValueError, OverflowError):
            raise ConfigError("Setting {} must be a number.".format(key)) from None
        if not minimum <= number <= maximum:
            raise ConfigError("Setting {} must be between {:g} and {:g}.".format(key, minimum, maximum))
        return number

    def integer(self, key: str, default: int, minimum: int, maximum: int) -> int:
        """A whole number within [minimum, maximum]."""
        number = self.number(key, default, minimum, maximum)
        if number != int(number):
            raise ConfigError("Setting {} must be a whole number.".format(key))
        return int(number)

    def flag(self, key: str) -> bool:
        """A boolean: true/false, yes/no, on/off, 1/0 (any case); unset is false."""
        value = self._raw(key)
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, int) and value in (0, 1):  # never str() an int: one of 5,000 digits raises
            return value == 1
        word = value.lower() if isinstance(value, str) else None
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ConfigError("Setting {} must be true or false.".format(key))

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list given as text separated by commas, semicolons or white space, or as a list;
        empty when unset, a `ConfigError` when set to separators only."""
        value = self._raw(key)
        if value is None:
            return ()
        items = _LIST_SEPARATORS.split(value) if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) for item in items):
            raise ConfigError("Setting {} must be a comma-separated list.".format(key))
        items = tuple(item.strip() for item in items if item.strip())
        if not items:
            raise ConfigError("Setting {} holds no item, only separators.".format(key))
        return items
