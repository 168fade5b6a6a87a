"""The data-protection officer's jobs through the HTTP API, on SQLite and PostgreSQL (the
`app` fixture's backends). The API's lifespan runs the projection runner in a thread, which
erasure and retention need: they work from read models that have caught up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from dpo_support import Api, dpo
from domain import Actor


@pytest.fixture
def api(app, settings) -> Iterator[Api]:
    with TestClient(create_app(settings, trellis=app), raise_server_exceptions=False) as client:
        api = Api(client, settings, app)
        yield api
        api.settle()  # leave no backlog for a later runner


@pytest.fixture
def officer(app) -> Actor:
    """The data-protection officer."""
    return dpo(app)
