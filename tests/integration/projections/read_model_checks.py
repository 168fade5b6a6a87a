"""Checks shared by the read-model tests: every table the database holds beside the events,
and that the incrementally built read models equal a fresh rebuild."""

from __future__ import annotations

from typing import Any

from projections import PROJECTIONS
from projections.rebuild import build
from projections.sql import Store

CHECK = "__check"


# What the scan leaves out: the events and snapshots (ciphertext, checked byte by byte by the
# encryption canary tests) and the wrapped keys.
ENCRYPTED = {"stored_events", "stored_snapshots", "trellis_events", "trellis_snapshots", "trellis_keys"}


def tables_beside_the_events(store: Store) -> list[str]:
    """Every table the database has, read from its own catalogue (not from what the code
    declares), except the event, snapshot and key tables."""
    if store.postgres:
        catalogue = "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
    else:
        catalogue = "SELECT name FROM sqlite_master WHERE type = 'table'"
    names = sorted({row["name"] for row in store.query(catalogue)} - ENCRYPTED)
    assert {"rm_dashboard_people", "trellis_idempotency"} <= set(names), names  # the catalogue was read
    return names


def rows_of(store: Store, table: str, key: tuple[str, ...]) -> list[dict[str, Any]]:
    return store.query(f"SELECT * FROM {table} ORDER BY {', '.join(key)}")


def assert_equals_fresh_rebuild(app: Any, store: Store) -> None:
    """Builds every read model from the first event into check tables and compares
    them with the live ones, table by table, row by row."""
    for cls in PROJECTIONS:
        fresh = cls()
        build(app.recorder, app.mapper, fresh, store, CHECK)
        try:
            for table in fresh.all_tables:
                live = rows_of(store, table.name, table.key)
                rebuilt = rows_of(store, table.named(CHECK), table.key)
                assert live == rebuilt, f"{table.name} differs from a fresh rebuild"
        finally:
            with store.transaction() as cursor:
                for table in fresh.all_tables:
                    cursor.execute(f"DROP TABLE IF EXISTS {table.named(CHECK)}")
