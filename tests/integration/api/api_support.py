"""Helpers for the API tests: a client with tokens for anyone, and a cast of people.

`api` is a client of a fresh app (its lifespan runs, so the projection runner follows
the event store in a thread) over the backend's `Trellis` application. `api.settle()`
waits until every read model has reached the head of the event log.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from api.http.auth import issue_token
from domain import Actor, Role
from lifecycle import World, identity_of, person, unique

ROLES = [Role.ADMINISTRATOR, Role.LINE_MANAGER, Role.MENTOR, Role.MENTEE, Role.AUDITOR, Role.DPO]


@dataclass
class Api:
    client: TestClient
    settings: Any
    trellis: Any

    def token(self, actor: Actor) -> str:
        return issue_token(self.settings, identity_of(actor), [actor.role.value])

    def headers(self, actor: Actor | None, **extra: str) -> dict[str, str]:
        auth = {"Authorization": f"Bearer {self.token(actor)}"} if actor is not None else {}
        return auth | extra

    def get(self, path: str, actor: Actor | None, **kwargs: Any) -> Any:
        return self.client.get(path, headers=self.headers(actor), **kwargs)

    def post(self, path: str, actor: Actor | None, json: Any = None, **headers: str) -> Any:
        return self.client.post(path, json=json, headers=self.headers(actor, **headers))

    def head(self) -> int:
        return self.trellis.recorder.max_notification_id() or 0

    def settle(self) -> None:
        self.client.app.state.runner.wait(self.head(), timeout=30)


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
