"""Erasure destroys keys and never touches a stored event, so the history verifies after it — against
a checkpoint signed before it — and the erasure itself is in the history, linked like any event.
A history recorded before the chain existed is linked once by `trellis db init`, and only once."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from api.bootstrap import build_app, init_database
from domain import Role
from projections.runner import Runner
from lifecycle import NOW, TODAY, World, person
from chain_support import EVENTS, LINKS, connect, expected_links, stored


class TestAfterAnErasure:
    def test_the_history_verifies_against_a_checkpoint_signed_before_it(self, trellis, store, clock):
        world = World.create(trellis)
        mentor_id, _ = world.mentor()
        subject = world.case("active", mentor_id)
        world.case("active", mentor_id)  # a bystander
        before = trellis.take_checkpoint()
        events_before, links_before = stored(store)

        dpo = person(trellis, Role.DPO)
        clock.set(NOW + timedelta(days=1))
        request = trellis.receive_request("erasure", dpo, TODAY, person_id=subject["mentee"].id).id
        Runner.for_app(trellis).catch_up()  # erasure finds the subject's records in the read models
        trellis.execute_erasure(request, dpo)

        events_after, links_after = stored(store)
        assert {p: events_after[p] for p in events_before} == events_before  # not a byte of them changed
        assert {p: links_after[p] for p in links_before} == links_before
        erasure = [e for p, e in sorted(events_after.items()) if p not in events_before]
        assert [e[2].rsplit(".", 1)[-1] for e in erasure if e[0] == request] == ["Received", "Completed"]
        assert erasure[-1][0] == request  # the erasure, recorded after what it closed, linked like any event
        assert links_after == expected_links(events_after)

        found = trellis.verify_history(dpo, [before])
        assert (found.ok, found.verified, found.head, found.checkpoints) == (True, len(events_after),
                                                                             max(events_after), 1)


class TestDbInitLinksAnOlderHistory:
    def test_once_and_only_once(self, store):
        app = build_app(store)
        try:
            unchained = (SQLiteApplicationRecorder if store.persistence == "sqlite" else PostgresApplicationRecorder)(
                app.recorder.datastore, events_table_name=app.recorder.events_table_name)
            world = World.create(app)
            world.case("active", world.mentor()[0])
            with connect(store) as connection:  # as if recorded before the chain existed
                connection.execute(f"DROP TABLE {LINKS}")
            for version in range(1, 4):
                unchained.insert_events([StoredEvent(world.programme_id, 100 + version, "tests:Older", b"x" * version)])
        finally:
            app.close()
        events, _ = stored_without_links(store)
        assert len(events) > 10

        init_database(store)
        found_events, links = stored(store)
        assert found_events == events and links == expected_links(events)

        with connect(store) as connection:  # a link tampered with: running again must not relink over it
            connection.execute(f"UPDATE {LINKS} SET link = {'?' if store.persistence == 'sqlite' else '%s'} "
                               f"WHERE notification_id = {min(links)}", (bytes(32),))
        init_database(store)
        assert stored(store)[1] == {**links, min(links): bytes(32)}

        app = build_app(store, clock=lambda: NOW)
        try:
            found = app.verify_history(person(app, Role.AUDITOR))
        finally:
            app.close()
        assert (found.ok, found.problem, found.position) == (False, "changed", min(links))


def stored_without_links(settings):
    kind = settings.persistence
    with connect(settings) as connection:
        rows = connection.execute(f"SELECT {'rowid' if kind == 'sqlite' else 'notification_id'}, originator_id, "
                                  f"originator_version, topic, state FROM {EVENTS[kind]}").fetchall()
    return {int(p): (UUID(str(o)), int(v), t, bytes(s)) for p, o, v, t, s in rows}, {}
