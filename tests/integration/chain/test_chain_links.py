"""The hash chain is written with every event, in the same transaction, in notification order, by
every recorder Trellis writes with (SQLite: the library's recorder; PostgreSQL: the one-trip
recorder, and the library's own beside it): byte for byte the formula over the row as stored.
A write that fails writes no link, and a link that cannot be written takes its events with it."""

from __future__ import annotations

import threading
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, ProgrammingError, StoredEvent

from api.bootstrap import build_app
from api.persistence.recorders import ChainedPostgresRecorder, ChainedSQLiteRecorder, OneTripRecorder
from api.services import ManualClock
from chain_support import EVENTS, GENESIS, POSITION, connect, expected_links, stored
from lifecycle import NOW, World

TOPIC = "tests.chain:Évènement ✓"  # not ASCII: its length is counted in UTF-8 bytes


@pytest.fixture(scope="module")
def app(shared_store):
    application = build_app(shared_store, clock=ManualClock(NOW))
    yield application
    application.close()


@pytest.fixture(params=["app's", "library's"])
def recorder(request, app, shared_store):
    """The recorder the app writes with; on PostgreSQL also the library's own (chained) one."""
    if request.param == "app's":
        return app.recorder
    if shared_store.persistence == "sqlite":
        return ChainedSQLiteRecorder(app.recorder.datastore, events_table_name=app.recorder.events_table_name)
    return ChainedPostgresRecorder(app.recorder.datastore, events_table_name=app.recorder.events_table_name)


def events(originator, *versions: int) -> list[StoredEvent]:
    """States holding every byte value, quotes and NULs, of a few sizes (never large: a write of
    1,500 events stays a few hundred kB)."""
    return [StoredEvent(originator, v, TOPIC, bytes(range(256)) * (v % 3) + b"\x00'\"\\" + v.to_bytes(4, "big"))
            for v in versions]


def chain_is_whole(settings) -> None:
    found, links = stored(settings)
    assert links == expected_links(found)


class TestEveryWriteIsLinked:
    def test_each_backend_writes_through_a_recorder_that_links(self, app, shared_store):
        expected = {"sqlite": ChainedSQLiteRecorder, "postgres": OneTripRecorder}[shared_store.persistence]
        assert type(app.recorder) is expected

    def test_every_link_is_the_formula_over_the_row_as_stored(self, app, shared_store, recorder):
        world = World.create(app)  # real events: encrypted states, the domain's topics
        mentor_id, _ = world.mentor()
        world.case("active", mentor_id)
        recorder.insert_events(events(uuid4(), 1, 2, 3))
        found, links = stored(shared_store)
        assert len(found) > 10 and set(links) == set(found)
        assert links == expected_links(found)

    def test_a_large_write_is_linked_whole(self, app, shared_store, recorder):
        recorder.insert_events(events(uuid4(), *range(1, 1501)))
        chain_is_whole(shared_store)

    def test_writes_of_both_recorders_make_one_chain(self, app, shared_store):
        library = (ChainedSQLiteRecorder if shared_store.persistence == "sqlite" else ChainedPostgresRecorder)(
            app.recorder.datastore, events_table_name=app.recorder.events_table_name)
        originator = uuid4()
        for version in range(1, 9):
            (app.recorder if version % 2 else library).insert_events(events(originator, version))
        chain_is_whole(shared_store)

    def test_concurrent_writers_are_linked_in_notification_order(self, app, shared_store):
        def write() -> None:
            originator = uuid4()
            for version in range(1, 41, 2):
                app.recorder.insert_events(events(originator, version, version + 1))

        threads = [threading.Thread(target=write) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        chain_is_whole(shared_store)


class TestAFailedWriteWritesNoLink:
    def test_a_refused_write_leaves_no_event_and_no_link(self, app, shared_store, recorder):
        originator = uuid4()
        recorder.insert_events(events(originator, 1))
        before = stored(shared_store)
        with pytest.raises(IntegrityError):
            recorder.insert_events(events(originator, 2, 1))
        assert stored(shared_store) == before
        recorder.insert_events(events(originator, 2))
        chain_is_whole(shared_store)

    def test_a_link_that_cannot_be_written_takes_its_events_with_it(self, app, shared_store, recorder):
        kind = shared_store.persistence
        position = next_position(shared_store)
        with connect(shared_store) as connection:  # a stray row where the next link would go
            connection.execute(f"INSERT INTO trellis_chain (notification_id, link) VALUES ({position}, "
                               f"{'?' if kind == 'sqlite' else '%s'})", (GENESIS,))
        originator = uuid4()
        try:
            with pytest.raises(IntegrityError):
                recorder.insert_events(events(originator, 1, 2))
            with connect(shared_store) as connection:
                count = connection.execute(f"SELECT count(*) FROM {EVENTS[kind]} WHERE originator_id = "
                                           f"{'?' if kind == 'sqlite' else '%s'}",
                                           (originator.hex if kind == "sqlite" else originator,)).fetchone()[0]
            assert count == 0
        finally:
            with connect(shared_store) as connection:
                connection.execute(f"DELETE FROM trellis_chain WHERE notification_id = {position}")
        recorder.insert_events(events(originator, 1, 2))
        chain_is_whole(shared_store)


@pytest.mark.parametrize("shared_store", ["postgres"], indirect=True)
class TestTheLibrarysDatabaseFunction:
    def test_is_refused_for_it_would_write_events_without_links(self, app, monkeypatch):
        monkeypatch.setattr(app.recorder.datastore, "enable_db_functions", True)
        with pytest.raises(ProgrammingError, match="POSTGRES_ENABLE_DB_FUNCTIONS"):
            ChainedPostgresRecorder(app.recorder.datastore, events_table_name=app.recorder.events_table_name)


def next_position(settings) -> int:
    """Where the next event will be stored."""
    kind = settings.persistence
    with connect(settings) as connection:
        if kind == "sqlite":
            return connection.execute(f"SELECT COALESCE(max({POSITION[kind]}), 0) + 1 FROM {EVENTS[kind]}").fetchone()[0]
        sequence = connection.execute("SELECT pg_get_serial_sequence(%s, 'notification_id')",
                                      (EVENTS[kind],)).fetchone()[0]
        last, called = connection.execute(f"SELECT last_value, is_called FROM {sequence}").fetchone()
        return last + 1 if called else last


class TestALinkPlantedAhead:
    def test_bends_no_link_of_the_writes_before_it(self, app, shared_store, recorder):
        kind = shared_store.persistence
        planted = next_position(shared_store) + 50
        with connect(shared_store) as connection:
            connection.execute(f"INSERT INTO trellis_chain (notification_id, link) VALUES ({planted}, "
                               f"{'?' if kind == 'sqlite' else '%s'})", (GENESIS,))
        try:
            recorder.insert_events(events(uuid4(), 1, 2, 3))
            found, links = stored(shared_store)
            assert {p: link for p, link in links.items() if p != planted} == expected_links(found)
        finally:
            with connect(shared_store) as connection:
                connection.execute(f"DELETE FROM trellis_chain WHERE notification_id = {planted}")
