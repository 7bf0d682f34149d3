"""A workflow's definition: which action handles each event type, and the settings that follow."""
from __future__ import annotations

from shared.actions.action import Action
from shared.core.settings import SettingsSpec
from shared.pipeline.limits import PIPELINE_SETTINGS
from shared.pipeline.switch import SWITCH_SETTINGS


class Workflow:
    """What a workflow does: the action for each event type it handles, by the catalogue's name,
    under a `name` for its log line; with `switchable`, `DISABLED_EVENTS` switches chosen types off.

    `settings` is what the workflow reads, the pipeline's own settings included: required, what every
    one of its event types needs; optional, the rest. `settings_by_event` is what each event type needs
    when it arrives.
    """

    def __init__(self, name: str, actions: dict[str, Action], switchable: bool = False):
        self.name, self.actions, self.switchable = name, dict(actions), switchable
        self.settings_by_event = {
            event_type: PIPELINE_SETTINGS + action.settings for event_type, action in self.actions.items()
        }
        specs = list(self.settings_by_event.values()) or [PIPELINE_SETTINGS]
        common = specs[0]
        if len(specs) > 1:
            required = tuple(key for key in common.required if all(key in spec.required for spec in specs))
            # A group every event type needs, or meets with a required member of it, is needed by all.
            one_of = tuple(dict.fromkeys(
                group for spec in specs for group in spec.one_of
                if all(group in other.one_of or set(group) & set(other.required) for other in specs)))
            keys = [key for spec in specs for key in spec.keys]
            families = tuple(dict.fromkeys(family for spec in specs for family in spec.families))
            common = SettingsSpec(required, tuple(dict.fromkeys(key for key in keys if key not in required)), one_of,
                                  families=families)
        self.settings = common + SWITCH_SETTINGS if switchable else common
