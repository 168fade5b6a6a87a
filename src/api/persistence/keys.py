"""The key table, in the same database as the events (see `retention.keystore`)."""

from __future__ import annotations

from typing import Any

from projections.sql import Store, Table
from retention.keystore import InMemoryKeyStore, KeyStore

KEYS = Table("trellis_keys", {
    "ref": "TEXT NOT NULL", "wrapped": "BLOB",
    "created_at": "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP", "destroyed_at": "TIMESTAMP",
}, ("ref",))


class SqlKeyStore(KeyStore):
    def __init__(self, store: Store, master_key: bytes, cache_seconds: float = 60.0) -> None:
        super().__init__(master_key, cache_seconds)
        self.store = store

    def create_table(self) -> None:
        self.store.create(KEYS)

    def _select(self, ref: str) -> tuple[bytes, bool] | None:
        rows = self.store.query(f"SELECT wrapped, destroyed_at FROM {KEYS.name} WHERE ref = ?", (ref,))
        if not rows:
            return None
        wrapped, destroyed_at = rows[0]["wrapped"], rows[0]["destroyed_at"]
        return (bytes(wrapped) if wrapped is not None else b"", destroyed_at is not None)

    def _insert(self, ref: str, wrapped: bytes) -> None:
        self.store.execute(
            f"INSERT INTO {KEYS.name} (ref, wrapped) VALUES (?, ?) ON CONFLICT (ref) DO NOTHING", (ref, wrapped)
        )

    def _tombstone(self, ref: str) -> bool:
        with self.store.transaction() as cursor:
            changed = cursor.execute(
                f"UPDATE {KEYS.name} SET wrapped = NULL, destroyed_at = CURRENT_TIMESTAMP "
                "WHERE ref = ? AND destroyed_at IS NULL", (ref,),
            ).rowcount > 0
            if not changed:
                cursor.execute(
                    f"INSERT INTO {KEYS.name} (ref, wrapped, destroyed_at) VALUES (?, NULL, CURRENT_TIMESTAMP) "
                    "ON CONFLICT (ref) DO NOTHING", (ref,),
                )
        return changed


def key_store_for(factory: Any, master_key: bytes, cache_seconds: float = 60.0) -> KeyStore:
    """The key store beside the events of the library's infrastructure factory."""
    store = Store.beside(factory)
    if store is None:
        return InMemoryKeyStore(master_key, cache_seconds)
    return SqlKeyStore(store, master_key, cache_seconds)
