"""The application recorders: the library's, each writing the hash chain (`chain`) in the
same transaction as the events; and on PostgreSQL one whose writes go in one trip and are
never planned under the table lock.

The library's recorder builds psycopg `sql.Composed` objects and renders them to text on
every execute, and sends a write as a pipeline that the thread must come back to (while
holding the table lock) before it can send COMMIT. This one prepares its write statements
once on each connection and sends the library's own transaction — BEGIN; `SET LOCAL
lock_timeout`; `LOCK TABLE … IN EXCLUSIVE MODE`; `NOTIFY` on the same channel; EXECUTE of
the INSERT of the events, returning their notification ids in order (linking a single event
into the hash chain in the same statement); EXECUTE of the walk that links several; COMMIT —
as one simple query. Reads are the library's, pre-rendered. Everything else (notifications,
tracking, subscriptions) is inherited. Chosen by `APPLICATION_RECORDER_TOPIC` in
`api.settings.eventsourcing_env`.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import retry
import psycopg
import psycopg.errors
from psycopg import Cursor
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Composable, Identifier, Literal

from api.persistence.chain import (
    CHAIN, postgres_link_one, postgres_link_returned, postgres_link_written, postgres_payload_of, sqlite_chain,
)

COLUMNS = "originator_id, originator_version, topic, state"


def _rendered(statement: Composable) -> bytes:
    return statement.as_bytes()


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, linking each write's events into the hash chain."""

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        if ids:
            sqlite_chain(c, [(i, e.originator_id, e.originator_version, e.topic, e.state)
                             for i, e in zip(ids, stored_events, strict=True)])
        return ids


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    """The library's PostgreSQL recorder, linking each write's events into the hash chain in
    the same transaction (under the same table lock). The library's database function for
    inserting (POSTGRES_ENABLE_DB_FUNCTIONS) would write events without links: refused."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        if datastore.enable_db_functions:
            raise ProgrammingError("POSTGRES_ENABLE_DB_FUNCTIONS would write events the hash chain never links")
        super().__init__(datastore, events_table_name=events_table_name)
        self._events = _rendered(SQL("{0}.{1}").format(Identifier(datastore.schema), Identifier(events_table_name))).decode()
        self._link_head, self._link_tail = (part.encode() for part in postgres_link_written(self._events, CHAIN.name))
        self._link_one = postgres_link_one(self._events, CHAIN.name).encode()

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any,
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if ids:
            curs.execute(self._link_sql(len(ids)))
        return ids

    def _link_sql(self, count: int) -> bytes:
        """The statement that links the `count` events this transaction has just inserted."""
        if count == 1:
            return self._link_one
        return self._link_head + str(int(count)).encode() + self._link_tail


class OneTripRecorder(ChainedPostgresRecorder):
    WRITE_ONE, WRITE_MANY, LINK_MANY = "trellis_write_one", "trellis_write_many", "trellis_link_many"

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._table = self._events
        self._lock_sql = [_rendered(s) for s in self.lock_table_statements]
        self._notify_sql = _rendered(SQL("NOTIFY {0}").format(Identifier(self.channel_name)))
        self._transaction_head = b"; ".join([b"BEGIN", *self._lock_sql, self._notify_sql, b""])
        self._statements = self._write_statements(datastore.originator_id_type)
        self._prepared: weakref.WeakSet[psycopg.Connection] = weakref.WeakSet()
        self._select_sql: dict[tuple[bool, bool, bool, bool], bytes] = {}

    def _write_statements(self, id_type: str) -> dict[str, str]:
        """The writes' statements, prepared once on each connection: planned once there, then
        only executed, so no write is planned while it holds the table lock. One event (most
        writes) is inserted and linked into the hash chain in one statement; several are
        inserted from arrays, in their order, and linked by the walk."""
        link_head, link_tail = postgres_link_written(self._events, CHAIN.name)
        return {
            self.WRITE_ONE: f"({id_type}, bigint, text, bytea) AS WITH new AS (INSERT INTO {self._events} ({COLUMNS}) "
                            f"VALUES ($1, $2, $3, $4) RETURNING notification_id), "
                            f"{postgres_link_returned(CHAIN.name, postgres_payload_of('$1', '$2', '$3', '$4'))} "
                            f"SELECT notification_id FROM new",
            self.WRITE_MANY: f"({id_type}[], bigint[], text[], bytea[]) AS WITH new AS (INSERT INTO {self._events} "
                             f"({COLUMNS}) SELECT * FROM unnest($1, $2, $3, $4) RETURNING notification_id) "
                             f"SELECT notification_id FROM new ORDER BY notification_id",
            self.LINK_MANY: f"(bigint) AS {link_head}$1{link_tail}",
        }

    # -- writing ---------------------------------------------------------------------------
    def _transaction(self, conn: psycopg.Connection, stored_events: Sequence[StoredEvent]) -> bytes:
        """The write's whole transaction as one simple query, its values quoted by psycopg."""
        if len(stored_events) == 1:
            (e,) = stored_events
            arguments = b", ".join(Literal(v).as_bytes(conn) for v in (
                e.originator_id, e.originator_version, e.topic, e.state))
            return self._transaction_head + b"EXECUTE %b(%b); COMMIT" % (self.WRITE_ONE.encode(), arguments)
        columns = ([e.originator_id for e in stored_events], [e.originator_version for e in stored_events],
                   [e.topic for e in stored_events], [e.state for e in stored_events])
        arguments = b", ".join(Literal(column).as_bytes(conn) for column in columns)
        return self._transaction_head + b"EXECUTE %b(%b); EXECUTE %b(%d); COMMIT" % (
            self.WRITE_MANY.encode(), arguments, self.LINK_MANY.encode(), len(stored_events))

    def _prepare(self, conn: psycopg.Connection) -> None:
        if conn not in self._prepared:
            conn.execute("; ".join(f"PREPARE {name} {statement}" for name, statement in self._statements.items()),
                         prepare=False)
            self._prepared.add(conn)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """The library's transaction in one round trip: BEGIN; SET LOCAL lock_timeout; LOCK TABLE
        … IN EXCLUSIVE MODE; NOTIFY; the INSERT of the events, answering their notification
        ids; what links exactly those into the hash chain; COMMIT — sent as one simple query
        whose writes execute statements this connection prepared before. The table lock is
        then never held while this process waits for a thread to be scheduled between
        statements, nor while PostgreSQL plans one."""
        if not stored_events:
            return super().insert_events(stored_events, **kwargs)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            assert conn.autocommit
            self._prepare(conn)
            try:
                # Never prepared by psycopg: a prepared statement may hold only one command.
                curs.execute(self._transaction(conn, stored_events), prepare=False)
            except BaseException as error:
                with contextlib.suppress(psycopg.Error):
                    conn.rollback()  # a failed statement leaves the transaction open and aborted
                if isinstance(error, psycopg.errors.InvalidSqlStatementName):
                    self._prepared.discard(conn)  # deallocated behind our back: prepared again on a retry
                    raise OperationalError(str(error)) from error
                raise
            while not (curs.statusmessage or "").startswith("SELECT"):  # the INSERT's ids
                if not curs.nextset():
                    raise ProgrammingError("the write's INSERT returned no result")
            ids = [row["notification_id"] for row in curs.fetchall()]
            if len(ids) != len(stored_events):
                raise ProgrammingError(f"the write returned {len(ids)} ids for {len(stored_events)} events")
            return ids

    # -- reading ---------------------------------------------------------------------------
    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        params: list[Any] = [originator_id]
        params += [v for v in (gt, lte, limit) if v is not None]
        statement = self._select_statement(gt is not None, lte is not None, desc, limit is not None)
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(statement, params, prepare=True)
            return [
                StoredEvent(originator_id=i, originator_version=v, topic=t, state=bytes(s))
                for i, v, t, s in curs.fetchall()
            ]

    def _select_statement(self, gt: bool, lte: bool, desc: bool, limit: bool) -> bytes:
        key = (gt, lte, desc, limit)
        try:
            return self._select_sql[key]
        except KeyError:
            statement = f"SELECT {COLUMNS} FROM {self._table} WHERE originator_id = %s"
            statement += " AND originator_version > %s" * gt + " AND originator_version <= %s" * lte
            statement += " ORDER BY originator_version" + (" DESC" if desc else " ASC") + " LIMIT %s" * limit
            self._select_sql[key] = statement.encode()
            return self._select_sql[key]
