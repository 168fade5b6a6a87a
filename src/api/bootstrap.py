"""Start-up: settings → the library's environment → the application, composed once."""

from __future__ import annotations

import base64

import psycopg
from psycopg import sql

from api.persistence.checkpoints import SigningKey
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
    seed = settings.audit_signing_key_bytes
    app.signing_key = SigningKey(seed) if seed is not None else None
    app.verify_processes = settings.audit_verify_processes
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


def ensure_postgres_database(settings: Settings) -> bool:
    """Creates the PostgreSQL database unless it exists; whether it did."""
    name = eventsourcing_env(settings)["POSTGRES_DBNAME"]
    with postgres_server(settings) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return not exists


def postgres_server(settings: Settings) -> psycopg.Connection:
    """An autocommit connection to the server's `postgres` database, for work on databases."""
    env = eventsourcing_env(settings)
    return psycopg.connect(
        dbname="postgres", autocommit=True, host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"], connect_timeout=5,
    )
