"""Erasure tests: the app over each backend, served in-process, with every log line captured."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from log_capture import logs_as_json


@pytest.fixture
def client(app, settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, trellis=app), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """Every log line written while the test runs, as JSON."""
    with logs_as_json("DEBUG") as buffer:
        yield buffer
