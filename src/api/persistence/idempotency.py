"""Durable Idempotency-Key records, in the same database as the events.

A key belongs to one actor. It is claimed before the command runs (so two concurrent
retries cannot both run it), completed with the response, or released when the command
was refused (a refused command wrote nothing, so running it again is safe).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from projections.sql import Store, Table

RECORDS = Table("trellis_idempotency", {
    "actor": "TEXT NOT NULL", "key": "TEXT NOT NULL", "fingerprint": "TEXT NOT NULL", "status": "INTEGER",
    "body": "BLOB", "created_at": "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP",
}, ("actor", "key"))


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
    def __init__(self, store: Store) -> None:
        self.store = store

    def create_table(self) -> None:
        self.store.create(RECORDS)

    def claim(self, actor: str, key: str, fingerprint: str) -> Record | None:
        with self.store.transaction() as cursor:
            claimed = cursor.execute(
                f"INSERT INTO {RECORDS.name} (actor, key, fingerprint) VALUES (?, ?, ?) "
                "ON CONFLICT (actor, key) DO NOTHING RETURNING actor", (actor, key, fingerprint),
            ).fetchone()
            if claimed is not None:
                return None
            row = cursor.execute(
                f"SELECT fingerprint, status, body FROM {RECORDS.name} WHERE actor = ? AND key = ?", (actor, key)
            ).fetchone()
        if row is None:  # released between the two statements: claim again
            return self.claim(actor, key, fingerprint)
        return Record(row["fingerprint"], row["status"], bytes(row["body"] or b""))

    def complete(self, actor: str, key: str, status: int, body: bytes) -> None:
        self.store.execute(
            f"UPDATE {RECORDS.name} SET status = ?, body = ? WHERE actor = ? AND key = ?", (status, body, actor, key)
        )

    def release(self, actor: str, key: str) -> None:
        self.store.execute(f"DELETE FROM {RECORDS.name} WHERE actor = ? AND key = ?", (actor, key))


def idempotency_store_for(factory: Any) -> IdempotencyStore:
    """The store beside the events of the library's infrastructure factory."""
    store = Store.beside(factory)
    return InMemoryIdempotencyStore() if store is None else SqlIdempotencyStore(store)
