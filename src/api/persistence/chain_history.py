"""Reading the history for the hash chain: the events and their stored links, a page at a time,
in notification order, on one transaction (never the whole history at once).

`snapshot(store, events_table)` opens a read-only transaction that sees one moment of the
history (PostgreSQL: REPEATABLE READ, so a write committed half-way through a verification
is not half seen; SQLite: one read transaction). `History.pages(after)` answers `Page`s that
each cover a range of positions completely — every event and every link in it — so a row
missing on one side is seen. On PostgreSQL each event arrives as its link payload, built by
the same expression the recorders link with; on SQLite the payload is built here.
`create_chain` creates the chain's table and links a history recorded before the chain
existed (`trellis db init`).
"""

from __future__ import annotations

import hashlib
import queue
import threading
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from api.persistence.chain import CHAIN, GENESIS, payload, postgres_payload
from api.persistence.chain_stream import copy_statement
from projections.sql import Cursor

PAGE = 5000
FIRST = -(2**63)  # before any position: a row put below the first event is read too
UNREADABLE = b"\xff unreadable "  # begins a payload no link was computed over (a row no recorder writes)
UNREADABLE_SQL = "\\x" + UNREADABLE.hex()
RECORDED_TYPES = "textintegertextblob"  # SQLite's typeof of originator id, version, topic, state as recorded


@dataclass(frozen=True)
class Page:
    """Positions `after` < p ≤ `last`: the events there (with their payloads) and the stored
    links there (32 bytes each, concatenated), both in notification order."""

    after: int
    last: int
    positions: list[int]
    payloads: list[bytes]
    linked: list[int]
    links: bytes


def events_table(recorder: Any) -> str:
    """The recorder's events table as SQL: schema-qualified on PostgreSQL."""
    name = recorder.events_table_name
    schema = getattr(recorder.datastore, "schema", None)
    if schema is None:
        return name
    return SQL("{}.{}").format(Identifier(schema), Identifier(name)).as_string(None)


class History:
    def __init__(self, raw: Any, postgres: bool, events: str, page: int = PAGE,
                 connect: dict[str, Any] | None = None) -> None:
        """`raw`: a cursor of the datastore's own (psycopg, or the library's SQLite cursor).
        `connect`: how another process reaches the same PostgreSQL database, given only for a
        read-only snapshot (`snapshot`), whose moment other connections can then share."""
        self.postgres, self.events, self.page, self.connect = postgres, events, page, connect
        self._cursor = raw.connection.cursor(row_factory=tuple_row, binary=True) if postgres else raw
        self._mark = "%s" if postgres else "?"

    def pages(self, after: int = FIRST) -> Iterator[Page]:
        while True:
            positions, payloads = self.events_after(after)
            linked, links = self._links_after(after)
            if not positions and not linked:
                return
            full = [side[-1] for side in (positions, linked) if len(side) == self.page]
            last = min(full) if full else max(positions[-1:] + linked[-1:])
            cut, cut_links = bisect_right(positions, last), bisect_right(linked, last)
            yield Page(after, last, positions[:cut], payloads[:cut], linked[:cut_links], links[:32 * cut_links])
            after = last

    def events_after(self, after: int) -> tuple[list[int], list[bytes]]:
        if self.postgres:
            sql = (f"SELECT notification_id, COALESCE({postgres_payload('e')}, '{UNREADABLE_SQL}'::bytea) "
                   f"FROM {self.events} e "
                   f"WHERE notification_id > %s ORDER BY notification_id LIMIT %s")
            rows = self._cursor.execute(sql, (after, self.page), binary=True).fetchall()
            positions, payloads = zip(*rows) if rows else ((), ())
            return list(positions), list(payloads)
        sql = (f"SELECT rowid, typeof(originator_id) || typeof(originator_version) || typeof(topic) || typeof(state), "
               f"CAST(originator_id AS BLOB), originator_version, CAST(topic AS BLOB), CAST(state AS BLOB) "
               f"FROM {self.events} WHERE rowid > ? ORDER BY rowid LIMIT ?")
        rows = self._query(sql, (after, self.page))
        return [r[0] for r in rows], [sqlite_payload(*r[1:]) for r in rows]

    def _links_after(self, after: int) -> tuple[list[int], bytes]:
        rows = self._query(f"SELECT notification_id, link FROM {CHAIN.name} WHERE notification_id > {self._mark} "
                           f"ORDER BY notification_id LIMIT {self._mark}", (after, self.page))
        return [r[0] for r in rows], b"".join(bytes(r[1]) for r in rows)

    def link_at(self, position: int) -> bytes | None:
        """The stored link at `position` (GENESIS before the first), or None if there is none."""
        if position == 0:
            return GENESIS
        rows = self._query(f"SELECT link FROM {CHAIN.name} WHERE notification_id = {self._mark}", (position,))
        return bytes(rows[0][0]) if rows else None

    def head(self) -> tuple[int, bytes]:
        """The last stored link and its position (0 and GENESIS for an empty chain)."""
        rows = self._query(f"SELECT notification_id, link FROM {CHAIN.name} ORDER BY notification_id DESC LIMIT 1", ())
        return (int(rows[0][0]), bytes(rows[0][1])) if rows else (0, GENESIS)

    def last_position(self) -> int:
        """The highest position of an event or a link."""
        column = "notification_id" if self.postgres else "rowid"
        rows = self._query(f"SELECT max({column}) FROM {self.events}", ())
        return max(int(rows[0][0] or 0), self.head()[0])

    def _query(self, sql: str, params: tuple) -> list[Any]:
        self._cursor.execute(sql, params)
        return list(self._cursor.fetchall())

    # -- PostgreSQL: what the streamed verification (chain_stream) asks -----------------------------
    @property
    def connection(self) -> Any:
        return self._cursor.connection

    def copy_statement(self, after: int, until: int) -> bytes:
        """The COPY that streams positions `after` < p ≤ `until` (see `chain_stream`)."""
        return copy_statement(self.events, CHAIN.name, after, until)

    def events_before(self, position: int, after: int, n: int) -> list[int]:
        """The positions of the (up to) `n` events before `position` and after `after`, latest first."""
        rows = self._query(f"SELECT notification_id FROM {self.events} WHERE notification_id < %s "
                           f"AND notification_id > %s ORDER BY notification_id DESC LIMIT %s", (position, after, n))
        return [int(r[0]) for r in rows]

    def linked_event_at_or_before(self, position: int, after: int) -> tuple[int, bytes] | None:
        """The last event after `after` and at or before `position` that has a stored link, with it."""
        rows = self._query(f"SELECT e.notification_id, c.link FROM {self.events} e JOIN {CHAIN.name} c "
                           f"ON c.notification_id = e.notification_id WHERE e.notification_id <= %s "
                           f"AND e.notification_id > %s ORDER BY e.notification_id DESC LIMIT 1", (position, after))
        return (int(rows[0][0]), bytes(rows[0][1])) if rows else None

    def count(self, table: str, after: int, until: int) -> int:
        """Rows of the events (`events`) or the links (`links`) at positions `after` < p ≤ `until`."""
        name = self.events if table == "events" else CHAIN.name
        rows = self._query(f"SELECT count(*) FROM {name} WHERE notification_id > %s AND notification_id <= %s",
                           (after, until))
        return int(rows[0][0])

    def marked(self, positions: list[int]) -> dict[int, bytes]:
        """The stored link at each of `positions` that holds both an event and a link."""
        if not positions:
            return {}
        rows = self._query(f"SELECT c.notification_id, c.link FROM {CHAIN.name} c JOIN {self.events} e "
                           f"ON e.notification_id = c.notification_id WHERE c.notification_id = ANY(%s)",
                           (positions,))
        return {int(r[0]): bytes(r[1]) for r in rows}

    def exported_snapshot(self) -> str | None:
        """An id under which other connections see exactly this history (None unless it is a
        read-only snapshot that other processes can reach)."""
        if not self.postgres or self.connect is None:
            return None
        return str(self._query("SELECT pg_export_snapshot()", ())[0][0])


def sqlite_payload(types: str, originator: bytes | None, version: Any, topic: bytes | None,
                   state: bytes | None) -> bytes:
    """`payload` over an SQLite row read as bytes (the originator id as its 32 hex digits, the
    topic as its UTF-8), whose columns have the types the recorder writes (`types`: SQLite's
    `typeof` of each, run together). Any other value (SQLite keeps whatever it is given) makes a
    payload no link was computed over, so the row is found changed — never an error here."""
    try:
        if not (types == RECORDED_TYPES and isinstance(originator, bytes) and len(originator) == 32
                and isinstance(version, int) and isinstance(topic, bytes) and isinstance(state, bytes)):
            raise ValueError("not a row a recorder writes")
        return payload(bytes.fromhex(originator.decode("ascii")), version, topic, state)
    except (ValueError, OverflowError):
        return UNREADABLE + repr((originator, version, topic, state)).encode()


@contextmanager
def snapshot(store: Any, events: str) -> Iterator[History]:
    """A read-only transaction that sees one moment of the history."""
    if store.postgres:
        with store.datastore.get_connection() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # A long read compiles nothing, and may wait on its helpers (chain_scan) longer than the
            # pool's idle limit; it ends with the block, or with this process.
            conn.execute("SET LOCAL jit = off")
            conn.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
            yield History(conn.cursor(), True, events, connect=connect_kwargs(store))
        return
    with store.datastore.transaction(commit=False) as raw:
        yield History(raw, False, events)


def connect_kwargs(store: Any) -> dict[str, Any]:
    """How the store's PostgreSQL pool connects (host, port, database, user, password)."""
    kwargs = dict(store.datastore.pool.kwargs)
    return {name: kwargs[name] for name in ("host", "port", "dbname", "user", "password") if name in kwargs}


@contextmanager
def ahead(pages: Iterator[Page], depth: int = 2) -> Iterator[Iterator[Page]]:
    """The pages, read `depth` ahead in a thread while the caller works on the one in hand (the
    database answers the next query meanwhile). Only that thread touches the cursor until
    the block ends."""
    reader = _Ahead(pages, depth)
    try:
        yield iter(reader)
    finally:
        reader.close()


class _Ahead:
    _END = object()

    def __init__(self, pages: Iterator[Page], depth: int) -> None:
        self._queue: queue.Queue[Any] = queue.Queue(depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(pages,), name="trellis-chain-pages", daemon=True)
        self._thread.start()

    def _read(self, pages: Iterator[Page]) -> None:
        try:
            for page in pages:
                if not self._put(page):
                    return
            self._put(self._END)
        except BaseException as error:  # handed to the reader, which raises it
            self._put(error)

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator[Page]:
        while (item := self._queue.get()) is not self._END:
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def create_chain(store: Any, events: str) -> int:
    """Creates the chain's table if it is missing and links every event of a history recorded
    before the chain existed: in one transaction that holds the events table's write lock,
    and only while the chain is empty (a chain that has begun is never extended over events
    it did not link — that would vouch for rows added behind the recorders' back). Returns
    the number of events it linked: 0 when run again."""
    with store.datastore.transaction(commit=True) as raw:
        if store.postgres:
            raw.execute(f"LOCK TABLE {events} IN EXCLUSIVE MODE")
        Cursor(raw, store.postgres).create(CHAIN)
        if not store.postgres:
            raw.execute(f"DELETE FROM {CHAIN.name} WHERE notification_id < 0")  # the write lock, before reading
        history = History(raw, store.postgres, events)
        if history.head()[0]:
            return 0
        insert = f"INSERT INTO {CHAIN.name} (notification_id, link) VALUES ({history._mark}, {history._mark})"
        previous, after, linked = GENESIS, FIRST, 0
        while True:
            positions, payloads = history.events_after(after)
            if not positions:
                return linked
            links = []
            for position, row in zip(positions, payloads, strict=True):
                previous = hashlib.sha256(previous + row).digest()
                links.append((position, previous))
            raw.executemany(insert, links)
            after, linked = positions[-1], linked + len(links)
