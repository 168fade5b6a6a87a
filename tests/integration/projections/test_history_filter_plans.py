"""The auditor's history filtered by actor, by event type or by days is found through an index
on that filter, not by reading the history from the start: a page of a rare actor's events
costs the same on a history of millions as on one of a thousand. Each filter's own query (the
one the history pages with, captured as it runs) is explained by the database itself;
PostgreSQL is told to avoid a sequential scan, since on a small table it would rightly
prefer one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from projections.audit_history import HistoryFilter, any_before, page_after
from projections.sql import Store

FILTERS = {
    "actor_id": HistoryFilter(actor_id="p-0123456789abcdef"),
    "event_type": HistoryFilter(event_type="SessionRecorded"),
    "recorded_at": HistoryFilter(since=date(2026, 3, 1), until=date(2026, 3, 2)),
}


def _captured(store: Store, read) -> list[tuple[str, list[Any]]]:
    """The statements `read` sends through `store.query`, with their parameters."""
    seen, query = [], store.query

    def capture(sql: str, params=(), commit: bool = False):
        seen.append((sql, list(params)))
        return query(sql, params, commit)

    store.query = capture
    try:
        read()
    finally:
        del store.query
    return seen


def _plan(store: Store, sql: str, params: list[Any]) -> str:
    with store.transaction(commit=False) as cursor:
        if store.postgres:
            cursor.execute("SET LOCAL enable_seqscan = off")
            rows = cursor.execute("EXPLAIN " + sql, params).fetchall()
            return "\n".join(r["QUERY PLAN"] for r in rows)
        rows = cursor.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        return "\n".join(r["detail"] for r in rows)


@pytest.mark.parametrize("column", FILTERS)
def test_each_selective_filter_is_searched_by_an_index_on_its_column(app, column):
    store = Store.beside(app.recorder)
    wanted = FILTERS[column]
    statements = _captured(store, lambda: (page_after(store, wanted, 0, 100), any_before(store, wanted, 10**9)))
    assert len(statements) == 2
    for sql, params in statements:
        plan = _plan(store, sql, params)
        if store.postgres:
            assert any(line.strip().startswith("Index Cond:") and column in line for line in plan.splitlines()), plan
        else:
            assert f"({column}=" in plan or f"({column}>" in plan, plan
