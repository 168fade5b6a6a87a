"""Rebuilding a read model from the first event, while every read model keeps serving.

The rebuild writes into shadow tables (`<table>__rebuild`) in batches, each batch and
the shadow's tracked position in one transaction, then swaps the shadow in with one
short transaction. Readers see the old rows until the swap; a running runner carries
on from the rebuilt position afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from projections.decoding import sealed_mapper
from projections.projection import Item, Projection
from projections.sql import Store

SHADOW = "__rebuild"
Progress = Callable[[int, int], None]


def rebuild(
    recorder: Any, mapper: Any, projection: Projection, store: Store | None = None,
    progress: Progress | None = None, batch_size: int = 5000,
) -> int:
    """Rebuilds `projection` from scratch and swaps it in; returns the events read."""
    store = store or Store.of(recorder)
    read = build(recorder, mapper, projection, store, SHADOW, progress, batch_size)
    swap(store, projection)
    return read


def build(
    recorder: Any, mapper: Any, projection: Projection, store: Store, suffix: str,
    progress: Progress | None = None, batch_size: int = 5000,
) -> int:
    """Builds `projection` from the first event into fresh tables named with `suffix`."""
    decode = sealed_mapper(mapper).to_domain_event
    with store.transaction() as cursor:
        for table in projection.all_tables:
            cursor.execute(f"DROP TABLE IF EXISTS {table.named(suffix)}")
        projection.create_tables(cursor, suffix, indexes=False)
    head = recorder.max_notification_id() or 0
    position, read = 0, 0
    while True:
        notifications = recorder.select_notifications(start=position, limit=batch_size, inclusive_of_start=False)
        if not notifications:
            break
        items = [Item(n.id, decode(n)) for n in notifications]
        position = projection.process(store, items, position, suffix)
        read += len(items)
        if progress:
            progress(position, max(head, position))
        if len(notifications) < batch_size:
            break  # caught up; what is recorded from now on, the runner follows after the swap
    return read


def swap(store: Store, projection: Projection) -> None:
    """Replaces the live tables by the shadow ones, in one transaction."""
    with store.transaction() as cursor:
        for table in (projection.tracking, *projection.tables):  # the runner locks tracking first too
            cursor.execute(f"DROP TABLE IF EXISTS {table.name}")
            cursor.execute(f"ALTER TABLE {table.named(SHADOW)} RENAME TO {table.name}")
            if store.postgres:
                cursor.execute(f"ALTER INDEX IF EXISTS {table.named(SHADOW)}_pkey RENAME TO {table.name}_pkey")
            for statement in table.index_sql():
                cursor.execute(statement)
