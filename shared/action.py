"""What a workflow's business logic is given and what it gives back."""
from typing import Callable, NamedTuple, Tuple

from .budget import Budget
from .hrflow_api import HrflowApi
from .mail import Mailer
from .request import Event
from .settings import Settings, SettingsSpec


class Outcome(NamedTuple):
    """What a handler did: `ok` with the actions taken, or `skipped` with why."""

    status: str
    reason: str
    actions: Tuple[str, ...] = ()


def done(*actions: str) -> Outcome:
    """The handler acted; `actions` say what, briefly and without personal data."""
    return Outcome("ok", "Done.", actions)


def skip(reason: str) -> Outcome:
    """The event is valid but there is nothing to do."""
    return Outcome("skipped", reason)


class Context:
    """The handler's tools: settings, the time budget, and lazily built API clients."""

    def __init__(self, settings: Settings, budget: Budget):
        self.settings = settings
        self.budget = budget
        self._hrflow = None
        self._mailer = None

    @property
    def hrflow(self) -> HrflowApi:
        """HrFlow's API (the SDK is imported on first use, never on the reject path)."""
        if self._hrflow is None:
            self._hrflow = HrflowApi(self.settings, self.budget)
        return self._hrflow

    @property
    def dry_run(self) -> bool:
        """Whether the mailer only described its emails: then nothing was done, and nothing is remembered."""
        return self._mailer is not None and self._mailer.dry_run

    @property
    def mailer(self) -> Mailer:
        """Mandrill (the SDK is imported on first use, never on the reject path)."""
        if self._mailer is None:
            self._mailer = Mailer(self.settings, self.budget)
        return self._mailer


class Action(NamedTuple):
    """A workflow's business logic and the settings keys it reads."""

    handle: Callable[[Event, Context], Outcome]
    settings: SettingsSpec
