"""Start-up: settings → the library's environment → the application, composed once."""

from __future__ import annotations

import base64

import psycopg
from psycopg import sql

from api.services import Clock, Trellis, utc_now
from api.settings import Settings, eventsourcing_env
from projections import create_tables as create_read_model_tables
from retention.keystore import MasterKeys
from retention.ledger import ErasureLedger


def build_app(settings: Settings, clock: Clock = utc_now) -> Trellis:
    if settings.persistence == "sqlite":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = Trellis(
        eventsourcing_env(settings),
        master_key=master_keys(settings),
        server_key=settings.server_key_bytes,
        key_cache_seconds=settings.key_cache_seconds,
        key_recheck_seconds=settings.key_recheck_seconds,
        clock=clock,
    )
    app.ledger = ErasureLedger(settings.erasure_ledger_path)
    return app


def master_keys(settings: Settings) -> MasterKeys:
    previous = [base64.b64decode(k) for k in settings.previous_master_key_list]
    return MasterKeys(settings.master_key_bytes, previous)


def init_database(settings: Settings) -> None:
    """The single explicit step that creates the database (PostgreSQL) and every table."""
    if settings.persistence == "postgres":
        ensure_postgres_database(settings)
    app = build_app(settings)
    try:
        app.create_tables()
        create_read_model_tables(app.recorder)
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
