"""Helpers for the unit tests: reading back what a command recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain import Actor, Role
from lifecycle import ADMIN, World, unique

TODAY = date.today()


def events_of(app, aggregate_id) -> list:
    return list(app.events.get(aggregate_id))


def last_event(app, aggregate_id):
    return events_of(app, aggregate_id)[-1]


def assert_recorded(app, aggregate_id, name: str, actor: Actor):
    """The aggregate's last event is `name`, stamped with the actor, the role and the time."""
    event = last_event(app, aggregate_id)
    assert type(event).__name__ == name
    assert event.actor_id == actor.id
    assert event.actor_role == actor.role
    assert abs(datetime.now(UTC) - event.timestamp) < timedelta(minutes=1)
    return event


def stranger(role: Role) -> Actor:
    return Actor(unique(role.value), role)


__all__ = ["ADMIN", "TODAY", "World", "assert_recorded", "events_of", "last_event", "stranger", "unique"]
