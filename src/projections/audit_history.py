"""The programme history filtered and paged for the auditor's workspace and its exports.

Read from the audit read model (`projections.audit`): by actor, role, event type, object
(its kind, its id) and days, paged by position — a keyset, never an offset, so the ten
thousandth page costs what the first does. Every event's time is stored as ISO 8601 in UTC,
so a day's bounds compare as text on both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from projections import audit
from projections.results import AuditEntry
from projections.sql import Store

MAX_PAGE = 1000
COLUMNS = [f.name for f in fields(AuditEntry)]
EQUALS = {"actor_id": "actor_id", "actor_role": "actor_role", "event_type": "event_type",
          "aggregate_type": "aggregate_type", "aggregate_id": "aggregate_id"}


@dataclass(frozen=True)
class HistoryFilter:
    """Each optional; `since` and `until` are days, inclusive (UTC)."""

    actor_id: str | None = None
    actor_role: str | None = None
    event_type: str | None = None
    aggregate_type: str | None = None
    aggregate_id: str | None = None
    since: date | None = None
    until: date | None = None

    def where(self) -> tuple[list[str], list[Any]]:
        clauses, params = [], []
        for name, column in EQUALS.items():
            value = getattr(self, name)
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(str(value))
        if self.since is not None:
            clauses.append("recorded_at >= ?")
            params.append(self.since.isoformat())
        if self.until is not None and self.until < date.max:  # the last day there is bounds nothing
            clauses.append("recorded_at < ?")
            params.append((self.until + timedelta(days=1)).isoformat())
        return clauses, params


def page_after(store: Store, wanted: HistoryFilter, after: int, limit: int, upto: int | None = None) -> list[AuditEntry]:
    """The first `limit` matching events after position `after` (and at or before `upto`), in log order."""
    return _select(store, wanted, ["position > ?"], [after], "ASC", limit, upto)


def page_before(store: Store, wanted: HistoryFilter, before: int, limit: int) -> list[AuditEntry]:
    """The last `limit` matching events before position `before`, in log order."""
    return list(reversed(_select(store, wanted, ["position < ?"], [before], "DESC", limit)))


def any_before(store: Store, wanted: HistoryFilter, position: int) -> bool:
    return _exists(store, wanted, "position < ?", position)


def any_after(store: Store, wanted: HistoryFilter, position: int) -> bool:
    return _exists(store, wanted, "position > ?", position)


def _exists(store: Store, wanted: HistoryFilter, beside: str, position: int) -> bool:
    clauses, params = wanted.where()
    rows = store.query(f"SELECT 1 AS found FROM {audit.EVENTS.name} WHERE "
                       f"{' AND '.join([beside, *clauses])} LIMIT 1", [position, *params])
    return bool(rows)


def stream(store: Store, wanted: HistoryFilter, upto: int, page: int = MAX_PAGE) -> Iterator[AuditEntry]:
    """Every matching event at or before `upto`, in log order, read a page at a time."""
    after = 0
    while True:
        entries = page_after(store, wanted, after, page, upto)
        yield from entries
        if len(entries) < page:
            return
        after = entries[-1].position


def indexed_up_to(store: Store) -> int:
    """The last position the history index holds (every event has a row)."""
    rows = store.query(f"SELECT MAX(position) AS head FROM {audit.EVENTS.name}")
    return int(rows[0]["head"] or 0) if rows else 0


def _select(store: Store, wanted: HistoryFilter, clauses: list[str], params: list[Any], order: str, limit: int,
            upto: int | None = None) -> list[AuditEntry]:
    more, more_params = wanted.where()
    if upto is not None:
        more, more_params = [*more, "position <= ?"], [*more_params, upto]
    rows = store.query(
        f"SELECT {', '.join(COLUMNS)} FROM {audit.EVENTS.name} WHERE {' AND '.join([*clauses, *more])} "
        f"ORDER BY position {order} LIMIT ?",
        [*params, *more_params, max(1, min(int(limit), MAX_PAGE))],
    )
    return [AuditEntry(**{k: r[k] for k in COLUMNS}) for r in rows]
