"""The data-protection officer's jobs through the HTTP API, on SQLite and PostgreSQL (the
`app` fixture's backends). The API's lifespan runs the projection runner in a thread, which
erasure and retention need: they work from read models that have caught up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from dpo_support import DpoApi, dpo
from domain import Actor
from lifecycle import World


@pytest.fixture
def api(app, settings) -> Iterator[DpoApi]:
    with TestClient(create_app(settings, trellis=app), raise_server_exceptions=False) as client:
        api = DpoApi(client, settings, app)
        yield api
        api.settle()  # leave no backlog for a later runner


@pytest.fixture
def officer(app) -> Actor:
    """The data-protection officer."""
    return dpo(app)


@pytest.fixture
def pair(app):
    """A mentee in an active partnership with a mentor who has one more place (a test file may
    make its own pair)."""
    world = World.create(app)
    mentor_id, mentor = world.mentor(capacity=2)
    case = world.case("active", mentor_id)
    return {"world": world, "mentor_id": mentor_id, "mentor": mentor, **case}
