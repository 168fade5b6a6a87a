"""The one-trip PostgreSQL recorder writes, refuses, locks, notifies and reads as the library's does.

Each test sets the recorder the app runs with (`api.persistence.recorders.OneTripRecorder`, chosen by
`eventsourcing_env`) beside the library's own `PostgresApplicationRecorder` on the same table.
"""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg import sql

from api.bootstrap import init_database
from api.persistence.recorders import OneTripRecorder
from api.settings import eventsourcing_env


pytestmark = pytest.mark.parametrize("backend", ["postgres"])


@pytest.fixture(scope="module")
def pg_settings(pg_settings):
    """A database of this module's own: the made-up topic its events carry ("tests:Event") stays
    out of the store that every other test reads."""
    own = pg_settings.model_copy(update={"postgres_dbname": f"{pg_settings.postgres_dbname}_recorder"})
    with connect(pg_settings, "postgres") as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(own.postgres_dbname)))
    init_database(own)
    return own


@pytest.fixture
def recorders(app):
    ours = app.recorder
    library = PostgresApplicationRecorder(ours.datastore, events_table_name=ours.events_table_name)
    return ours, library


def stored(originator_id, *versions: int) -> list[StoredEvent]:
    return [StoredEvent(originator_id, v, "tests:Event", f"state {v} \x00'\"\\".encode()) for v in versions]


def connect(settings, dbname: str | None = None) -> psycopg.Connection:
    return psycopg.connect(
        host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
        dbname=dbname or settings.postgres_dbname, autocommit=True,
    )


class TestTheRecorderIsChosenForPostgreSQL:
    def test_the_app_on_postgresql_runs_the_one_trip_recorder(self, app, pg_settings):
        assert type(app.recorder) is OneTripRecorder
        assert "POSTGRES_ENABLE_DB_FUNCTIONS" not in eventsourcing_env(pg_settings)
        assert not app.recorder.datastore.enable_db_functions


class TestInserting:
    def test_events_are_stored_as_the_library_reads_them_with_ids_in_order(self, recorders):
        ours, library = recorders
        originator = uuid4()
        ids = ours.insert_events(stored(originator, 1, 2, 3))
        assert len(ids) == 3 and ids == sorted(ids) and ids[-1] - ids[0] == 2
        assert library.select_events(originator) == stored(originator, 1, 2, 3)
        notifications = library.select_notifications(ids[0], 3)
        assert [n.id for n in notifications] == ids
        assert [n.originator_version for n in notifications] == [1, 2, 3]
        assert ours.max_notification_id() == library.max_notification_id() >= ids[-1]

    def test_events_the_library_stored_read_back_alike_under_every_selection(self, recorders):
        ours, library = recorders
        originator = uuid4()
        library.insert_events(stored(originator, *range(1, 8)))
        selections = [
            {}, {"gt": 2}, {"lte": 5}, {"gt": 2, "lte": 5}, {"desc": True}, {"desc": True, "limit": 2},
            {"gt": 1, "lte": 6, "desc": True, "limit": 3}, {"limit": 4},
        ]
        for kwargs in selections:
            assert ours.select_events(originator, **kwargs) == library.select_events(originator, **kwargs), kwargs
        assert ours.select_events(uuid4()) == []


class TestConflicts:
    def test_a_second_writer_at_a_taken_version_gets_an_integrity_error_and_writes_nothing(self, recorders):
        ours, library = recorders
        originator = uuid4()
        ours.insert_events(stored(originator, 1))
        before = library.max_notification_id()
        with pytest.raises(IntegrityError):
            ours.insert_events(stored(originator, 2, 1))
        assert library.select_events(originator) == stored(originator, 1)
        assert library.max_notification_id() == before

    def test_the_same_refused_write_again_and_again_is_refused_alike_and_leaves_the_pool_working(self, recorders):
        """Repeats run past psycopg's threshold for preparing a statement, on every connection."""
        ours, library = recorders
        originator = uuid4()
        ours.insert_events(stored(originator, 1))
        with ours.datastore.get_connection() as conn:
            threshold = conn.prepare_threshold or 0
        for _ in range((threshold + 2) * (ours.datastore.pool.max_size + 1)):
            with pytest.raises(IntegrityError):
                ours.insert_events(stored(originator, 1))
        ours.insert_events(stored(originator, 2))
        assert [e.originator_version for e in library.select_events(originator)] == [1, 2]


class TestLockingAndNotifying:
    def test_a_write_waits_for_the_exclusive_table_lock(self, recorders, pg_settings):
        """A plain INSERT would pass another transaction's ROW EXCLUSIVE lock; LOCK TABLE … IN
        EXCLUSIVE MODE waits for it. The write is seen waiting, then lands once it is released."""
        ours, library = recorders
        originator = uuid4()
        table = sql.SQL("{}.{}").format(sql.Identifier(ours.datastore.schema), sql.Identifier(ours.events_table_name))
        with connect(pg_settings) as holder:
            holder.execute("BEGIN")
            holder.execute(sql.SQL("LOCK TABLE {} IN ROW EXCLUSIVE MODE").format(table))
            writer = threading.Thread(target=ours.insert_events, args=(stored(originator, 1),))
            writer.start()
            deadline = time.monotonic() + 4
            waiting = []
            while not waiting and time.monotonic() < deadline:
                waiting = holder.execute(
                    "SELECT mode FROM pg_locks WHERE relation = %s::regclass AND NOT granted",
                    (table.as_string(holder),),
                ).fetchall()
            assert waiting == [("ExclusiveLock",)]
            assert library.select_events(originator) == []
            holder.execute("COMMIT")
            writer.join(timeout=10)
        assert not writer.is_alive()
        assert library.select_events(originator) == stored(originator, 1)

    def test_a_write_notifies_the_events_channel(self, recorders, pg_settings):
        ours, _ = recorders
        with connect(pg_settings) as listener:
            listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(ours.channel_name)))
            ours.insert_events(stored(uuid4(), 1))
            heard = list(listener.notifies(timeout=5, stop_after=1))
        assert [n.channel for n in heard] == [ours.channel_name]

    def test_a_refused_write_notifies_no_one(self, recorders, pg_settings):
        ours, _ = recorders
        originator = uuid4()
        ours.insert_events(stored(originator, 1))
        with connect(pg_settings) as listener:
            listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(ours.channel_name)))
            with pytest.raises(IntegrityError):
                ours.insert_events(stored(originator, 1))
            assert list(listener.notifies(timeout=0.5, stop_after=1)) == []


class TestPreparedWrites:
    def connections(self, recorder):
        """Every connection the pool can hand out, held at once."""
        stack = ExitStack()
        return stack, [stack.enter_context(recorder.datastore.get_connection())
                       for _ in range(recorder.datastore.pool.max_size)]

    def test_writes_run_statements_prepared_on_their_connection(self, recorders):
        ours, library = recorders
        originator = uuid4()
        ours.insert_events(stored(originator, 1))
        ours.insert_events(stored(originator, 2, 3))
        stack, held = self.connections(ours)
        with stack:
            names = {row["name"] for conn in held
                     for row in conn.execute("SELECT name FROM pg_prepared_statements").fetchall()}
        assert {"trellis_write_one", "trellis_write_many", "trellis_link_many"} <= names
        assert library.select_events(originator) == stored(originator, 1, 2, 3)

    def test_a_connection_whose_statements_were_deallocated_prepares_them_again(self, recorders, pg_settings):
        ours, library = recorders
        one = PostgresDatastore(pg_settings.postgres_dbname, pg_settings.postgres_host, pg_settings.postgres_port,
                                pg_settings.postgres_user, "", pool_size=1, schema=ours.datastore.schema)
        try:
            single = OneTripRecorder(one, events_table_name=ours.events_table_name)
            originator = uuid4()
            single.insert_events(stored(originator, 1))
            with one.get_connection() as conn:  # the one connection the writes use
                conn.execute("DEALLOCATE ALL")
            single.insert_events(stored(originator, 2))
            with one.get_connection() as conn:
                conn.execute("DEALLOCATE ALL")
            single.insert_events(stored(originator, 3, 4))
        finally:
            one.close()
        assert library.select_events(originator) == stored(originator, 1, 2, 3, 4)
