"""Stores of their own for the chain tests, on SQLite and PostgreSQL: a verification reads the
whole history, so it must be a history only these tests wrote."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.bootstrap import build_app
from api.settings import Settings
from chain_support import own_store


def _pg(request, backend: str) -> Settings | None:
    return request.getfixturevalue("pg_settings") if backend == "postgres" else None


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path) -> Iterator[Settings]:
    """A fresh store for this test alone."""
    with own_store(request.param, tmp_path, _pg(request, request.param)) as settings:
        yield settings


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def shared_store(request, tmp_path_factory) -> Iterator[Settings]:
    """A store for this module's tests, each of which leaves its history whole."""
    with own_store(request.param, tmp_path_factory.mktemp("chain"), _pg(request, request.param)) as settings:
        yield settings


@pytest.fixture
def trellis(store, clock):
    app = build_app(store, clock=clock)
    yield app
    app.close()
