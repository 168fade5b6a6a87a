"""The HTTP API in-process, on SQLite and PostgreSQL (the `app` fixture's backends)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api_support import Api


@pytest.fixture
def api(app, settings) -> Iterator[Api]:
    with TestClient(create_app(settings, trellis=app), raise_server_exceptions=False) as client:
        yield Api(client, settings, app)
