"""The person registry's table, in the same database as the events (see `retention.people`).

Unlinking a person deletes their row with SQLite's `secure_delete` on and then scrubs the
table (write-ahead log checkpointed and truncated; PostgreSQL VACUUM), and tells every
other process to drop the link from its cache.
"""

from __future__ import annotations

from typing import Any

from api.persistence.keys import KEYS_CHANNEL
from projections.sql import Store, Table
from retention.keystore import KeyStore
from retention.people import InMemoryPersonRegistry, PersonRegistry

PEOPLE = Table("trellis_people", {
    "lookup": "TEXT NOT NULL", "person_id": "TEXT NOT NULL", "identity": "TEXT NOT NULL",
    "created_at": "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP",
}, ("lookup",), indexes=(("person_id",),))


class SqlPersonRegistry(PersonRegistry):
    def __init__(self, store: Store, keys: KeyStore, lookup_key: bytes) -> None:
        super().__init__(keys, lookup_key)
        self.store = store

    def create_table(self) -> None:
        self.store.create(PEOPLE)

    def _select(self, lookup: str) -> str | None:
        rows = self.store.query(f"SELECT person_id FROM {PEOPLE.name} WHERE lookup = ?", (lookup,))
        return rows[0]["person_id"] if rows else None

    def _select_identity(self, person_id: str) -> str | None:
        rows = self.store.query(f"SELECT identity FROM {PEOPLE.name} WHERE person_id = ?", (person_id,))
        return rows[0]["identity"] if rows else None

    def _insert(self, lookup: str, person_id: str, sealed_identity: str) -> None:
        self.store.execute(
            f"INSERT INTO {PEOPLE.name} (lookup, person_id, identity) VALUES (?, ?, ?) ON CONFLICT (lookup) DO NOTHING",
            (lookup, person_id, sealed_identity),
        )

    def _delete(self, person_ids: list[str], scrub: bool) -> dict[str, int]:
        removed: dict[str, int] = {}
        with self.store.transaction(secure_delete=True) as cursor:
            for start in range(0, len(person_ids), 500):
                chunk = person_ids[start : start + 500]
                rows = cursor.execute(
                    f"DELETE FROM {PEOPLE.name} WHERE person_id IN ({', '.join('?' for _ in chunk)}) RETURNING person_id",
                    chunk).fetchall()
                for r in rows:
                    removed[r["person_id"]] = removed.get(r["person_id"], 0) + 1
            self.store.notify(cursor, KEYS_CHANNEL, [f"person:{p}" for p in person_ids])
        if scrub:
            self.scrub()
        return removed

    def scrub(self) -> None:
        self.store.scrub(PEOPLE.name)


def person_registry_for(factory: Any, keys: KeyStore, lookup_key: bytes) -> PersonRegistry:
    store = Store.beside(factory)
    return InMemoryPersonRegistry(keys, lookup_key) if store is None else SqlPersonRegistry(store, keys, lookup_key)
