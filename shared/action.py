"""What a workflow's business logic is given and what it gives back."""
from typing import Callable, NamedTuple, Tuple

from .budget import Budget
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
    """The handler's tools: settings, the time budget, and the API clients it asks for, each built
    on first use (`ctx.client(HrflowApi)`, `ctx.client(Mailer)`), so that a workflow carries and
    imports only the clients its handler uses, and the reject path none."""

    def __init__(self, settings: Settings, budget: Budget):
        self.settings = settings
        self.budget = budget
        self._clients: dict = {}

    def client(self, kind: Callable):
        """The execution's one client of `kind`, built as `kind(settings, budget)` on first use."""
        if kind not in self._clients:
            self._clients[kind] = kind(self.settings, self.budget)
        return self._clients[kind]

    @property
    def dry_run(self) -> bool:
        """Whether a client only described what it would do: then nothing was done, and nothing is remembered."""
        return any(getattr(client, "dry_run", False) for client in self._clients.values())


class Action(NamedTuple):
    """A workflow's business logic and the settings keys it reads."""

    handle: Callable[[Event, Context], Outcome]
    settings: SettingsSpec
