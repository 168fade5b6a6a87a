"""Durable Idempotency-Key records, in the same database as the events.

A key belongs to one actor. It is claimed before the command runs (so two concurrent
retries cannot both run it), completed with the response, or released when the command
was refused (a refused command wrote nothing, so running it again is safe). A record
expires (`idempotency_hours`, default 24): an expired key is free again and is deleted.
The request's fingerprint is an HMAC under the server key — never a plain hash, which a
guesser could match against likely request bodies. Erasing a person deletes their records.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from projections.sql import Store, Table

RECORDS = Table("trellis_idempotency", {
    "actor": "TEXT NOT NULL", "key": "TEXT NOT NULL", "person_id": "TEXT NOT NULL", "fingerprint": "TEXT NOT NULL",
    "status": "INTEGER", "body": "BLOB", "expires_at": "BIGINT NOT NULL",
}, ("actor", "key"), indexes=(("person_id",), ("expires_at",)))


@dataclass(frozen=True)
class Record:
    fingerprint: str
    status: int | None  # None while the first request is still running
    body: bytes


class IdempotencyStore:
    def create_table(self) -> None: ...

    def claim(self, actor: str, person_id: str, key: str, fingerprint: str, now: int, expires_at: int) -> Record | None:
        """Claims the key; returns the existing, unexpired record instead if there is one."""
        raise NotImplementedError

    def complete(self, actor: str, key: str, status: int, body: bytes) -> None:
        raise NotImplementedError

    def release(self, actor: str, key: str) -> None:
        raise NotImplementedError

    def forget_person(self, person_id: str) -> int:
        """Erasure: every record of the person goes; returns how many."""
        return self.forget_people([person_id]).get(person_id, 0)

    def forget_people(self, person_ids: list[str]) -> dict[str, int]:
        """`forget_person` for many at once; returns the records deleted per person."""
        raise NotImplementedError

    def purge_expired(self, now: int) -> int:
        raise NotImplementedError


class InMemoryIdempotencyStore(IdempotencyStore):
    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], tuple[str, Record, int]] = {}  # → (person, record, expires)
        self._lock = threading.Lock()

    def claim(self, actor: str, person_id: str, key: str, fingerprint: str, now: int, expires_at: int) -> Record | None:
        with self._lock:
            existing = self._rows.get((actor, key))
            if existing is not None and existing[2] >= now:
                return existing[1]
            self._rows[(actor, key)] = (person_id, Record(fingerprint, None, b""), expires_at)
            return None

    def complete(self, actor: str, key: str, status: int, body: bytes) -> None:
        with self._lock:
            person, record, expires = self._rows[(actor, key)]
            self._rows[(actor, key)] = (person, Record(record.fingerprint, status, body), expires)

    def release(self, actor: str, key: str) -> None:
        with self._lock:
            self._rows.pop((actor, key), None)

    def forget_people(self, person_ids: list[str]) -> dict[str, int]:
        wanted, removed = set(person_ids), {}
        with self._lock:
            for k, (person, _, _) in list(self._rows.items()):
                if person in wanted:
                    del self._rows[k]
                    removed[person] = removed.get(person, 0) + 1
        return removed

    def purge_expired(self, now: int) -> int:
        with self._lock:
            gone = [k for k, (_, _, expires) in self._rows.items() if expires < now]
            for k in gone:
                del self._rows[k]
            return len(gone)


class SqlIdempotencyStore(IdempotencyStore):
    def __init__(self, store: Store) -> None:
        self.store = store

    def create_table(self) -> None:
        self.store.create(RECORDS, replace_if_reshaped=True)  # records live a day: an upgrade may drop them

    def claim(self, actor: str, person_id: str, key: str, fingerprint: str, now: int, expires_at: int) -> Record | None:
        """One statement claims a key that is free or whose record has expired (taking the
        expired record over); only a key still held is read back."""
        claimed = self.store.query(
            f"INSERT INTO {RECORDS.name} (actor, key, person_id, fingerprint, expires_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (actor, key) DO UPDATE SET person_id = excluded.person_id, "
            "fingerprint = excluded.fingerprint, expires_at = excluded.expires_at, status = NULL, body = NULL "
            f"WHERE {RECORDS.name}.expires_at < ? RETURNING actor",
            (actor, key, person_id, fingerprint, expires_at, now), commit=True)
        if claimed:
            return None
        rows = self.store.query(
            f"SELECT fingerprint, status, body, expires_at FROM {RECORDS.name} WHERE actor = ? AND key = ?", (actor, key))
        if not rows or rows[0]["expires_at"] < now:  # released or expired since: claim again
            return self.claim(actor, person_id, key, fingerprint, now, expires_at)
        row = rows[0]
        return Record(row["fingerprint"], row["status"], bytes(row["body"] or b""))

    def complete(self, actor: str, key: str, status: int, body: bytes) -> None:
        self.store.execute(
            f"UPDATE {RECORDS.name} SET status = ?, body = ? WHERE actor = ? AND key = ?", (status, body, actor, key)
        )

    def release(self, actor: str, key: str) -> None:
        self.store.execute(f"DELETE FROM {RECORDS.name} WHERE actor = ? AND key = ?", (actor, key))

    def forget_people(self, person_ids: list[str]) -> dict[str, int]:
        removed: dict[str, int] = {}
        with self.store.transaction(secure_delete=True) as cursor:
            for start in range(0, len(person_ids), 500):
                chunk = person_ids[start : start + 500]
                rows = cursor.execute(
                    f"DELETE FROM {RECORDS.name} WHERE person_id IN ({', '.join('?' for _ in chunk)}) "
                    "RETURNING person_id", chunk).fetchall()
                for r in rows:
                    removed[r["person_id"]] = removed.get(r["person_id"], 0) + 1
        return removed

    def purge_expired(self, now: int) -> int:
        with self.store.transaction(secure_delete=True) as cursor:
            return cursor.execute(f"DELETE FROM {RECORDS.name} WHERE expires_at < ?", (now,)).rowcount


def idempotency_store_for(factory: Any) -> IdempotencyStore:
    """The store beside the events of the library's infrastructure factory."""
    store = Store.beside(factory)
    return InMemoryIdempotencyStore() if store is None else SqlIdempotencyStore(store)
