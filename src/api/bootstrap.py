"""Start-up: settings → the library's environment → the application, composed once."""

from __future__ import annotations

import psycopg
from psycopg import sql

from api.persistence.idempotency import idempotency_store_for
from api.services import Clock, Trellis, utc_now
from api.settings import Settings, eventsourcing_env
from projections import create_tables as create_read_model_tables


def build_app(settings: Settings, clock: Clock = utc_now) -> Trellis:
    if settings.persistence == "sqlite":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Trellis(
        eventsourcing_env(settings),
        master_key=settings.master_key_bytes,
        key_cache_seconds=settings.key_cache_seconds,
        clock=clock,
    )


def init_database(settings: Settings) -> None:
    """The single explicit step that creates the database (PostgreSQL) and every table."""
    if settings.persistence == "postgres":
        ensure_postgres_database(settings)
    app = build_app(settings)
    try:
        app.create_tables()
        create_read_model_tables(app.recorder)
        idempotency_store_for(app.factory).create_table()
    finally:
        app.close()


def ensure_postgres_database(settings: Settings) -> None:
    env = eventsourcing_env(settings)
    params = {
        "host": env["POSTGRES_HOST"], "port": env["POSTGRES_PORT"], "user": env["POSTGRES_USER"],
        "password": env["POSTGRES_PASSWORD"], "connect_timeout": 5,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (env["POSTGRES_DBNAME"],)
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(env["POSTGRES_DBNAME"])))
