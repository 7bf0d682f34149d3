"""The third-party packages the workflows call: the versions they are tested with, what a runtime
has installed, and a clear configuration error when a package is missing or lacks what they call.

HrFlow's Catch runtime provides `hrflow` and `mailchimp_transactional` and does not say which
versions. The supported ranges are those the workflows were run against: hrflow 3.0.0 is the first
with `profile.storing.get` and `job.storing.get` (1.9.0 has no `storing`, 2.x only `storing.list`),
and every mailchimp_transactional from 1.0.7 to 1.4.1 takes the same `Client`, `messages.send*`,
`api_client.request` and `ApiClientError`. A newer release is used if it still has what is called.
"""
from __future__ import annotations

from shared.core.errors import ConfigError
from shared.core.typecheck import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

# The import name of each package, its name on PyPI, and the oldest and newest versions tested.
SUPPORTED = {
    "hrflow": ("hrflow", "3.0.0", "4.3.0"),
    "mailchimp_transactional": ("mailchimp-transactional", "1.0.7", "1.4.1"),
}


def installed_version(module: ModuleType, distribution: str) -> str:
    """The version of an imported package: its `__version__`, else its metadata, else "unknown"."""
    version = getattr(module, "__version__", None)
    if isinstance(version, str):
        return version
    try:
        from importlib import metadata

        return metadata.version(distribution)
    except Exception:  # installed without metadata: importable, version unknown
        return "unknown"


def supported_range(name: str) -> str:
    """The versions of `name` the workflows are tested with, as the errors and the probe say them."""
    distribution, oldest, newest = SUPPORTED[name]
    return "{} {} to {}".format(distribution, oldest, newest)


def in_range(name: str, version: str) -> bool | None:
    """Whether `version` of `name` is within the tested range; None when it cannot be read."""
    _, oldest, newest = SUPPORTED[name]
    try:
        numbers = [tuple(int(part) for part in text.split(".")[:3]) for text in (version, oldest, newest)]
    except ValueError:  # "unknown", or a pre-release suffix
        return None
    return numbers[1] <= numbers[0] <= numbers[2]


def import_package(name: str) -> ModuleType:
    """Import a package the workflows call, or say plainly that this runtime lacks it."""
    import importlib

    try:
        return importlib.import_module(name)
    except Exception as error:  # not installed, or broken (hrflow 1.7 needs pandas it does not declare)
        raise ConfigError("This runtime cannot import the package {} ({}): the workflows need {}.".format(
            SUPPORTED[name][0], type(error).__name__, supported_range(name))) from None


def require(name: str, module: ModuleType, has_all: bool, lacking: str) -> None:
    """Refuse an installed package that lacks what the workflows call, naming its version and the range."""
    if not has_all:
        raise ConfigError("The installed {} {} has no {}: the workflows need {}.".format(
            SUPPORTED[name][0], installed_version(module, SUPPORTED[name][0]), lacking, supported_range(name)))
