"""What every command of the services shares: the acting context, the clock and the answer.

A command runs inside `acting(actor)`, which opens the domain's recording of who acts and
when (the time from the service's clock, which tests pin), and answers with `Recorded`:
the id it acted on and the notification id of its own last event.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from api.persistence.event_store import CONFLICT, EventStore
from api.services.clock import Clock, utc_now
from domain import Actor, Recording, recording


@dataclass(frozen=True)
class Recorded:
    """A command's answer: what it acted on (or made), and where its last event stands in the log."""

    id: UUID
    position: int


class Commands(EventStore):
    def __init__(self, env: dict[str, str] | None = None, *, clock: Clock = utc_now, **storage: Any) -> None:
        """`storage`: the event store's keys and key-cache settings (see `EventStore`)."""
        self.clock = clock
        super().__init__(env, **storage)

    @contextmanager
    def acting(self, actor: Actor) -> Iterator[Recording]:
        """Every event recorded inside names `actor` and carries the clock's time."""
        with recording(actor, self.clock()) as now:
            yield now

    def _answer(self, object_id: UUID, *aggregates: Aggregate | None, conflict: str = CONFLICT) -> Recorded:
        """Saves the aggregates a command changed, at once, and answers with its position."""
        return Recorded(object_id, self.commit(*aggregates, conflict=conflict))
