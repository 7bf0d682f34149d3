"""What a workflow's business logic is given and what it gives back."""
from __future__ import annotations

from shared.core.records import Record
from shared.core.settings import Settings, SettingsSpec
from shared.core.typecheck import TYPE_CHECKING
from shared.outbound.budget import Budget
from shared.wire.event import Event

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    C = TypeVar("C")


class Outcome(Record):
    """What an action did: `ok` with what it did (short texts, no personal data), or `skipped` with why."""

    status: str
    reason: str
    actions: tuple[str, ...] = ()


def done(*actions: str) -> Outcome:
    """The handler acted; `actions` say what, briefly and without personal data."""
    return Outcome("ok", "Done.", actions)


def skip(reason: str) -> Outcome:
    """The event is valid but there is nothing to do."""
    return Outcome("skipped", reason)


class Context:
    """The handler's tools: settings, the time budget, the API clients it asks for, each built on
    first use (`ctx.client(HrflowApi)`, `ctx.client(Mailer)`), so that a workflow carries and imports
    only the clients its handler uses, and the reject path none; and marks it can ask to be kept
    with the delivery record, to act once per something other than the event (`recently`, `keep`)."""

    def __init__(self, settings: Settings, budget: Budget, recently: Callable[[str], bool]):
        self.settings = settings
        self.budget = budget
        self.recently = recently
        self.kept: tuple[str, ...] = ()
        self._clients: dict[object, object] = {}

    def keep(self, mark: str) -> None:
        """Keep `mark` (only its hash) with the delivery record once the action is done: `recently(mark)`
        is then true within `DEDUPE_WINDOW_SECONDS`. Nothing is kept when nothing was done."""
        self.kept += (mark,)

    def client(self, client_class: Callable[[Settings, Budget], C]) -> C:
        """The execution's one client of `client_class`, built as `client_class(settings, budget)` on first use."""
        if client_class not in self._clients:
            self._clients[client_class] = client_class(self.settings, self.budget)
        return self._clients[client_class]  # type: ignore[return-value]  # the one this class built

    @property
    def dry_run(self) -> bool:
        """Whether a client only described what it would do: then nothing was done, and nothing is remembered."""
        return any(getattr(client, "dry_run", False) for client in self._clients.values())


class Action(Record):
    """A workflow's business logic, `handle(event, ctx) -> Outcome`, the settings it reads, and how many
    HTTP calls it makes at most, its send last: the settings must leave the budget room for them
    (`budget.check_room`)."""

    handle: Callable[[Event, Context], Outcome]
    settings: SettingsSpec
    calls: int
