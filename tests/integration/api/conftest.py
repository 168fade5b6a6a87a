"""The HTTP API in-process, on SQLite and PostgreSQL (the `app` fixture's backends)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from log_capture import logs_as_json
from api_support import Api


@pytest.fixture
def api(app, settings) -> Iterator[Api]:
    with TestClient(create_app(settings, trellis=app), raise_server_exceptions=False) as client:
        api = Api(client, settings, app)
        yield api
        # leave no backlog: a later runner would decode it with a cold key cache (see the report)
        api.settle()


@pytest.fixture(scope="session", autouse=True)
def captured_logs() -> Iterator[io.StringIO]:
    """Every log line of the API tests, as JSON, checked for canaries when the run ends."""
    with logs_as_json("INFO") as buffer:
        yield buffer
    leaked = [line for line in buffer.getvalue().splitlines() if "CANARY" in line]
    assert not leaked, f"{len(leaked)} log lines carry a canary marker"
