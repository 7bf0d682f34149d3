"""`DISABLED_EVENTS`: the event types a workflow for several answers `skipped`, switched off in the console."""
from __future__ import annotations

from shared.core.errors import ConfigError
from shared.core.settings import Settings, SettingsSpec
from shared.wire.catalogue import CATALOGUE, canonical_type

SWITCH_SETTING = "DISABLED_EVENTS"


def switched_off(config: Settings) -> frozenset[str]:
    """The event types `DISABLED_EVENTS` switches off, by any of their names; a name that is no
    event type is a configuration error, since a typo would silently leave an event on."""
    names = config.text_list(SWITCH_SETTING)
    types = frozenset(canonical_type(name) for name in names)
    if not types <= set(CATALOGUE):
        raise ConfigError("Setting {} must list event types, such as profile.storing.update, comma-separated.".format(
            SWITCH_SETTING))
    return types


SWITCH_SETTINGS = SettingsSpec(optional=(SWITCH_SETTING,), checks=(switched_off,))
