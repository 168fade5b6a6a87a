"""The PostgreSQL application recorder, its statements rendered once, its writes in one trip.

The library's recorder builds psycopg `sql.Composed` objects and renders them to text on
every execute, and sends a write as a pipeline that the thread must come back to (while
holding the table lock) before it can send COMMIT. This one renders its statements once,
at construction, and sends the library's own transaction — BEGIN; `SET LOCAL
lock_timeout`; `LOCK TABLE … IN EXCLUSIVE MODE`; `NOTIFY` on the same channel; one INSERT
of all the events, returning their notification ids in order; COMMIT — as one simple
query. Reads are the library's, pre-rendered. Everything else (notifications, tracking,
subscriptions) is inherited. Chosen by `APPLICATION_RECORDER_TOPIC` in
`api.settings.eventsourcing_env`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
import psycopg
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composable, Identifier, Literal

COLUMNS = "originator_id, originator_version, topic, state"


def _rendered(statement: Composable) -> bytes:
    return statement.as_bytes()


class OneTripRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        table = _rendered(SQL("{0}.{1}").format(Identifier(datastore.schema), Identifier(events_table_name)))
        self._table = table.decode()
        self._lock_sql = [_rendered(s) for s in self.lock_table_statements]
        self._notify_sql = _rendered(SQL("NOTIFY {0}").format(Identifier(self.channel_name)))
        self._transaction_head = b"; ".join([b"BEGIN", *self._lock_sql, self._notify_sql, b""]) + (
            f"INSERT INTO {self._table} ({COLUMNS}) VALUES ".encode()
        )
        self._transaction_tail = b" RETURNING notification_id; COMMIT"
        self._select_sql: dict[tuple[bool, bool, bool, bool], bytes] = {}

    # -- writing ---------------------------------------------------------------------------
    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """The library's transaction in one round trip: BEGIN; SET LOCAL lock_timeout; LOCK TABLE
        … IN EXCLUSIVE MODE; NOTIFY; the INSERT … RETURNING notification_id; COMMIT, sent as one
        simple query with the values quoted by psycopg. The table lock is then never held while
        this process waits for a thread to be scheduled between statements."""
        if self.datastore.enable_db_functions or not stored_events:
            return super().insert_events(stored_events, **kwargs)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            assert conn.autocommit
            values = b", ".join(
                b"(%b, %b, %b, %b)" % tuple(
                    Literal(v).as_bytes(conn) for v in (e.originator_id, e.originator_version, e.topic, e.state)
                )
                for e in stored_events
            )
            try:
                # Never prepared: a prepared statement may hold only one command.
                curs.execute(self._transaction_head + values + self._transaction_tail, prepare=False)
            except BaseException:
                with contextlib.suppress(psycopg.Error):
                    conn.rollback()  # a failed statement leaves the transaction open and aborted
                raise
            while not (curs.statusmessage or "").startswith("INSERT"):
                if not curs.nextset():
                    raise ProgrammingError("the write's INSERT returned no result")
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

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
