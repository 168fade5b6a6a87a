"""Who acted, when, and for whom: the one place every event takes them from.

A service opens `recording(actor, at)` around a command; every event the aggregates
trigger inside it records the actor's id and role, the moment (as its timestamp) and,
where an administrator records something a party does for themselves, on whose behalf.
No event method takes these as parameters, and nothing in the domain reads a clock:
"now" is whatever the service passed in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from eventsourcing.domain import Aggregate

from domain.actors import Actor
from domain.errors import TrellisError


class NotRecording(TrellisError):
    """A command ran outside `recording(...)`: no actor and no time to record."""


@dataclass(frozen=True)
class Recording:
    actor: Actor
    at: datetime
    on_behalf_of: str | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("a recording's time must be timezone-aware")

    @property
    def today(self) -> date:
        return self.at.date()


_current: ContextVar[Recording | None] = ContextVar("trellis_recording", default=None)


def current() -> Recording:
    found = _current.get()
    if found is None:
        raise NotRecording("commands run inside recording(actor, at)")
    return found


def actor() -> Actor:
    return current().actor


def today() -> date:
    return current().today


@contextmanager
def recording(who: Actor, at: datetime) -> Iterator[Recording]:
    """Every event triggered inside records `who` and `at`."""
    token = _current.set(Recording(who, at))
    try:
        yield _current.get()  # type: ignore[misc]
    finally:
        _current.reset(token)


@contextmanager
def for_person(person_id: str) -> Iterator[None]:
    """A command a party does for themselves: recorded by anyone else, its events say for whom."""
    now = current()
    if now.actor.id == person_id:
        yield
        return
    token = _current.set(replace(now, on_behalf_of=person_id))
    try:
        yield
    finally:
        _current.reset(token)


class TrellisAggregate(Aggregate):
    """The base of every aggregate: its events record the actor, the role, the time and for whom."""

    class Event(Aggregate.Event):
        actor_id: str = field(default_factory=lambda: current().actor.id, init=False)
        actor_role: str = field(default_factory=lambda: current().actor.role.value, init=False)
        on_behalf_of: str | None = field(default_factory=lambda: current().on_behalf_of, init=False)

        # v1 events took actor_id and actor_role as method arguments and had no on_behalf_of.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("on_behalf_of", None)
            state["actor_role"] = str(state.get("actor_role"))

        @staticmethod
        def create_timestamp() -> datetime:
            return current().at

    class Created(Event, Aggregate.Created):
        pass
