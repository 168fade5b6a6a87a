"""What the chain tests share: the link formula as the design states it (written here, never
imported from the code under test), the stored rows read straight from the database, and
stores of their own on each backend.

link = SHA-256(previous ‖ originator id (16 bytes) ‖ version (8, big-endian, signed)
               ‖ len(topic) (4, big-endian) ‖ topic (UTF-8) ‖ len(state) (4, big-endian) ‖ state),
from 32 zero bytes, in notification order.
"""

from __future__ import annotations

import hashlib
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg import sql

from api.bootstrap import init_database
from api.settings import Settings
from databases import PG_DBNAME, postgres_settings

GENESIS = bytes(32)
EVENTS = {"sqlite": "stored_events", "postgres": "trellis_events"}
POSITION = {"sqlite": "rowid", "postgres": "notification_id"}
LINKS = "trellis_chain"

Event = tuple[UUID, int, str, bytes]


def formula(previous: bytes, originator: UUID, version: int, topic: str, state: bytes) -> bytes:
    t = topic.encode("utf-8")
    return hashlib.sha256(previous + originator.bytes + struct.pack(">q", version) + struct.pack(">I", len(t)) + t
                          + struct.pack(">I", len(state)) + state).digest()


@contextmanager
def connect(settings: Settings) -> Iterator[Any]:
    """A plain DB-API connection to the store (committed on a clean exit)."""
    if settings.persistence == "sqlite":
        connection = sqlite3.connect(settings.sqlite_path)
        try:
            yield connection
            connection.commit()
        finally:
            connection.close()
        return
    with psycopg.connect(host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
                         dbname=settings.postgres_dbname) as connection:
        yield connection


def stored(settings: Settings) -> tuple[dict[int, Event], dict[int, bytes]]:
    """Every event (by position) and every stored link (by position), as the database holds them."""
    kind = settings.persistence
    with connect(settings) as connection:
        rows = connection.execute(f"SELECT {POSITION[kind]}, originator_id, originator_version, topic, state "
                                  f"FROM {EVENTS[kind]}").fetchall()
        links = connection.execute(f"SELECT notification_id, link FROM {LINKS}").fetchall()
    events = {int(p): (UUID(str(o)), int(v), t, bytes(s)) for p, o, v, t, s in rows}
    return events, {int(p): bytes(link) for p, link in links}


def expected_links(events: dict[int, Event]) -> dict[int, bytes]:
    """The chain the formula gives over these events, in notification order."""
    links, previous = {}, GENESIS
    for position in sorted(events):
        previous = links[position] = formula(previous, *events[position])
    return links


@contextmanager
def own_store(backend: str, directory: Any, pg_settings: Settings | None) -> Iterator[Settings]:
    """A store of its own (created by `trellis db init`'s code), dropped afterwards."""
    if backend == "sqlite":
        settings = Settings(environment="test", persistence="sqlite", data_dir=directory)
        init_database(settings)
        yield settings
        return
    assert pg_settings is not None
    settings = postgres_settings(postgres_dbname=f"{PG_DBNAME}_chain_{uuid4().hex[:10]}")
    init_database(settings)
    try:
        yield settings
    finally:
        drop_database(settings)


def drop_database(settings: Settings) -> None:
    with psycopg.connect(host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
                         dbname="postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(settings.postgres_dbname)))
