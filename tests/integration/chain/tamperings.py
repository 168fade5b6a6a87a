"""Tamperings of a stored history, shared by the tamper tests: each changes the history through
a cursor, in the backend's dialect, and says what a verification must find and where (written
here from what it did, never from the verifier)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from eventsourcing.persistence import StoredEvent

from api.persistence.chain_history import FIRST
from chain_support import EVENTS, GENESIS, POSITION, formula

BULK = 10_000
TOPICS = ["domain.partnership:Partnership.SessionHeld", "domain.case:Case.EOISubmitted",
          "domain.mentor:Mentor.CapacityChanged", "domain.partnership:Partnership.ProgressReviewed"]


@dataclass
class Stored:
    settings: Any
    app: Any
    positions: list[int]
    checkpoint: Any

    @property
    def kind(self) -> str:
        return self.settings.persistence

    @property
    def head(self) -> int:
        return self.positions[-1]


def fill(app, rng: random.Random, bulk: int = BULK) -> None:
    """`bulk` events through the app's own recorder, 500 to a write, of 200 originators."""
    originators = [uuid4() for _ in range(200)]
    versions: Counter = Counter()
    for _ in range(bulk // 500):
        batch = []
        for _ in range(500):
            originator = rng.choice(originators)
            versions[originator] += 1
            batch.append(StoredEvent(originator, versions[originator], rng.choice(TOPICS),
                                     rng.randbytes(rng.randint(60, 700))))
        app.recorder.insert_events(batch)


# -- the tamperings: each changes the history on `sql` and says what must be found, and where --------------
@dataclass
class Expect:
    problem: str
    position: int
    start: int  # a position before the tampering, whose stored link the verification may trust


class Sql:
    """Statements on the tampering transaction, in the backend's dialect."""

    def __init__(self, raw: Any, kind: str) -> None:
        self.raw, self.kind = raw, kind
        self.events, self.position = EVENTS[kind], POSITION[kind]

    def run(self, statement: str, *params: Any) -> list[Any]:
        self.raw.execute(statement.replace("?", "%s") if self.kind == "postgres" else statement, params)
        return list(self.raw.fetchall()) if statement.lstrip().upper().startswith("SELECT") else []

    def row(self, position: int) -> tuple[Any, int, str, bytes]:
        found = self.run(f"SELECT originator_id, originator_version, topic, state FROM {self.events} "
                         f"WHERE {self.position} = ?", position)[0]
        return tuple(found[k] for k in ("originator_id", "originator_version", "topic", "state")) \
            if isinstance(found, dict) else tuple(found)

    def set_row(self, position: int, originator: Any, version: int, topic: str, state: bytes) -> None:
        self.run(f"UPDATE {self.events} SET originator_id = ?, originator_version = ?, topic = ?, state = ? "
                 f"WHERE {self.position} = ?", originator, version, topic, state, position)

    def forge(self, position: int, link: bytes | None) -> None:
        originator = uuid4()
        self.run(f"INSERT INTO {self.events} ({self.position}, originator_id, originator_version, topic, state) "
                 f"VALUES (?, ?, 1, ?, ?)", position, originator.hex if self.kind == "sqlite" else originator,
                 TOPICS[0], b"forged")
        if link is not None:
            self.run("INSERT INTO trellis_chain (notification_id, link) VALUES (?, ?)", position, link)


def near_before(rng: random.Random, position: int) -> int:
    return max(0, position - 1 - rng.randint(0, 40))


def flip_a_byte(sql: Sql, rng: random.Random, h: Stored) -> Expect:
    p = rng.choice(h.positions)
    originator, version, topic, state = sql.row(p)
    state = bytearray(state)
    state[rng.randrange(len(state))] ^= 1 << rng.randrange(8)
    sql.set_row(p, originator, version, topic, bytes(state))
    return Expect("changed", p, near_before(rng, p))


def change_a_topic(sql: Sql, rng: random.Random, h: Stored) -> Expect:
    p = rng.choice(h.positions)
    originator, version, topic, state = sql.row(p)
    sql.set_row(p, originator, version, rng.choice([t for t in [*TOPICS, "domain.case:Case.Withdrawn"] if t != topic]),
                bytes(state))
    return Expect("changed", p, near_before(rng, p))


def delete_an_event(sql: Sql, rng: random.Random, h: Stored) -> Expect:
    p = rng.choice(h.positions)
    sql.run(f"DELETE FROM {sql.events} WHERE {sql.position} = ?", p)
    return Expect("missing", p, near_before(rng, p))


def swap_two_events(sql: Sql, rng: random.Random, h: Stored) -> Expect:
    i, j = sorted(rng.sample(h.positions, 2))
    first, second = sql.row(i), sql.row(j)
    sql.set_row(i, uuid4().hex if sql.kind == "sqlite" else uuid4(), 1, "tmp", b"")  # the key is unique
    sql.set_row(j, *first[:3], bytes(first[3]))
    sql.set_row(i, *second[:3], bytes(second[3]))
    return Expect("reordered", i, near_before(rng, i))


def forge_past_the_head(sql: Sql, rng: random.Random, h: Stored) -> Expect:
    sql.forge(h.head + 1, None)
    return Expect("inserted", h.head + 1, near_before(rng, h.head + 1))


def forge_before_the_first(sql: Sql, rng: random.Random, h: Stored) -> Expect:
    fitted = rng.random() < 0.5  # with a link forged (by the formula) to fit, or with none
    if fitted:
        originator, version, topic, state = uuid4(), 1, TOPICS[0], b"forged"
        sql.run(f"INSERT INTO {sql.events} ({sql.position}, originator_id, originator_version, topic, state) "
                f"VALUES (0, ?, ?, ?, ?)", originator.hex if sql.kind == "sqlite" else originator, version, topic, state)
        sql.run("INSERT INTO trellis_chain (notification_id, link) VALUES (0, ?)",
                formula(GENESIS, originator, version, topic, state))
    else:
        sql.forge(0, None)
    return Expect("inserted", 0, FIRST)


def truncate_the_tail(sql: Sql, rng: random.Random, h: Stored) -> Expect:
    t = rng.choice(h.positions[1:])
    sql.run(f"DELETE FROM {sql.events} WHERE {sql.position} >= ?", t)
    sql.run("DELETE FROM trellis_chain WHERE notification_id >= ?", t)
    return Expect("truncated", t, near_before(rng, t))


def link_past_the_head(sql: Sql, rng: random.Random, h: Stored) -> Expect:
    """A link stored where no event is: as if the event recorded there had been deleted."""
    sql.run("INSERT INTO trellis_chain (notification_id, link) VALUES (?, ?)", h.head + 1, rng.randbytes(32))
    return Expect("missing", h.head + 1, near_before(rng, h.head + 1))


TAMPERINGS: list[Callable[[Sql, random.Random, Stored], Expect]] = [
    flip_a_byte, change_a_topic, delete_an_event, swap_two_events, forge_past_the_head, forge_before_the_first,
    truncate_the_tail, link_past_the_head,
]


