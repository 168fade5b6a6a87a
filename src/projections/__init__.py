"""Read models built from the event stream, each resumable and rebuildable.

`PROJECTIONS` lists every read model; `create_tables(recorder)` is the one explicit step
that creates their tables (called by `init_database`); `ReadModels` answers queries;
`Runner` keeps the read models up to date.
"""

from __future__ import annotations

from projections.audit import Audit
from projections.dashboard import Dashboard
from projections.data_protection import DataProtection
from projections.line_managers import LineManagers
from projections.mentors import Mentors
from projections.projection import Projection
from projections.statistics import Statistics
from projections.sql import Store

PROJECTIONS: tuple[type[Projection], ...] = (Dashboard, Mentors, LineManagers, Statistics, Audit, DataProtection)


def create_tables(recorder: object) -> None:
    """Creates every read model's tables and tracking row beside the application's
    events, once (idempotent). A read model whose tables were made for another shape of it
    (a column added or gone, or its `version` raised) is dropped and created afresh at position 0, so the runner
    rebuilds it from the first event; a table no read model declares any more is dropped.
    In-memory persistence has no read-model tables."""
    store = Store.beside(recorder)
    if store is None:
        return
    for cls in PROJECTIONS:
        projection = cls()
        stale = [t for t in projection.all_tables if (found := store.columns(t.name)) and found != set(t.columns)]
        if not stale and store.columns(projection.tracking.name):
            recorded = store.query(f"SELECT version FROM {projection.tracking.name} WHERE id = 1")
            stale = [projection.tracking] if recorded and recorded[0]["version"] != projection.version else []
        with store.transaction() as cursor:
            for table in projection.all_tables if stale else ():
                cursor.execute(f"DROP TABLE IF EXISTS {table.name}")
            projection.create_tables(cursor)
    leftovers = {name for name in store.table_names() if name.startswith("rm_")} - {
        t.name for cls in PROJECTIONS for t in cls().all_tables}
    with store.transaction() as cursor:
        for name in sorted(leftovers):  # a read model's table no version keeps any more (it may hold names)
            cursor.execute(f"DROP TABLE {name}")


def projection_named(name: str) -> type[Projection]:
    for projection in PROJECTIONS:
        if projection.name == name:
            return projection
    from domain.errors import NotFound

    raise NotFound(f"no read model {name!r}; there are: {', '.join(p.name for p in PROJECTIONS)}")
