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
from projections.store import Store

PROJECTIONS: tuple[type[Projection], ...] = (Dashboard, Mentors, LineManagers, Statistics, Audit)


def create_tables(recorder: object) -> None:
    """Creates every read model's tables and tracking row beside the application's
    events, once (idempotent). In-memory persistence has no read-model tables."""
    if not hasattr(recorder, "datastore"):
        return
    store = Store.of(recorder)
    with store.transaction() as cursor:
        for projection in PROJECTIONS:
            projection().create_tables(cursor)


def projection_named(name: str) -> type[Projection]:
    for projection in PROJECTIONS:
        if projection.name == name:
            return projection
    from domain.errors import NotFound

    raise NotFound(f"no read model {name!r}; there are: {', '.join(p.name for p in PROJECTIONS)}")
