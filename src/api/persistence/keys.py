"""The key table, in the same database as the events (see `retention.keystore`).

Destroying keys zeroes their rows in place (SQLite `secure_delete`, then the write-ahead
log is checkpointed and truncated; PostgreSQL vacuums the table), and tells every other
process (PostgreSQL NOTIFY on `KEYS_CHANNEL`) to drop them from its cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from projections.sql import Store, Table
from retention.keystore import InMemoryKeyStore, KeyStore, MasterKeys

KEYS = Table("trellis_keys", {
    "ref": "TEXT NOT NULL", "wrapped": "BLOB",
    "created_at": "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP", "destroyed_at": "TIMESTAMP",
}, ("ref",))
KEYS_CHANNEL = "trellis_keys_destroyed"
PAGE = 1000


class SqlKeyStore(KeyStore):
    def __init__(self, store: Store, master: MasterKeys | bytes, cache_seconds: float = 60.0,
                 recheck_seconds: float = 1.0) -> None:
        super().__init__(master, cache_seconds, recheck_seconds)
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

    def _tombstone_all(self, refs: list[str], scrub: bool) -> int:
        changed = 0
        with self.store.transaction(secure_delete=True) as cursor:
            for start in range(0, len(refs), PAGE):
                chunk = refs[start : start + PAGE]
                marks = ", ".join("?" for _ in chunk)
                changed += cursor.execute(
                    f"UPDATE {KEYS.name} SET wrapped = NULL, destroyed_at = CURRENT_TIMESTAMP "
                    f"WHERE ref IN ({marks}) AND destroyed_at IS NULL", chunk,
                ).rowcount
                cursor.execute(
                    f"INSERT INTO {KEYS.name} (ref, wrapped, destroyed_at) "
                    f"VALUES {', '.join('(?, NULL, CURRENT_TIMESTAMP)' for _ in chunk)} ON CONFLICT (ref) DO NOTHING",
                    chunk,
                )
            self.store.notify(cursor, KEYS_CHANNEL, refs)
        if scrub:
            self.scrub()
        return changed

    def scrub(self) -> None:
        self.store.scrub(KEYS.name)

    def _live_rows(self) -> Iterator[tuple[str, bytes]]:
        after = ""
        while rows := self.store.query(
            f"SELECT ref, wrapped FROM {KEYS.name} WHERE destroyed_at IS NULL AND ref > ? ORDER BY ref LIMIT ?",
            (after, PAGE),
        ):
            yield from ((r["ref"], bytes(r["wrapped"])) for r in rows)
            after = rows[-1]["ref"]

    def _live(self, refs: list[str], destroyed: bool) -> set[str]:
        found: set[str] = set()
        state = "IS NOT NULL" if destroyed else "IS NULL"
        for start in range(0, len(refs), PAGE):
            chunk = refs[start : start + PAGE]
            found |= {r["ref"] for r in self.store.query(
                f"SELECT ref FROM {KEYS.name} WHERE destroyed_at {state} AND ref IN ({', '.join('?' for _ in chunk)})",
                chunk)}
        return found

    def _rewrite(self, ref: str, wrapped: bytes) -> None:
        with self.store.transaction(secure_delete=True) as cursor:
            cursor.execute(f"UPDATE {KEYS.name} SET wrapped = ? WHERE ref = ? AND destroyed_at IS NULL", (wrapped, ref))


def key_store_for(factory: Any, master: MasterKeys | bytes, cache_seconds: float = 60.0,
                  recheck_seconds: float = 1.0) -> KeyStore:
    """The key store beside the events of the library's infrastructure factory."""
    store = Store.beside(factory)
    if store is None:
        return InMemoryKeyStore(master, cache_seconds, recheck_seconds)
    return SqlKeyStore(store, master, cache_seconds, recheck_seconds)
