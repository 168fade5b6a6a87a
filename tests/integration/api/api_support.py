"""Helpers for the API tests: a client with tokens for anyone, and a cast of people.

`api` is a client of a fresh app (its lifespan runs, so the projection runner follows
the event store in a thread) over the backend's `Trellis` application. `api.settle()`
waits until every read model has reached the head of the event log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api_client import Api  # noqa: F401 - the API tests take their client from here
from domain import Actor, Role
from lifecycle import World, person

ROLES = [Role.ADMINISTRATOR, Role.LINE_MANAGER, Role.MENTOR, Role.MENTEE, Role.AUDITOR, Role.DPO]


@dataclass
class Cast:
    """A programme with one active partnership, and the people of every role in it."""

    world: World
    people: dict[Role, Actor]
    mentor_id: Any
    case_id: Any
    partnership_id: Any

    @property
    def programme_id(self) -> Any:
        return self.world.programme_id


def cast(trellis: Any, stage: str = "active") -> Cast:
    world = World.create(trellis)
    mentor_id, mentor = world.mentor(capacity=3)
    case = world.case(stage, mentor_id)
    people = {
        Role.ADMINISTRATOR: person(trellis, Role.ADMINISTRATOR, "admin"),
        Role.AUDITOR: person(trellis, Role.AUDITOR),
        Role.DPO: person(trellis, Role.DPO),
        Role.LINE_MANAGER: case["manager"], Role.MENTEE: case["mentee"], Role.MENTOR: mentor,
    }
    return Cast(world, people, mentor_id, case["case_id"], case["partnership_id"])
