"""Fixtures for the read models: a runner on the `app` fixture's store (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from projections.queries import ReadModels
from projections.runner import Runner


@pytest.fixture
def runner(app):
    r = Runner.for_app(app)
    yield r
    r.stop()


@pytest.fixture
def read_models(runner, app) -> ReadModels:
    """The queries, opening sealed names with the application's keys (as the API does)."""
    return ReadModels(runner.store, opener=app.open_sealed)
