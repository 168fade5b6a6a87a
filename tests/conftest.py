"""Backends for the tests: the same behavioural tests run on SQLite and PostgreSQL.

PostgreSQL is required under CI (CI=true or TRELLIS_REQUIRE_POSTGRES=1): there an
unreachable server fails the run. Elsewhere its tests skip with the reason shown.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import psycopg
from psycopg import sql
import pytest

# Production is the default environment and refuses to start without secrets of its own: the
# suite (and every `trellis` process it starts) runs in development mode, set explicitly.
os.environ["TRELLIS_ENVIRONMENT"] = "development"
sys.path.insert(0, str(Path(__file__).parent))

from api.bootstrap import build_app, init_database  # noqa: E402
from api.services import ManualClock  # noqa: E402
from api.settings import Settings  # noqa: E402
from databases import PG_DBNAME, postgres_required, postgres_settings  # noqa: E402
from lifecycle import NOW  # noqa: E402

BACKENDS = ["sqlite", "postgres"]




@pytest.fixture(scope="session")
def pg_settings() -> Settings:
    settings = postgres_settings()
    try:
        with psycopg.connect(
            host=settings.postgres_host, port=settings.postgres_port,
            user=settings.postgres_user, dbname="postgres", connect_timeout=3, autocommit=True,
        ) as conn:
            # A fresh database each run: tables left by an earlier run (or an older
            # version of the read models) must not decide this run's outcome.
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_DBNAME)))
    except psycopg.OperationalError as error:
        reason = f"PostgreSQL at {settings.postgres_host}:{settings.postgres_port} is unreachable: {error}"
        if postgres_required():
            pytest.fail(f"{reason} (required under CI)", pytrace=False)
        pytest.skip(reason)
    init_database(settings)
    return settings


@pytest.fixture(scope="session")
def sqlite_settings(tmp_path_factory) -> Settings:
    settings = Settings(environment="test", persistence="sqlite", data_dir=tmp_path_factory.mktemp("sqlite"))
    init_database(settings)
    return settings


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def settings(backend, request) -> Settings:
    return request.getfixturevalue({"sqlite": "sqlite_settings", "postgres": "pg_settings"}[backend])


@pytest.fixture
def clock() -> ManualClock:
    """The applications' clock, pinned at NOW; a test may move it."""
    return ManualClock(NOW)


@pytest.fixture
def app(settings, clock):
    application = build_app(settings, clock=clock)
    yield application
    application.close()


@pytest.fixture
def memory_app(clock):
    application = build_app(Settings(environment="test", persistence="memory"), clock=clock)
    yield application
    application.close()
