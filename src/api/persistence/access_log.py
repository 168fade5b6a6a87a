"""The access log's table: who read what, append-only, in the same database as the events.

One row per personal-data read the API served: when (the application's clock), who (the
reader's opaque id and the role they read in), which route (its template, never a query
string) and which object (its kind and id: a record's UUID, an opaque person id, or none when
the read spans the whole service). Never any content.

Append-only in the database itself: triggers refuse every UPDATE and DELETE (and, on
PostgreSQL, TRUNCATE), erasure included; on PostgreSQL, event triggers (created when `trellis
db init` runs as a superuser) also refuse dropping the table or its trigger and altering the
table (disabling its triggers, renaming it). Nothing here needs erasing: the ids are opaque, and
erasure unlinks a person's identity from theirs, so their rows stay and name no one.

Entries commit in the order they are numbered (PostgreSQL: each append holds the table's write
lock to its commit; SQLite has one writer at a time), so paging by entry number never passes an
entry still to commit.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any

import psycopg.errors
import structlog
from eventsourcing.persistence import ProgrammingError

from projections.sql import Store, Table

log = structlog.get_logger("trellis.access_log")

NAME = "trellis_access_log"
COLUMNS = {"at": "TEXT NOT NULL", "reader_id": "TEXT NOT NULL", "reader_role": "TEXT NOT NULL",
           "route": "TEXT NOT NULL", "object_kind": "TEXT NOT NULL", "object_id": "TEXT"}
REFUSED = "the access log is append-only"
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS {NAME}_no_{verb.lower()} BEFORE {verb} ON {NAME} "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
    for verb in ("UPDATE", "DELETE")
]
POSTGRES_TRIGGERS = [
    f"CREATE OR REPLACE FUNCTION {NAME}_refuse() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{REFUSED}'; END $$",
    f"CREATE OR REPLACE TRIGGER {NAME}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {NAME} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {NAME}_refuse()",
]
# PostgreSQL: nor may the table, or the trigger above, be dropped or the table altered (its triggers
# disabled, say) — event triggers, which only a superuser may create.
POSTGRES_DDL_GUARD = [
    f"CREATE OR REPLACE FUNCTION {NAME}_keep() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_EVENT = 'sql_drop' THEN "
    f"IF EXISTS (SELECT 1 FROM pg_event_trigger_dropped_objects() d "
    f"WHERE (d.object_type = 'table' AND d.object_name = '{NAME}') "
    f"OR (d.object_type = 'trigger' AND starts_with(d.object_identity, '{NAME}_append_only on '))) "
    f"THEN RAISE EXCEPTION '{REFUSED}'; END IF; "
    f"ELSIF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() c "
    f"JOIN pg_trigger t ON t.tgrelid = c.objid AND t.tgname = '{NAME}_append_only' "
    f"WHERE c.command_tag = 'ALTER TABLE') "  # the table that carries the log's trigger, whatever its name
    f"THEN RAISE EXCEPTION '{REFUSED}'; END IF; END $$",
    f"DO $$ BEGIN "
    f"IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = '{NAME}_kept') THEN "
    f"CREATE EVENT TRIGGER {NAME}_kept ON sql_drop EXECUTE FUNCTION {NAME}_keep(); END IF; "
    f"IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = '{NAME}_unaltered') THEN "
    f"CREATE EVENT TRIGGER {NAME}_unaltered ON ddl_command_end WHEN TAG IN ('ALTER TABLE') "
    f"EXECUTE FUNCTION {NAME}_keep(); END IF; END $$",
]


def table(postgres: bool) -> Table:
    """`entry` numbers the rows in the order they were written (SQLite: the rowid)."""
    entry = "BIGSERIAL" if postgres else "INTEGER"
    return Table(NAME, {"entry": entry, **COLUMNS}, ("entry",), indexes=(("reader_id",), ("object_id",), ("at",)))


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    reader_id: str
    reader_role: str
    route: str  # the route's template: "GET /cases/{case_id}"
    object_kind: str
    object_id: str | None  # None: the read spans the whole service
    entry: int = 0  # its number in the log, once written


@dataclass(frozen=True)
class AccessQuery:
    """Filters (each optional; `since` and `until` inclusive) and a page: entries after `after`."""

    reader_id: str | None = None
    reader_role: str | None = None
    object_kind: str | None = None
    object_id: str | None = None
    route: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    after: int = 0
    limit: int = 100


EQUALS = ("reader_id", "reader_role", "object_kind", "object_id", "route")


def stamp(at: datetime) -> str:
    """One fixed-width UTC form, so text order is time order on both databases."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


class AccessLog:
    def create_table(self) -> None: ...

    def append(self, entries: Sequence[AccessEntry]) -> None:
        """Every entry, in order, at once (one statement: all of them or none)."""
        raise NotImplementedError

    def entries(self, query: AccessQuery) -> list[AccessEntry]:
        raise NotImplementedError

    def about(self, object_ids: Collection[str], whole_service_since: datetime | None) -> list[AccessEntry]:
        """Every entry on one of these objects, and (from `whole_service_since`, if given) every
        entry on the whole service, in log order."""
        raise NotImplementedError


class InMemoryAccessLog(AccessLog):
    def __init__(self) -> None:
        self._rows: list[AccessEntry] = []
        self._lock = threading.Lock()

    def append(self, entries: Sequence[AccessEntry]) -> None:
        with self._lock:
            for entry in entries:
                self._rows.append(replace(entry, entry=len(self._rows) + 1))

    def entries(self, query: AccessQuery) -> list[AccessEntry]:
        def matches(e: AccessEntry) -> bool:
            return e.entry > query.after and all(
                getattr(query, f) is None or getattr(query, f) == getattr(e, f) for f in EQUALS
            ) and (query.since is None or e.at >= query.since) and (query.until is None or e.at <= query.until)

        return [e for e in self._rows if matches(e)][: query.limit]

    def about(self, object_ids: Collection[str], whole_service_since: datetime | None) -> list[AccessEntry]:
        wanted, since = set(object_ids), whole_service_since

        def matches(e: AccessEntry) -> bool:
            return e.object_id in wanted if e.object_id else since is not None and e.at >= since

        return [e for e in self._rows if matches(e)]


class SqlAccessLog(AccessLog):
    def __init__(self, store: Store) -> None:
        self.store = store
        self.table = table(store.postgres)
        self._insert = f"INSERT INTO {NAME} ({', '.join(COLUMNS)}) VALUES "
        self._row = f"({', '.join('?' for _ in COLUMNS)})"
        self._lock = f"LOCK TABLE {NAME} IN EXCLUSIVE MODE"

    def create_table(self) -> None:
        with self.store.transaction() as cursor:
            cursor.create(self.table)
            for statement in POSTGRES_TRIGGERS if self.store.postgres else SQLITE_TRIGGERS:
                cursor.execute(statement)
        if self.store.postgres:
            self._guard_ddl()

    def _guard_ddl(self) -> None:
        """The event triggers that refuse dropping or altering the log — if this role may create
        them (a superuser); otherwise a warning says what is missing, and the rest still holds."""
        try:
            with self.store.transaction() as cursor:
                for statement in POSTGRES_DDL_GUARD:
                    cursor.execute(statement)
        except ProgrammingError as error:  # the library's, around the database's own
            if not isinstance(error.__cause__, psycopg.errors.InsufficientPrivilege):
                raise
            log.warning("access_log_ddl_unguarded", reason="event triggers need a superuser: run `trellis db init` "
                                                          "as one to refuse DROP and ALTER on the access log")

    def append(self, entries: Sequence[AccessEntry]) -> None:
        if not entries:
            return
        values = [value for e in entries
                  for value in (stamp(e.at), e.reader_id, e.reader_role, e.route, e.object_kind, e.object_id)]
        insert = self._insert + ", ".join(self._row for _ in entries)  # all of them in one statement
        if not self.store.postgres:  # SQLite: one writer at a time, so entries commit in their order
            self.store.execute(insert, values)
            return
        with self.store.transaction() as cursor:
            # Entries commit in the order they are numbered: a reader paging by `after` never passes
            # a number whose entry is still to commit (readers are not held up).
            cursor.execute(self._lock)
            cursor.execute(insert, values)

    def entries(self, query: AccessQuery) -> list[AccessEntry]:
        where, params = ["entry > ?"], [query.after]
        for name in EQUALS:
            if getattr(query, name) is not None:
                where.append(f"{name} = ?")
                params.append(getattr(query, name))
        for name, test in (("since", ">="), ("until", "<=")):
            if getattr(query, name) is not None:
                where.append(f"at {test} ?")
                params.append(stamp(getattr(query, name)))
        sql = f"SELECT * FROM {NAME} WHERE {' AND '.join(where)} ORDER BY entry LIMIT ?"
        return [_entry(row) for row in self.store.query(sql, [*params, query.limit])]

    def about(self, object_ids: Collection[str], whole_service_since: datetime | None) -> list[AccessEntry]:
        ids, found = sorted(set(object_ids)), {}
        if whole_service_since is not None:
            found = {r["entry"]: r for r in self.store.query(
                f"SELECT * FROM {NAME} WHERE object_id IS NULL AND at >= ?", (stamp(whole_service_since),))}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            found |= {r["entry"]: r for r in self.store.query(f"SELECT * FROM {NAME} WHERE object_id IN ({marks})", chunk)}
        return [_entry(found[n]) for n in sorted(found)]


def _entry(row: dict[str, Any]) -> AccessEntry:
    values = {f.name: row[f.name] for f in fields(AccessEntry)}
    return AccessEntry(**(values | {"at": datetime.fromisoformat(row["at"]), "entry": int(row["entry"])}))


def access_log_for(factory: Any) -> AccessLog:
    """The log beside the events of the library's infrastructure factory."""
    store = Store.beside(factory)
    return InMemoryAccessLog() if store is None else SqlAccessLog(store)
