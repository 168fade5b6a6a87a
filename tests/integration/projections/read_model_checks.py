"""Checks shared by the read-model tests: the tables the projections own, and that the
incrementally built read models equal a fresh rebuild."""

from __future__ import annotations

from typing import Any

from projections import PROJECTIONS
from projections.rebuild import build
from projections.sql import Store

CHECK = "__check"


def owned_tables(store: Store) -> list[str]:
    """Every table the projections own, live ones only."""
    names = [t.name for cls in PROJECTIONS for t in cls().all_tables]
    present = store.table_names()
    assert set(names) <= present
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
