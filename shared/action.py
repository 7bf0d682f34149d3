"""What a workflow's business logic is given and what it gives back."""
from collections import namedtuple

from .budget import Budget
from .settings import Settings
from .typecheck import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class Outcome(namedtuple("Outcome", ("status", "reason", "actions"), defaults=((),))):
    """What a handler did: `ok` with the actions taken (a tuple of texts), or `skipped` with why."""

    __slots__ = ()


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

    def client(self, kind: "Callable[[Settings, Budget], Any]") -> "Any":
        """The execution's one client of `kind`, built as `kind(settings, budget)` on first use."""
        if kind not in self._clients:
            self._clients[kind] = kind(self.settings, self.budget)
        return self._clients[kind]

    @property
    def dry_run(self) -> bool:
        """Whether a client only described what it would do: then nothing was done, and nothing is remembered."""
        return any(getattr(client, "dry_run", False) for client in self._clients.values())


class Action(namedtuple("Action", ("handle", "settings", "calls"))):
    """A workflow's business logic, `handle(event, ctx) -> Outcome`, the settings it reads (a
    `SettingsSpec`), and how many HTTP calls it makes at most, its send last: the settings must
    leave the budget room for them (`budget.check_room`)."""

    __slots__ = ()
