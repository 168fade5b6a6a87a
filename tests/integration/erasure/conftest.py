"""Erasure tests: the app over each backend, served in-process, with every log line captured."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.logging import configure_logging


@pytest.fixture
def client(app, settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, trellis=app), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """Every log line written while the test runs, as JSON."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    buffer = io.StringIO()
    configure_logging("DEBUG", json=True, stream=buffer)
    yield buffer
    root.handlers, _ = saved
    root.setLevel(saved[1])
