"""A large PostgreSQL history is verified in parts at once: helper processes stream the parts
after the first on connections of their own, which import the verification's snapshot. The
verdicts are those of one walk: the untouched history verifies to its head and link; every
tampering is found at its position and named rightly, in whichever part it falls; and a
change committed after the verification began is not seen by any part.

The tamperings here are committed (a helper cannot see another transaction's uncommitted
change), and the history is put back from a copy after each.
"""

from __future__ import annotations

import random
from collections import Counter
from contextlib import contextmanager

import pytest

from api.bootstrap import build_app
from api.persistence import chain_scan
from api.persistence.chain_history import events_table, snapshot
from api.persistence.chain_verify import verify_chain
from api.services import ManualClock
from chain_support import connect, expected_links, own_store, stored
from lifecycle import NOW, World
from projections.sql import Store
from tamperings import TAMPERINGS, Sql, Stored, fill

SEED = 20261207
PARALLEL_FROM = 500  # the history below is large enough to be cut into parts
EACH = 10  # tamperings of each kind


@pytest.fixture(scope="module")
def history(pg_settings, tmp_path_factory):
    with own_store("postgres", tmp_path_factory.mktemp("parts"), pg_settings) as settings:
        app = build_app(settings, clock=ManualClock(NOW))
        try:
            world = World.create(app)
            mentor_id, _ = world.mentor()
            world.case("active", mentor_id)
            fill(app, random.Random(SEED), bulk=4_000)
            events, links = stored(settings)
            assert len(events) > 4_000 and links == expected_links(events)
            with connect(settings) as connection:
                connection.execute("CREATE TABLE kept_events AS SELECT * FROM trellis_events")
                connection.execute("CREATE TABLE kept_chain AS SELECT * FROM trellis_chain")
            yield Stored(settings, app, sorted(events), app.take_checkpoint())
        finally:
            app.close()


@pytest.fixture
def helpers(monkeypatch) -> list[int]:
    """How many helper processes each verification started."""
    started: list[int] = []
    real = chain_scan._start_helper

    def counted(*args, **kwargs):
        started.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(chain_scan, "_start_helper", counted)
    return started


def in_parts(h: Stored, processes: int):
    store = Store.beside(h.app.recorder)
    with snapshot(store, events_table(h.app.recorder)) as source:
        return verify_chain(source, processes=processes, parallel_from=PARALLEL_FROM, marks=[h.checkpoint.mark()])


def put_back(h: Stored) -> None:
    with connect(h.settings) as connection:
        connection.execute("TRUNCATE trellis_events, trellis_chain")
        connection.execute("INSERT INTO trellis_events SELECT * FROM kept_events")
        connection.execute("INSERT INTO trellis_chain SELECT * FROM kept_chain")


@contextmanager
def tampered(h: Stored, tamper, rng: random.Random):
    with connect(h.settings) as connection:  # committed on leaving
        expect = tamper(Sql(connection.cursor(), "postgres"), rng, h)
    try:
        yield expect
    finally:
        put_back(h)


class TestVerifyingInParts:
    @pytest.mark.parametrize("processes", [2, 3])
    def test_the_untouched_history_verifies_to_its_head(self, history, helpers, processes):
        events, _ = stored(history.settings)
        head = max(events)
        found = in_parts(history, processes)
        assert (found.ok, found.verified, found.head, found.checkpoints) == (True, len(events), head, 1)
        assert found.head_link == expected_links(events)[head].hex()
        assert len(helpers) == processes - 1

    def test_a_small_history_is_streamed_in_one_part(self, history, helpers):
        store = Store.beside(history.app.recorder)
        with snapshot(store, events_table(history.app.recorder)) as source:
            found = verify_chain(source, processes=2, parallel_from=len(history.positions) + 1)
        assert found.ok and found.verified == len(history.positions) and helpers == []

    def test_every_tampering_is_found_where_it_is_in_whichever_part(self, history, helpers):
        rng = random.Random(SEED)
        middle = history.positions[len(history.positions) // 2]
        where: Counter = Counter()
        for tamper in TAMPERINGS:
            for case in range(EACH):
                with tampered(history, tamper, rng) as expect:
                    found = in_parts(history, 2)
                assert (found.ok, found.problem, found.position) == (False, expect.problem, expect.position), \
                    (case, tamper.__name__, expect, found)
                where["second part" if expect.position > middle else "first part"] += 1
        assert where["first part"] > 10 and where["second part"] > 10
        assert len(helpers) >= 0.8 * len(TAMPERINGS) * EACH  # a tail truncated short is streamed in one part

    def test_a_change_committed_after_the_verification_began_is_seen_by_no_part(self, history, helpers):
        store = Store.beside(history.app.recorder)
        late = history.positions[-10]  # in the last part, which a helper streams
        try:
            with snapshot(store, events_table(history.app.recorder)) as source:
                source.last_position()  # the snapshot is taken
                with connect(history.settings) as connection:
                    connection.execute("UPDATE trellis_events SET topic = topic || 'x' WHERE notification_id = %s",
                                       (late,))
                found = verify_chain(source, processes=2, parallel_from=PARALLEL_FROM)
        finally:
            put_back(history)
        assert found.ok and found.verified == len(history.positions) and len(helpers) == 1
