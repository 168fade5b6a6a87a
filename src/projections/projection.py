"""A projection: its tables, a registry of handlers (event class → handler), and the
unit of work that writes one batch's rows and the tracked position in one transaction.

Each read model tracks its position in a one-row table of its own (`rm_<name>_tracking`),
updated in the batch's transaction: the library's `TrackingRecorder` inserts a row per
event into one shared table, which a shadow rebuild could not swap in with its read model.

A handler maps an event to rows (`w.upsert(TABLE, row(...))`); rows for the same key
merge in memory, and the batch is written with one `executemany` per table and column
set. Every write is an upsert, so processing an event twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from projections.sql import Cursor, Store, Table

Handler = Callable[[Any, "Writer"], None]
FACT_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class Item:
    """One decoded event and its position in the application sequence."""

    position: int
    event: Any


class Handlers:
    """The registry: which handler maps which event class to rows."""

    def __init__(self) -> None:
        self._by_class: dict[type, list[Handler]] = {}

    def on(self, *event_classes: type) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for cls in event_classes:
                self._by_class.setdefault(cls, []).append(handler)
            return handler

        return register

    def __call__(self, event: Any) -> list[Handler]:
        return self._by_class.get(type(event), [])


class Projection:
    """A read model: `name`, its `tables` and its `handlers`."""

    name: str = ""
    version: int = 1  # raised when what the rows mean changes: `db init` then rebuilds it
    tables: tuple[Table, ...] = ()
    handlers: Handlers = Handlers()
    catch_all: Handler | None = None  # called for every event (the audit timeline)

    def __init__(self) -> None:
        self.facts: dict[tuple[str, tuple[Any, ...]], dict[str, Any]] = {}
        self.tracking = Table(
            f"rm_{self.name}_tracking", {"id": "INTEGER NOT NULL", "position": "BIGINT NOT NULL",
                                         "version": "INTEGER NOT NULL"}, ("id",)
        )

    @property
    def all_tables(self) -> tuple[Table, ...]:
        return (*self.tables, self.tracking)

    def create_tables(self, cursor: Cursor, suffix: str = "", indexes: bool = True) -> None:
        for table in self.all_tables:
            cursor.create(table, suffix, indexes)
        cursor.execute(
            f"INSERT INTO {self.tracking.named(suffix)} (id, position, version) VALUES (1, 0, ?) "
            "ON CONFLICT (id) DO NOTHING", (self.version,)
        )

    # -- tracking --------------------------------------------------------------------------
    def lock_position(self, cursor: Cursor, suffix: str = "") -> int:
        """Takes the write lock first (SQLite: no stale snapshot; PostgreSQL: row lock)."""
        table = self.tracking.named(suffix)
        found = cursor.execute(f"UPDATE {table} SET position = position WHERE id = 1 RETURNING position").fetchone()
        return int(found["position"]) if found else 0

    def position(self, cursor: Cursor, suffix: str = "") -> int:
        found = cursor.execute(f"SELECT position FROM {self.tracking.named(suffix)} WHERE id = 1").fetchone()
        return int(found["position"]) if found else 0

    # -- processing ------------------------------------------------------------------------
    def process(self, store: Store, items: Sequence[Item], after: int, suffix: str = "") -> int:
        """Applies the items this projection has not seen; returns its new position.

        `items` hold every event with a position in (after, items[-1].position]. If this
        projection is behind `after`, the batch is skipped: it would leave a gap. Handlers
        run before the write transaction opens (resolving a personal value may read a key, which
        must not wait behind our own write lock); the rows and the position are then
        written together, unless another runner moved the position meanwhile.
        """
        with store.transaction(commit=False) as cursor:
            position = self.position(cursor, suffix)
        writer = self.prepare(store, items, after, position, suffix)
        if writer is None:
            return position
        try:
            with store.transaction() as cursor:
                return self.write(cursor, writer, position)
        except BaseException:
            self.facts.clear()  # the transaction rolled back: forget what it cached
            raise

    def prepare(self, store: Store, items: Sequence[Item], after: int, position: int,
                suffix: str = "") -> Writer | None:
        """The batch's rows for a projection at `position` (handlers run, nothing written yet);
        None when there is nothing to do: it has seen them all, or is behind `after` (a gap)."""
        if position < after or not items or position >= items[-1].position:
            return None
        writer = Writer(self, store, suffix)
        try:
            for item in items:
                if item.position > position:
                    writer.apply(item)
        except BaseException:
            self.facts.clear()
            raise
        writer.position = items[-1].position
        return writer

    def write(self, cursor: Cursor, writer: Writer, expected: int) -> int:
        """Inside the caller's transaction: the writer's rows and its position, if this projection
        is still at `expected` (else another runner wrote these events first: its position)."""
        current = self.lock_position(cursor, writer.suffix)
        if current != expected:
            return current
        writer.flush(cursor)
        cursor.execute(f"UPDATE {self.tracking.named(writer.suffix)} SET position = ? WHERE id = 1", (writer.position,))
        return writer.position


class Writer:
    """The unit of work of one batch of one projection."""

    def __init__(self, projection: Projection, store: Store, suffix: str) -> None:
        self.projection = projection
        self.store = store
        self.suffix = suffix
        self.pending: dict[tuple[str, tuple[Any, ...]], tuple[Table, dict[str, Any]]] = {}
        self.position = 0

    def apply(self, item: Item) -> None:
        self.position = item.position
        if self.projection.catch_all is not None:
            self.projection.catch_all(item.event, self)
        for handler in self.projection.handlers(item.event):
            handler(item.event, self)

    def upsert(self, table: Table, values: dict[str, Any]) -> None:
        key = (table.name, tuple(values[k] for k in table.key))
        entry = self.pending.get(key)
        if entry is None:
            self.pending[key] = (table, dict(values))
        else:
            entry[1].update(values)

    def fact(self, table: Table, key: Iterable[Any], column: str) -> Any:
        """A column that never changes once written (a case's programme, a partnership's case)."""
        ref = (table.name, tuple(key))
        if ref in self.pending and column in self.pending[ref][1]:
            return self.pending[ref][1][column]
        facts = self.projection.facts
        if ref not in facts:
            where = " AND ".join(f"{k} = ?" for k in table.key)
            found = next(iter(self.store.query(f"SELECT * FROM {table.named(self.suffix)} WHERE {where}", ref[1])), None)
            if len(facts) > FACT_CACHE_LIMIT:
                facts.clear()
            facts[ref] = found or {}
        return facts[ref].get(column)

    def flush(self, cursor: Cursor) -> None:
        groups: dict[tuple[str, tuple[str, ...]], tuple[Table, list[tuple[Any, ...]]]] = {}
        facts = self.projection.facts
        for ref, (table, values) in self.pending.items():
            if ref in facts:
                facts[ref] = {**facts[ref], **values}
            columns = tuple(values)
            group = groups.setdefault((table.name, columns), (table, []))
            group[1].append(tuple(values[c] for c in columns))
        for (_, columns), (table, rows) in groups.items():
            cursor.upsert(table, columns, rows, self.suffix)
        self.pending.clear()
