"""Durable Idempotency-Key records, in the same database as the events.

A key belongs to one actor. It is claimed before the command runs (so two concurrent
retries cannot both run it), completed with the response, or released when the command
was refused (a refused command wrote nothing, so running it again is safe).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

TABLE = "trellis_idempotency"


@dataclass(frozen=True)
class Record:
    fingerprint: str
    status: int | None  # None while the first request is still running
    body: bytes


class IdempotencyStore:
    def create_table(self) -> None: ...

    def claim(self, actor: str, key: str, fingerprint: str) -> Record | None:
        """Claims the key; returns the existing record instead if there is one."""
        raise NotImplementedError

    def complete(self, actor: str, key: str, status: int, body: bytes) -> None:
        raise NotImplementedError

    def release(self, actor: str, key: str) -> None:
        raise NotImplementedError


class InMemoryIdempotencyStore(IdempotencyStore):
    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], Record] = {}
        self._lock = threading.Lock()

    def claim(self, actor: str, key: str, fingerprint: str) -> Record | None:
        with self._lock:
            existing = self._rows.get((actor, key))
            if existing is None:
                self._rows[(actor, key)] = Record(fingerprint, None, b"")
            return existing

    def complete(self, actor: str, key: str, status: int, body: bytes) -> None:
        with self._lock:
            self._rows[(actor, key)] = Record(self._rows[(actor, key)].fingerprint, status, body)

    def release(self, actor: str, key: str) -> None:
        with self._lock:
            self._rows.pop((actor, key), None)


class SqlIdempotencyStore(IdempotencyStore):
    placeholder = "%s"
    create_sql = f"""
        CREATE TABLE IF NOT EXISTS {TABLE} (
            actor TEXT NOT NULL,
            key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            status INTEGER,
            body BYTEA,
            created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
            PRIMARY KEY (actor, key)
        )"""

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self.placeholder)

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self.create_sql)

    def claim(self, actor: str, key: str, fingerprint: str) -> Record | None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                self._sql(f"INSERT INTO {TABLE} (actor, key, fingerprint) VALUES (?, ?, ?) "
                          "ON CONFLICT (actor, key) DO NOTHING RETURNING actor"),
                (actor, key, fingerprint),
            )
            if curs.fetchone() is not None:
                return None
            curs.execute(
                self._sql(f"SELECT fingerprint, status, body FROM {TABLE} WHERE actor = ? AND key = ?"),
                (actor, key),
            )
            row = curs.fetchone()
        if row is None:  # released between the two statements: claim again
            return self.claim(actor, key, fingerprint)
        return Record(row["fingerprint"], row["status"], bytes(row["body"] or b""))

    def complete(self, actor: str, key: str, status: int, body: bytes) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                self._sql(f"UPDATE {TABLE} SET status = ?, body = ? WHERE actor = ? AND key = ?"),
                (status, body, actor, key),
            )

    def release(self, actor: str, key: str) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._sql(f"DELETE FROM {TABLE} WHERE actor = ? AND key = ?"), (actor, key))


class SQLiteIdempotencyStore(SqlIdempotencyStore):
    placeholder = "?"
    create_sql = SqlIdempotencyStore.create_sql.replace("BYTEA", "BLOB").replace(
        "TIMESTAMP WITH TIME ZONE", "TEXT"
    )


def idempotency_store_for(factory: Any) -> IdempotencyStore:
    """The store beside the events of the library's infrastructure factory."""
    from eventsourcing.postgres import PostgresFactory
    from eventsourcing.sqlite import SQLiteFactory

    if isinstance(factory, PostgresFactory):
        return SqlIdempotencyStore(factory.datastore)
    if isinstance(factory, SQLiteFactory):
        return SQLiteIdempotencyStore(factory.datastore)
    return InMemoryIdempotencyStore()
