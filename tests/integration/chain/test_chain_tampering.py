"""1,000 random tamperings of a stored history of more than 10,000 events, on SQLite and
PostgreSQL: a byte of a state flipped, a topic changed, an event deleted, two events' contents
swapped, a forged event inserted (past the head, or before the first with or without a link
forged to fit), the tail truncated behind a checkpoint. Each is applied inside a transaction
that is rolled back once the verifier has read it, so one history serves them all; every one
is found, at the right position and named rightly, and the untouched history verifies.

Most cases verify from a trusted position a little before the tampered one (its stored link,
as a checkpoint would give it) — the same walk as a full verification, shorter; every
twentieth verifies from the first event.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from api.bootstrap import build_app
from api.persistence.chain_history import FIRST, History, events_table
from api.persistence.chain_verify import verify_chain
from api.services import ManualClock
from chain_support import GENESIS, expected_links, own_store, stored
from lifecycle import NOW, World
from tamperings import BULK, TAMPERINGS, Sql, Stored, fill

SEED = 20261125
CASES = 1_000
FULL_EVERY = 20


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def history(request, tmp_path_factory):
    pg = request.getfixturevalue("pg_settings") if request.param == "postgres" else None
    with own_store(request.param, tmp_path_factory.mktemp("tamper"), pg) as settings:
        app = build_app(settings, clock=ManualClock(NOW))
        try:
            world = World.create(app)  # some of the domain's own events first
            mentor_id, _ = world.mentor()
            world.case("active", mentor_id)
            fill(app, random.Random(SEED))
            events, links = stored(settings)
            assert len(events) > BULK and links == expected_links(events)
            positions = sorted(events)
            assert positions == list(range(1, len(positions) + 1))  # no gaps: the expectations below count on it
            yield Stored(settings, app, positions, app.take_checkpoint())
        finally:
            app.close()


class TestTamperingIsFound:
    def test_the_untouched_history_verifies_whole_and_against_its_checkpoint(self, history):
        store = history.app.audit_records.store
        with store.datastore.transaction(commit=False) as raw:
            found = verify_chain(History(raw, store.postgres, events_table(history.app.recorder)), marks=[history.checkpoint.mark()])
        assert (found.ok, found.verified, found.head, found.checkpoints) == (True, len(history.positions),
                                                                             history.head, 1)

    def test_a_thousand_random_tamperings_are_each_found_where_they_are(self, history):
        rng = random.Random(SEED + (history.kind == "postgres"))
        store = history.app.audit_records.store
        kinds: Counter = Counter()
        for case in range(CASES):
            tamper = rng.choice(TAMPERINGS)
            with store.datastore.transaction(commit=False) as raw:  # rolled back on leaving
                expect = tamper(Sql(raw, history.kind), rng, history)
                source = History(raw, store.postgres, events_table(history.app.recorder))
                start = FIRST if case % FULL_EVERY == 0 else expect.start
                previous = GENESIS if start == FIRST else source.link_at(start)
                found = verify_chain(source, after=start, previous=previous, marks=[history.checkpoint.mark()])
            assert (found.ok, found.problem, found.position) == (False, expect.problem, expect.position), \
                (case, tamper.__name__, expect, found)
            kinds[tamper.__name__] += 1
        assert set(kinds) == {t.__name__ for t in TAMPERINGS} and min(kinds.values()) > 80
        events, links = stored(history.settings)  # every tampering was rolled back
        assert len(events) == len(history.positions) and links == expected_links(events)
