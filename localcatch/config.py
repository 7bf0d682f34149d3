"""What a command reads beyond its arguments: the settings (a JSON object file, then the `CATCH_SETTING_<NAME>`
variables, which win, then --secret), the files it is named, and the secret and the scheme it signs with."""
from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from localcatch.errors import CliError
from shared.core.errors import ConfigError
from shared.core.settings import Settings
from shared.wire.signature import SCHEMES, split_secrets
from shared.wire.verification import accepted_schemes

ROOT = Path(__file__).resolve().parent.parent  # of catch.py, samples/ and dist/
LOCAL_SETTINGS = "samples/local-settings.json"  # in ROOT, whatever the current folder
SETTING_PREFIX = "CATCH_SETTING_"
SECRET_SETTING, SCHEME_SETTING = "HRFLOW_WEBHOOK_SECRET", "HRFLOW_SIGNATURE_SCHEME"
HRFLOW_URL_SETTING, MANDRILL_URL_SETTING = "HRFLOW_API_URL", "MANDRILL_API_URL"
LOCAL_HOSTS = ("127.0.0.1", "localhost")
# One default for sign, send and run: the scheme a workflow can check on Catch itself, which hands it the
# body's fields, not its bytes (raw-body needs those).
DEFAULT_SCHEME = "form-json"
DIST_HINT = "built files are in dist/: python build.py"
SETTINGS_HINT = "a settings file is a JSON object, like samples/local-settings.json"


def existing_file(path: str, hint: str) -> str:
    """`path`, when it names a file; else a `CliError` naming it, with `hint` on where to find one."""
    if os.path.isfile(path):
        return path
    raise CliError("{}: {} ({})".format("a folder, not a file" if os.path.isdir(path) else "no such file", path, hint))


def local_settings() -> str:
    """samples/local-settings.json beside catch.py, named from the current folder when it can be."""
    try:
        return os.path.relpath(ROOT / LOCAL_SETTINGS)
    except ValueError:  # on another drive
        return str(ROOT / LOCAL_SETTINGS)


def setting_source(name: str, path: str | None) -> str:
    """Where the setting `name` came from, for a message: its variable, which wins, or the settings file."""
    if SETTING_PREFIX + name in os.environ:
        return SETTING_PREFIX + name
    return "{} in {}".format(name, path) if path else name


def load_settings(path: str | None, secret: str | None = None) -> dict[str, Any]:
    """Settings from the JSON object at `path`, then from the `CATCH_SETTING_<NAME>` variables, then `secret`
    (--secret) as HRFLOW_WEBHOOK_SECRET: each wins over the one before. Every command finds the webhook secret
    this way, so that what `send` signs with is what `serve` verifies with, given the same file and variables."""
    if path:
        existing_file(path, SETTINGS_HINT)
    try:
        settings = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError) as error:
        raise CliError("cannot read the settings file {}: {}".format(path, error)) from None
    if not isinstance(settings, dict):
        raise CliError("the settings file {} does not hold a JSON object".format(path))
    for name, value in os.environ.items():
        if name.startswith(SETTING_PREFIX) and name != SETTING_PREFIX:
            settings[name[len(SETTING_PREFIX):]] = value
    if secret is not None:
        settings[SECRET_SETTING] = secret
    return settings


def modified(path: str) -> int | None:
    """The modification time of the file at `path`, None when there is none."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


class SettingsFile:
    """The settings `serve` runs with, as `load_settings` loads them from `path` (or from the variables alone),
    loaded again when the file's modification time changes. Executions may write into the settings (the
    delivery record, `_CATCH_DELIVERIES`, that makes a redelivery a duplicate), as Catch keeps what they write:
    a reload keeps each key they added or changed since the last load, unless the file now sets it."""

    def __init__(self, path: str | None, secret: str | None = None):
        self.path, self.secret = path, secret
        self.stamp = modified(path) if path else None
        self.settings = load_settings(path, secret)
        self.loaded = copy.deepcopy(self.settings)  # as loaded, to tell what the executions wrote since

    def changed(self) -> bool:
        return self.path is not None and modified(self.path) != self.stamp

    def reload(self) -> list[str]:
        """Load the settings again (a `CliError` when the file cannot be read); the names of the keys kept
        from what the executions wrote."""
        stamp = modified(self.path) if self.path else None  # before reading: a write meanwhile reloads again
        fresh = load_settings(self.path, self.secret)
        written = [name for name, value in self.settings.items()
                   if name not in self.loaded or self.loaded[name] != value]
        kept = sorted(name for name in written if name not in fresh)
        self.loaded, self.stamp = copy.deepcopy(fresh), stamp
        fresh.update((name, self.settings[name]) for name in kept)
        self.settings = fresh
        return kept


def webhook_secret(settings: dict[str, Any], path: str | None) -> str:
    """The secret to sign with: the first of the setting HRFLOW_WEBHOOK_SECRET (it may list several, for
    rotation), which the workflow verifies with, as `load_settings` found it; else a `CliError` saying where
    it looked."""
    value = settings.get(SECRET_SETTING)
    secrets = split_secrets(value) if isinstance(value, str) else ()
    if secrets:
        return secrets[0]
    unread = " (the variable {0} is not read: name it {1}{0})".format(SECRET_SETTING, SETTING_PREFIX) if (
        SECRET_SETTING in os.environ) else ""
    raise CliError("no webhook secret: pass --secret, set the variable {}{}, or set {} in {}{}".format(
        SETTING_PREFIX, SECRET_SETTING, SECRET_SETTING, path or "the settings file (--settings FILE)", unread))


def signing(settings: dict[str, Any], path: str | None, given_scheme: str | None = None) -> tuple[str, str]:
    """The secret and the scheme to sign with (`webhook_secret`, `scheme_of`), as every command finds them."""
    return webhook_secret(settings, path), scheme_of(given_scheme, settings, path)


def scheme_of(given: str | None, settings: dict[str, Any], path: str | None) -> str:
    """The scheme to sign with: the one given, else the first HRFLOW_SIGNATURE_SCHEME accepts (a workflow
    with that setting accepts no other), else DEFAULT_SCHEME."""
    if given:
        return given
    config = Settings(settings)
    if not config.has(SCHEME_SETTING):
        return DEFAULT_SCHEME
    try:
        return accepted_schemes(config)[0]
    except ConfigError:
        raise CliError("{} must list schemes among {}, comma-separated".format(
            setting_source(SCHEME_SETTING, path), ", ".join(SCHEMES))) from None
