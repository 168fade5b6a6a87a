"""Read models built from the event stream, each resumable and rebuildable.

`PROJECTIONS` lists every read model; `create_tables(recorder)` is the one explicit step
that creates their tables (called by `init_database`); `ReadModels` answers queries;
`Runner` keeps the read models up to date.
"""

from __future__ import annotations

from projections.audit import Audit
from projections.dashboard import Dashboard
from projections.line_managers import LineManagers
from projections.mentors import Mentors
from projections.projection import Projection
from projections.statistics import Statistics
from projections.sql import Store

PROJECTIONS: tuple[type[Projection], ...] = (Dashboard, Mentors, LineManagers, Statistics, Audit)


def create_tables(recorder: object) -> None:
    """Creates every read model's tables and tracking row beside the application's
    events, once (idempotent). A read model whose tables were made for another shape of it
    (a column added or gone) is dropped and created afresh at position 0, so the runner
    rebuilds it from the first event. In-memory persistence has no read-model tables."""
    store = Store.beside(recorder)
    if store is None:
        return
    for cls in PROJECTIONS:
        projection = cls()
        stale = [t for t in projection.all_tables if (found := store.columns(t.name)) and found != set(t.columns)]
        with store.transaction() as cursor:
            for table in projection.all_tables if stale else ():
                cursor.execute(f"DROP TABLE IF EXISTS {table.name}")
            projection.create_tables(cursor)


def projection_named(name: str) -> type[Projection]:
    for projection in PROJECTIONS:
        if projection.name == name:
            return projection
    from domain.errors import NotFound

    raise NotFound(f"no read model {name!r}; there are: {', '.join(p.name for p in PROJECTIONS)}")
