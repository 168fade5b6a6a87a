"""Rows no recorder writes, put in behind its back: verification names them and never fails with
an error: on SQLite, values of another type, even with the same bytes (it stores whatever it is
given); on PostgreSQL, a NULL where the recorder writes a value. A checkpoint row signed by
another key vouches for nothing."""

from __future__ import annotations


from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from api.persistence.checkpoints import SigningKey
from chain_support import EVENTS, POSITION, connect, expected_links, stored
from domain import Actor, NotAllowed, Role
from lifecycle import World

AUDITOR = Actor("tests", Role.AUDITOR)


@pytest.fixture
def history(trellis, store):
    world = World.create(trellis)
    world.case("active", world.mentor()[0])
    return store


def verdict(trellis):
    found = trellis.verify_history(AUDITOR)
    return found.ok, found.problem, found.position


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
class TestOnSQLite:
    @pytest.mark.parametrize("change", [
        "originator_id = 'not a uuid'", "originator_id = CAST(originator_id AS BLOB)", "originator_version = 'one'",
        "state = CAST(state AS TEXT)", "topic = CAST(topic AS BLOB) || x'ff'", "state = NULL", "topic = NULL",
        "originator_version = 1e300", "state = CAST(x'80ff' AS TEXT)",
    ])
    def test_a_value_of_another_kind_is_a_change_where_it_is(self, trellis, history, change):
        with connect(history) as connection:
            connection.execute(f"UPDATE {EVENTS['sqlite']} SET {change} WHERE rowid = 4")
        assert verdict(trellis) == (False, "changed", 4)


@pytest.mark.parametrize("store", ["postgres"], indirect=True)
class TestOnPostgreSQL:
    def test_a_null_state_is_a_change_where_it_is(self, trellis, history):
        with connect(history) as connection:
            connection.execute(f"UPDATE {EVENTS['postgres']} SET state = NULL WHERE {POSITION['postgres']} = 6")
        assert verdict(trellis) == (False, "changed", 6)


    def test_a_row_without_an_originator_whose_other_fields_spell_the_old_one_is_a_change(self, trellis, history):
        """The stream hashes a row's fields as sent, lengths and all; with no originator id its
        first length goes missing, and a topic and state chosen to fill the gap would give the
        very bytes of the row recorded. Such a row is still found changed."""
        state = bytes(range(40))
        length = (3 + 8 + 4 + 1 + 4 + len(state)).to_bytes(4, "big")  # what the forged state will be
        originator = UUID(bytes=b"\x00\x00\x00\x05abcde" + length + b"xyz")
        trellis.recorder.insert_events([StoredEvent(originator, 1, "t", state)])
        with connect(history) as connection:
            position = connection.execute(f"SELECT max({POSITION['postgres']}) FROM {EVENTS['postgres']}").fetchone()[0]
            forged = b"xyz" + (1).to_bytes(8, "big") + (1).to_bytes(4, "big") + b"t" + len(state).to_bytes(4, "big") + state
            connection.execute(f"ALTER TABLE {EVENTS['postgres']} DROP CONSTRAINT {EVENTS['postgres']}_pkey")
            connection.execute(f"ALTER TABLE {EVENTS['postgres']} ALTER COLUMN originator_id DROP NOT NULL")
            connection.execute(f"UPDATE {EVENTS['postgres']} SET originator_id = NULL, topic = 'abcde', state = %s "
                               f"WHERE {POSITION['postgres']} = %s", (forged, position))
        assert verdict(trellis) == (False, "changed", position)


class TestACheckpointRowSignedByAnotherKey:
    def test_vouches_for_nothing_and_a_rewritten_history_is_not_signed_over(self, trellis, history):
        ours = trellis.take_checkpoint()
        events, _ = stored(history)
        originator, version, topic, state = events[3]
        events[3] = (originator, version, topic, state[:-1] + bytes([state[-1] ^ 1]))
        links = expected_links(events)  # the whole history rewritten, every link recomputed to fit
        mark = "?" if history.persistence == "sqlite" else "%s"
        with connect(history) as connection:
            connection.execute(f"UPDATE {EVENTS[history.persistence]} SET state = {mark} "
                               f"WHERE {POSITION[history.persistence]} = 3", (events[3][3],))
            for position, link in links.items():
                connection.execute(f"UPDATE trellis_chain SET link = {mark} WHERE notification_id = {mark}",
                                   (link, position))
        foreign = SigningKey(b"someone else's key, same format!").sign(max(links), links[max(links)], "2026-06-02")
        trellis.audit_records.add_checkpoint(foreign)  # a row put in the table by whoever rewrote it

        with pytest.raises(NotAllowed, match=f"position {ours.position}"):
            trellis.take_checkpoint()
        assert verdict(trellis) == (False, "changed", ours.position)
