"""Helpers for the tests that go through the services: reading back what a command wrote."""

from __future__ import annotations

from domain import Actor, Role
from lifecycle import ADMIN, NOW, TODAY, World, unique


def events_of(app, aggregate_id) -> list:
    return list(app.events.get(aggregate_id))


def last_event(app, aggregate_id):
    return events_of(app, aggregate_id)[-1]


def written_since(app, position: int) -> list:
    """Every event written after notification `position`, in order."""
    notifications = app.recorder.select_notifications(start=position + 1, limit=1000)
    return [app.mapper.to_domain_event(n) for n in notifications]


def assert_recorded(app, aggregate_id, name: str, actor: Actor):
    """The aggregate's last event is `name`, stamped with the actor, the role and the pinned clock's time."""
    event = last_event(app, aggregate_id)
    assert type(event).__name__ == name
    assert (event.actor_id, event.actor_role, event.timestamp) == (actor.id, actor.role.value, NOW)
    return event


def stranger(role: Role) -> Actor:
    return Actor(unique(role.value), role)


__all__ = ["ADMIN", "NOW", "TODAY", "World", "assert_recorded", "events_of", "last_event", "stranger", "unique",
           "written_since"]
