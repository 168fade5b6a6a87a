"""The hash chain over every stored event: what makes the history tamper-evident.

Each event's link commits to the previous link and to the event's row as stored — its
originator id, version, topic and state bytes (ciphertext, never plaintext, so destroying a
key changes nothing here and the chain verifies before and after any erasure):

    link = SHA-256(previous link ‖ originator id (16 bytes) ‖ version (8, big-endian, signed)
                   ‖ len(topic) (4, big-endian) ‖ topic (UTF-8) ‖ len(state) (4, big-endian) ‖ state)

starting from 32 zero bytes. Links are written by the recorders in the same transaction as
the events (the table lock every write takes orders them), in notification order, into
`trellis_chain`; a write that fails writes no link. PostgreSQL computes them with its own
`sha256`: a write of one event (most writes) in its INSERT's own statement, or in one more
statement after the link stored before it; a write of several in one statement that walks
the rows this transaction inserted by the index (n events, n index steps). SQLite, which has
no SHA-256, in Python on the same cursor. A history written before the chain existed is linked once by
`chain_history.create_chain` (`trellis db init`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from projections.sql import Table

GENESIS = bytes(32)
CHAIN = Table("trellis_chain", {"notification_id": "BIGINT NOT NULL", "link": "BLOB NOT NULL"}, ("notification_id",))


def payload(originator_id: UUID | str | bytes, version: int, topic: str | bytes, state: bytes) -> bytes:
    """What a link hashes after the previous link: the event's row, length-prefixed."""
    topic_bytes = topic.encode() if isinstance(topic, str) else bytes(topic)
    return b"".join((
        _uuid_bytes(originator_id), int(version).to_bytes(8, "big", signed=True),
        len(topic_bytes).to_bytes(4, "big"), topic_bytes, len(state).to_bytes(4, "big"), bytes(state),
    ))


def link(previous: bytes, originator_id: UUID | str | bytes, version: int, topic: str | bytes, state: bytes) -> bytes:
    return hashlib.sha256(previous + payload(originator_id, version, topic, state)).digest()


def _uuid_bytes(value: UUID | str | bytes) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, UUID):
        return value.bytes
    return bytes.fromhex(value) if len(value) == 32 else UUID(value).bytes


# -- PostgreSQL ---------------------------------------------------------------------------------
def postgres_payload(alias: str) -> str:
    """`payload` as a PostgreSQL expression over the events row `alias`."""
    return postgres_payload_of(f"{alias}.originator_id", f"{alias}.originator_version", f"{alias}.topic", f"{alias}.state")


def postgres_payload_of(originator_id: str, version: str, topic: str, state: str) -> str:
    """`payload` as a PostgreSQL expression over four expressions (columns or parameters)."""
    topic = f"convert_to({topic}, 'UTF8')"
    return (
        f"uuid_send({originator_id}) || int8send({version}::bigint) "
        f"|| int4send(octet_length({topic})) || {topic} || int4send(octet_length({state})) || {state}"
    )


def _sequence(events: str) -> str:
    return f"pg_get_serial_sequence('{events.replace(chr(39), chr(39) * 2)}', 'notification_id')::regclass"


def postgres_link_one(events: str, chain: str) -> str:
    """The statement that links the one event this transaction has just inserted: the row at the
    sequence's last value in this session (an init plan, so the index finds it), after the
    link stored before it. Far cheaper to plan and run than the walk below."""
    return (
        f"INSERT INTO {chain} (notification_id, link) SELECT e.notification_id, sha256(COALESCE((SELECT link "
        f"FROM {chain} WHERE notification_id < e.notification_id ORDER BY notification_id DESC LIMIT 1), "
        f"'\\x{GENESIS.hex()}'::bytea) || {postgres_payload('e')}) "
        f"FROM {events} e WHERE e.notification_id = (SELECT currval({_sequence(events)}))"
    )


def postgres_link_returned(chain: str, payload: str, returned: str = "new") -> str:
    """A data-modifying CTE that links the one event an INSERT … RETURNING notification_id (the
    CTE `returned`) has just inserted, whose row is `payload` (an expression over the INSERT's
    own values, so the row need not be returned): the same link as `postgres_link_one`, in
    the INSERT's own statement."""
    return (
        f"linked AS (INSERT INTO {chain} (notification_id, link) SELECT r.notification_id, sha256(COALESCE("
        f"(SELECT link FROM {chain} WHERE notification_id < r.notification_id ORDER BY notification_id DESC LIMIT 1), "
        f"'\\x{GENESIS.hex()}'::bytea) || {payload}) FROM {returned} r)"
    )


def postgres_link_written(events: str, chain: str) -> tuple[str, str]:
    """The statement that links the `n` events this transaction has just inserted (one INSERT,
    under the table lock: their ids are the sequence's last `n`), in notification order, as
    its head and tail around `n`. The walk starts just before the first of them, from the
    link stored there (GENESIS if none), and finds each next one by the notification-id index
    (`xmin` tells this transaction's rows from any another left unlinked). A link already
    stored at one of their positions makes the INSERT fail, and the events with it."""
    head = f"WITH RECURSIVE start (at) AS (SELECT currval({_sequence(events)}) - "
    tail = (
        f"), walk (n, notification_id, link) AS ("
        f"SELECT 0, start.at, COALESCE((SELECT link FROM {chain} WHERE notification_id <= start.at "
        f"ORDER BY notification_id DESC LIMIT 1), '\\x{GENESIS.hex()}'::bytea) FROM start "
        f"UNION ALL SELECT w.n + 1, e.notification_id, sha256(w.link || {postgres_payload('e')}) "
        f"FROM walk w CROSS JOIN LATERAL (SELECT * FROM {events} e WHERE e.notification_id > w.notification_id "
        f"AND e.xmin = pg_current_xact_id()::xid ORDER BY e.notification_id LIMIT 1) e) "
        f"INSERT INTO {chain} (notification_id, link) SELECT notification_id, link FROM walk WHERE n > 0"
    )
    return head, tail


# -- SQLite ----------------------------------------------------------------------------------------
def sqlite_chain(cursor: Any, rows: Iterable[tuple[int, Any, int, str, bytes]]) -> None:
    """Links `rows` (notification id, originator id, version, topic, state), just inserted on
    `cursor`'s transaction, from the link stored before the first of them."""
    rows = sorted(rows, key=lambda row: row[0])
    if not rows:
        return
    cursor.execute(f"SELECT link FROM {CHAIN.name} WHERE notification_id < ? ORDER BY notification_id DESC LIMIT 1",
                   (rows[0][0],))
    found = cursor.fetchone()
    previous = bytes(found[0]) if found else GENESIS
    links = []
    for notification_id, originator_id, version, topic, state in rows:
        previous = link(previous, originator_id, version, topic, state)
        links.append((notification_id, previous))
    cursor.executemany(f"INSERT INTO {CHAIN.name} (notification_id, link) VALUES (?, ?)", links)
