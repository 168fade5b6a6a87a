"""The hash chain over every stored event: what makes the history tamper-evident.

Each event's link commits to the previous link and to the event's row as stored — its
originator id, version, topic and state bytes (ciphertext, never plaintext, so destroying a
key changes nothing here and the chain verifies before and after any erasure):

    link = SHA-256(previous link ‖ originator id (16 bytes) ‖ version (8, big-endian)
                   ‖ len(topic) (4) ‖ topic (UTF-8) ‖ len(state) (4) ‖ state)

starting from 32 zero bytes. Links are written by the recorders in the same transaction as
the events (the table lock every write takes orders them), in notification order, into
`trellis_chain`; a write that fails writes no link. PostgreSQL computes them in one
statement with its own `sha256`; SQLite, which has none, in Python on the same cursor.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from uuid import UUID

from projections.sql import Store, Table

GENESIS = bytes(32)
CHAIN = Table("trellis_chain", {"notification_id": "BIGINT NOT NULL", "link": "BLOB NOT NULL"}, ("notification_id",))


def link(previous: bytes, originator_id: UUID | str, version: int, topic: str, state: bytes) -> bytes:
    topic_bytes = topic.encode()
    originator = originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id))
    return hashlib.sha256(
        previous + originator.bytes + int(version).to_bytes(8, "big", signed=True)
        + len(topic_bytes).to_bytes(4, "big") + topic_bytes + len(state).to_bytes(4, "big") + bytes(state)
    ).digest()


def _walk(chain: str, source: str) -> str:
    """CTEs `fresh` (the rows of `source` in notification order) and `walk` (their links)."""
    return (
        f"fresh AS (SELECT notification_id, originator_id, originator_version, topic, state, "
        f"row_number() OVER (ORDER BY notification_id) AS n FROM {source}), "
        f"walk (n, notification_id, link) AS ("
        f"SELECT 0::bigint, 0::bigint, COALESCE((SELECT link FROM {chain} ORDER BY notification_id DESC LIMIT 1), "
        f"'\\x{GENESIS.hex()}'::bytea) "
        f"UNION ALL SELECT f.n, f.notification_id, sha256(w.link || uuid_send(f.originator_id) "
        f"|| int8send(f.originator_version::bigint) || int4send(octet_length(convert_to(f.topic, 'UTF8'))) "
        f"|| convert_to(f.topic, 'UTF8') || int4send(octet_length(f.state)) || f.state) "
        f"FROM walk w JOIN fresh f ON f.n = w.n + 1)"
    )


def postgres_insert_and_link(events: str, chain: str, columns: str) -> tuple[str, str]:
    """The head and tail of one statement that inserts the events (their VALUES go between)
    and links exactly the rows it inserted, answering their notification ids in order."""
    head = f"WITH RECURSIVE new AS (INSERT INTO {events} ({columns}) VALUES "
    tail = (
        f" RETURNING notification_id, originator_id, originator_version, topic, state), {_walk(chain, 'new')}, "
        f"linked AS (INSERT INTO {chain} (notification_id, link) SELECT notification_id, link FROM walk WHERE n > 0) "
        f"SELECT notification_id FROM new ORDER BY notification_id"
    )
    return head, tail


def postgres_link_inserted(events: str, chain: str) -> str:
    """Links the events whose notification ids are the parameter (an array), just inserted in
    this transaction."""
    return (
        f"WITH RECURSIVE inserted AS (SELECT * FROM {events} WHERE notification_id = ANY(%s)), "
        f"{_walk(chain, 'inserted')} "
        f"INSERT INTO {chain} (notification_id, link) SELECT notification_id, link FROM walk WHERE n > 0"
    )


def sqlite_chain(cursor: object, rows: list[tuple[int, str, int, str, bytes]]) -> None:
    """Links `rows` (notification id, originator id, version, topic, state), just inserted on
    `cursor`'s transaction, after the chain's head."""
    cursor.execute(f"SELECT link FROM {CHAIN.name} ORDER BY notification_id DESC LIMIT 1")
    found = cursor.fetchone()
    previous = bytes(found[0]) if found else GENESIS
    links = []
    for notification_id, originator_id, version, topic, state in sorted(rows):
        previous = link(previous, originator_id, version, topic, state)
        links.append((notification_id, previous))
    for row in links:
        cursor.execute(f"INSERT INTO {CHAIN.name} (notification_id, link) VALUES (?, ?)", row)


# -- verifying ----------------------------------------------------------------------------------
PAGE = 5000


@dataclass(frozen=True)
class Verdict:
    """What recomputing the chain found: `ok`, or the first broken position and what is wrong
    there (changed, missing, reordered, inserted) — with the head it reached."""

    ok: bool
    verified: int
    head: int
    head_link: str
    position: int | None = None
    problem: str | None = None
    detail: str = ""


def rows_in_order(store: Store, events_table: str) -> Iterator[tuple[int | None, tuple | None, bytes | None]]:
    """(position, event row or None, stored link or None) in notification order, every
    position that has an event, a link or both."""
    after = 0
    select = (
        f"SELECT COALESCE(e.notification_id, c.notification_id) AS position, e.notification_id AS event, "
        f"e.originator_id, e.originator_version, e.topic, e.state, c.link FROM {events_table} e "
        f"FULL OUTER JOIN {CHAIN.name} c ON c.notification_id = e.notification_id "
        f"WHERE COALESCE(e.notification_id, c.notification_id) > ? "
        f"ORDER BY COALESCE(e.notification_id, c.notification_id) LIMIT ?"
    )
    while rows := store.query(select, (after, PAGE)):
        for r in rows:
            event = None if r["event"] is None else (
                r["originator_id"], int(r["originator_version"]), r["topic"], bytes(r["state"]))
            yield int(r["position"]), event, None if r["link"] is None else bytes(r["link"])
        after = int(rows[-1]["position"])


def verify(rows: Iterator[tuple[int, tuple | None, bytes | None]],
           progress: Callable[[int], None] | None = None) -> Verdict:
    """Recomputes every link from the first and compares it with the stored one."""
    previous, verified, head = GENESIS, 0, 0
    pending: list[tuple[int, tuple | None, bytes | None]] = []
    for item in rows:
        position, event, stored = item
        if event is None:
            return Verdict(False, verified, head, previous.hex(), position, "missing",
                           "a linked event is no longer in the history (deleted)")
        if stored is None:
            return Verdict(False, verified, head, previous.hex(), position, "inserted",
                           "an event that was never linked into the history (forged or added past the recorder)")
        expected = link(previous, *event)
        if expected != stored:
            pending.append(item)
            return _mismatch(previous, verified, head, item, rows)
        previous, verified, head = stored, verified + 1, position
        if progress and verified % PAGE == 0:
            progress(verified)
    return Verdict(True, verified, head, previous.hex())


def _mismatch(previous: bytes, verified: int, head: int, item: tuple, rows: Iterator) -> Verdict:
    """Changed, or reordered: the row at this position is one that belongs further on."""
    position, event, stored = item
    following = next(rows, None)
    if following is not None and following[1] is not None and following[2] is not None:
        # two rows swapped: this row's content fits the next position's link, after the next row's
        moved = link(link(previous, *following[1]), *event)
        if link(previous, *following[1]) == stored or moved == following[2]:
            return Verdict(False, verified, head, previous.hex(), position, "reordered",
                           "events are out of the order they were recorded in")
    return Verdict(False, verified, head, previous.hex(), position, "changed",
                   "the event stored here is not the one that was recorded")
