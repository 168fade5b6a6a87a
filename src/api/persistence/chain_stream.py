"""The hash chain of a PostgreSQL history, streamed: every event's row and its stored link in
notification order, one `COPY` per range, each link recomputed and compared as it arrives.

This is how a history that verifies (nearly always) is verified: no pages and no rows made
into tuples, one hash and one comparison a row. It decides one thing only — that every event
in the range has its stored link, every link its event, and each link is the one recomputed
from the event before. The first row that is anything else stops the stream, and
`chain_verify`'s page walk takes over to say what is wrong and where.

A row as `COPY … (FORMAT binary)` sends it (PostgreSQL's documented format: a 2-byte field
count, then each field as a 4-byte big-endian length and its bytes) holds the event's link
payload as it stands, so nothing is built for it on either side: the fields are the position
(8 bytes), the stored link (32, or a length of -1 where there is none), the originator id and
version sent as one 24-byte field, the topic (UTF-8: the client encoding is set so) and the
state — and the bytes from the id on, each length included but the first, are exactly

    originator id (16) ‖ version (8) ‖ len(topic) (4) ‖ topic ‖ len(state) (4) ‖ state.

That first length must be 24: a missing id or version (a row no recorder writes) would shift
what follows, so a row whose id-and-version field is not 24 bytes long never verifies: nor
does a link without its event (that field NULL, its length -1), nor an event without its link
(the link's length of -1 shifts the rest).

`stream_range` reads on a connection it is given (inside its transaction, so it sees what
that transaction sees); `run_part` does the same on a connection of its own that imports an
exported snapshot — the work of a helper process (`python -m api.persistence.chain_stream`,
its job as JSON on stdin, its answer on stdout), so that two CPUs hash two halves at once.
The rows are read with libpq's own COPY call, not psycopg's generic iterator: the latter
costs more per row than hashing the row does.
"""

from __future__ import annotations

import functools
import hashlib
import json
import select
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import pq

FILE_HEADER = 19  # PGCOPY signature (11), flags (4), header extension length (4)
TRAILER = b"\xff\xff"  # a field count of -1: the end of the data
POSITION = slice(6, 14)
LINK_AND_LENGTH = slice(18, 54)  # the stored link, then the length of the originator id and version
TWENTY_FOUR = (24).to_bytes(4, "big")  # that length, as every row a recorder writes has it
PAYLOAD = 54
PROGRESS_EVERY = 1 << 16  # rows between two progress reports


@dataclass(frozen=True)
class Streamed:
    """What a range's stream found: `rows` events verified in order, the last of them at
    `position` with the link `previous`; `stopped_at`, the position of the first row that did
    not verify (None: every row did)."""

    rows: int
    position: int | None
    previous: bytes
    stopped_at: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "position": self.position, "previous": self.previous.hex(),
                "stopped_at": self.stopped_at}

    @classmethod
    def from_json(cls, found: dict[str, Any]) -> Streamed:
        return cls(found["rows"], found["position"], bytes.fromhex(found["previous"]), found["stopped_at"])


def copy_statement(events: str, chain: str, after: int, until: int) -> bytes:
    """The COPY of positions `after` < p ≤ `until`: every event and every link there, side by side
    — position, stored link, and the row's fields that make its payload (NULL where a row has no
    partner: an event without its link, a link without its event; neither verifies)."""
    between = f"notification_id > {int(after)} AND notification_id <= {int(until)}"
    return (f"COPY (SELECT COALESCE(e.notification_id, c.notification_id), c.link, "
            f"uuid_send(e.originator_id) || int8send(e.originator_version::bigint), e.topic, e.state "
            f"FROM (SELECT notification_id, originator_id, originator_version, topic, state FROM {events} "
            f"WHERE {between}) e "
            f"FULL JOIN (SELECT notification_id, link FROM {chain} WHERE {between}) c "
            f"ON c.notification_id = e.notification_id) TO STDOUT (FORMAT binary)").encode()


# The stream reads both tables in position order, by their indexes, side by side (a merge join):
# whatever the planner's statistics say (a history just loaded has none), never a hash and a sort.
# A merge join gives its rows in the order of its key, the position; the statement asks for no
# order of its own, which for a full join PostgreSQL would meet with a sort of the whole range.
# Rows in any other order could not verify (each link commits to the one before), so at worst
# the walk would decide: the verdict never rests on the order.
IN_ORDER = ("enable_hashjoin", "enable_nestloop", "enable_sort")
SETTINGS = {**{name: "off" for name in IN_ORDER}, "client_encoding": "'UTF8'"}  # the topic as the link hashes it


def stream_range(connection: psycopg.Connection, statement: bytes, previous: bytes,
                 progress: Callable[[int], None] | None = None) -> Streamed:
    """Runs the COPY `statement` on `connection` (in its transaction) and checks every row."""
    for name, value in SETTINGS.items():
        connection.execute(f"SET LOCAL {name} = {value}")
    try:
        return _streamed(connection, statement, previous, progress)
    finally:
        if connection.info.transaction_status != pq.TransactionStatus.INERROR:  # else the error is what counts
            for name in SETTINGS:
                connection.execute(f"RESET {name}")


def _streamed(connection: psycopg.Connection, statement: bytes, previous: bytes,
              progress: Callable[[int], None] | None) -> Streamed:
    with connection.lock:
        pgconn = connection.pgconn
        pgconn.send_query(statement)
        _wait_result(pgconn)
        result = pgconn.get_result()
        if result is None or result.status != pq.ExecStatus.COPY_OUT:
            failed = _message(result, pgconn)
            _results(pgconn)
            raise psycopg.DatabaseError(failed)
        ended = [False]
        try:
            return _check_rows(pgconn, previous, progress, ended)
        finally:
            _finish(pgconn, ended[0])


def _check_rows(pgconn: Any, previous: bytes, progress: Callable[[int], None] | None, ended: list[bool]) -> Streamed:
    """Every row in turn (the loop a verification spends its time in: one hash and one comparison
    a row, and nothing else a row does not need)."""
    sha256, get, rows, last = hashlib.sha256, pgconn.get_copy_data, 0, None
    report = PROGRESS_EVERY if progress else -1
    refill = _refill(pgconn)
    size, row = _first_row(refill)
    while True:
        if size > 0:
            digest = sha256(previous)
            digest.update(row[PAYLOAD:])  # the row's own buffer, not a copy of it joined to the link
            link = digest.digest()
            if row[LINK_AND_LENGTH].tobytes() == link + TWENTY_FOUR:  # bytes: a memoryview compares item by item
                previous, last = link, row
                rows += 1
                if rows == report:
                    report += PROGRESS_EVERY
                    progress(_position(row))  # type: ignore[misc]
            elif bytes(row) != TRAILER:  # no row of ours is as short as the trailer, which ends the data
                return Streamed(rows, _position(last), previous, _position(row))
        elif size == 0:  # no whole row buffered: read on (waiting for the server if need be)
            size, row = refill()
            continue
        else:
            ended[0] = True  # the COPY has ended (-1), or failed (-2: _finish raises)
            return Streamed(rows, _position(last), previous)
        size, row = get(1)


def _first_row(refill: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    """The first message, past the file's header that begins it (the next, if that was all)."""
    size, row = refill()
    if size <= 0:
        return size, row
    rest = memoryview(bytes(row)[FILE_HEADER:])  # as every row after it is
    return (len(rest), rest) if rest else refill()


def _next_row(pgconn: Any) -> tuple[int, Any]:
    """The next message, once one is whole (or the COPY's end)."""
    while (found := pgconn.get_copy_data(1))[0] == 0:
        _wait_data(pgconn)
    return found


def _refill(pgconn: Any) -> Callable[[], tuple[int, Any]]:
    """The next row once one is whole (or the COPY's end): what the socket holds already is read
    first — while the verifier is the slower side, a row nearly always is there — and only when
    it held none is the socket waited on (the GIL released meanwhile). One poller for the whole
    stream: a wait costs a system call, not a new selection."""
    if not hasattr(select, "poll"):  # not on every platform: each wait a new selection
        return functools.partial(_next_row, pgconn)
    poller = select.poll()
    poller.register(pgconn.socket, select.POLLIN)
    consume, get, wait = pgconn.consume_input, pgconn.get_copy_data, poller.poll

    def refill() -> tuple[int, Any]:
        consume()
        found = get(1)
        while found[0] == 0:
            wait()
            consume()
            found = get(1)
        return found
    return refill


def _position(row: Any) -> int | None:
    return None if row is None else int.from_bytes(row[POSITION], "big", signed=True)


def _wait_data(pgconn: Any) -> None:
    select.select([pgconn.socket], [], [])
    pgconn.consume_input()


def _wait_result(pgconn: Any) -> None:
    """Until the next result can be taken without blocking."""
    pgconn.consume_input()
    while pgconn.is_busy():
        _wait_data(pgconn)


def _finish(pgconn: Any, ended: bool) -> None:
    """Reads what is left of the COPY (all of it when the check stopped early: only then is the
    connection usable again) and the results after it; raises if the COPY failed."""
    size = -1
    while not ended and (size := pgconn.get_copy_data(1)[0]) >= 0:
        if size == 0:
            _wait_data(pgconn)
    failed = _results(pgconn)
    if failed is not None or size == -2:
        raise psycopg.DatabaseError(failed or pgconn.error_message.decode(errors="replace").strip())


def _results(pgconn: Any) -> str | None:
    """Takes every result left; the first failure's message, if one failed."""
    failed = None
    while True:
        _wait_result(pgconn)
        result = pgconn.get_result()
        if result is None:
            return failed
        if result.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK) and failed is None:
            failed = _message(result, pgconn)


def _message(result: Any, pgconn: Any) -> str:
    text = result.error_message if result is not None and result.error_message else pgconn.error_message
    return (text or b"the COPY did not start").decode(errors="replace").strip()


# -- a range on a connection of its own (a helper process) ------------------------------------------
def run_part(connect: dict[str, Any], snapshot: str, statement: bytes, previous: bytes) -> Streamed:
    """Streams `statement` on a new connection that sees exactly the exported `snapshot`."""
    with psycopg.connect(**connect, autocommit=False) as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        connection.execute(f"SET TRANSACTION SNAPSHOT {_literal(snapshot)}")  # before any query
        connection.execute("SET LOCAL jit = off")  # a long read compiles nothing
        try:
            return stream_range(connection, statement, previous)
        finally:
            connection.rollback()


def _literal(text: str) -> str:
    if not all(c.isalnum() or c == "-" for c in text):
        raise ValueError("not a snapshot id")
    return f"'{text}'"


def main() -> int:
    """A helper process: one job (JSON on stdin: `connect`, `snapshot`, `statement`, `previous`),
    its `Streamed` (JSON on stdout)."""
    job = json.loads(sys.stdin.read())
    found = run_part(job["connect"], job["snapshot"], job["statement"].encode(), bytes.fromhex(job["previous"]))
    json.dump(found.as_json(), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
