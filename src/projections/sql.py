"""The one dual-dialect SQL helper: every table of ours beside the events uses it.

Read models, the key table and the idempotency records all run on the `eventsourcing`
library's own datastore (a SQLite file or a PostgreSQL pool), in its transactions. SQL is
written once, with `?` placeholders and portable column types (`BLOB`, `TIMESTAMP`, TEXT,
BIGINT, INTEGER); this module alone knows how each database spells them. Rows come back as
plain dicts.
"""

from __future__ import annotations

import functools

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

BULK_ROWS = 200
# portable type → (PostgreSQL, SQLite)
TYPES = {"BLOB": ("BYTEA", "BLOB"), "TIMESTAMP": ("TIMESTAMP WITH TIME ZONE", "TEXT")}
_TYPE = re.compile(r"\b(BLOB|TIMESTAMP)\b")


@dataclass(frozen=True)
class Table:
    """A table of ours: its columns (name → portable SQL type), primary key and indexes."""

    name: str
    columns: dict[str, str]
    key: tuple[str, ...]
    indexes: tuple[tuple[str, ...], ...] = field(default=())

    def named(self, suffix: str) -> str:
        return self.name + suffix

    def create_sql(self, suffix: str = "") -> str:
        cols = ", ".join(f"{c} {t}" for c, t in self.columns.items())
        return f"CREATE TABLE IF NOT EXISTS {self.named(suffix)} ({cols}, PRIMARY KEY ({', '.join(self.key)}))"

    def index_sql(self, suffix: str = "") -> list[str]:
        return [
            f"CREATE INDEX IF NOT EXISTS ix_{self.name}_{'_'.join(cols)} ON {self.named(suffix)} ({', '.join(cols)})"
            for cols in self.indexes
        ]

    def upsert_sql(self, columns: Sequence[str], suffix: str = "") -> str:
        values = ", ".join("?" for _ in columns)
        return f"INSERT INTO {self.named(suffix)} ({', '.join(columns)}) VALUES ({values}) {self.on_conflict(columns)}"

    def on_conflict(self, columns: Sequence[str]) -> str:
        """The upsert's tail: a row that exists takes the new values of `columns`."""
        unknown = set(columns) - set(self.columns)
        if unknown or not set(self.key) <= set(columns):
            raise ValueError(f"{self.name}: bad columns {sorted(unknown) or sorted(self.key)}")
        head = f"ON CONFLICT ({', '.join(self.key)})"
        updates = [c for c in columns if c not in self.key]
        if not updates:
            return head + " DO NOTHING"
        return head + " DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updates)


@functools.lru_cache(maxsize=4096)
def _dialect(sql: str, postgres: bool) -> str:
    """A statement with portable types and `?` placeholders in the database's own dialect
    (each distinct statement translated once)."""
    if not postgres:
        return _TYPE.sub(lambda m: TYPES[m.group(1)][1], sql)
    return _TYPE.sub(lambda m: TYPES[m.group(1)][0], sql).replace("?", "%s")


class Cursor:
    """A thin cursor: `?` placeholders and portable types on both databases, dicts back."""

    def __init__(self, raw: Any, postgres: bool) -> None:
        self._raw = raw
        self._postgres = postgres

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        self._raw.execute(_dialect(sql, self._postgres), tuple(params))
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._raw.executemany(_dialect(sql, self._postgres), rows)

    @property
    def rowcount(self) -> int:
        """Rows the last statement changed (the library wraps SQLite's cursor)."""
        return getattr(self._raw, "sqlite_cursor", self._raw).rowcount

    def create(self, table: Table, suffix: str = "", indexes: bool = True) -> None:
        self.execute(table.create_sql(suffix))
        for statement in table.index_sql(suffix) if indexes else ():
            self.execute(statement)

    def upsert(self, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]], suffix: str = "") -> None:
        """Many rows at once: COPY into a temporary table and one INSERT … SELECT on
        PostgreSQL when there are many, `executemany` otherwise (and always on SQLite)."""
        if not self._postgres or len(rows) < BULK_ROWS:
            self.executemany(table.upsert_sql(columns, suffix), rows)
            return
        target, cols = table.named(suffix), ", ".join(columns)
        temp = f"bulk_{target}"
        self._raw.execute(f"CREATE TEMPORARY TABLE {temp} (LIKE {target}) ON COMMIT DROP")
        with self._raw.copy(f"COPY {temp} ({cols}) FROM STDIN") as copy:
            for values in rows:
                copy.write_row(values)
        self._raw.execute(f"INSERT INTO {target} ({cols}) SELECT {cols} FROM {temp} {table.on_conflict(columns)}")
        self._raw.execute(f"DROP TABLE {temp}")

    def fetchall(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._raw.fetchall()]

    def fetchone(self) -> dict[str, Any] | None:
        row = self._raw.fetchone()
        return None if row is None else dict(row)


class Store:
    """Transactions on the application's own datastore (SQLite file or PostgreSQL pool)."""

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore
        self.postgres = type(datastore).__module__.endswith("postgres")

    @classmethod
    def of(cls, recorder: Any) -> Store:
        """The store beside a recorder's events; in-memory persistence has none."""
        store = cls.beside(recorder)
        if store is None:
            from domain.errors import Invalid

            raise Invalid("read models are kept in SQLite or PostgreSQL, not in memory")
        return store

    @classmethod
    def beside(cls, holder: Any) -> Store | None:
        """The store of a recorder's or an infrastructure factory's datastore, or None in memory."""
        datastore = getattr(holder, "datastore", None)
        return None if datastore is None else cls(datastore)

    @contextmanager
    def transaction(self, commit: bool = True, secure_delete: bool = False) -> Iterator[Cursor]:
        """`secure_delete`: what the transaction deletes or overwrites is zeroed in the SQLite
        file rather than left in free space (PostgreSQL: see `scrub`)."""
        with self.datastore.transaction(commit=commit) as raw:
            cursor = Cursor(raw, self.postgres)
            if secure_delete and not self.postgres:
                cursor.execute("PRAGMA secure_delete = ON")
            yield cursor

    def scrub(self, *tables: str) -> None:
        """After deleting data for good: SQLite copies the write-ahead log into the file and
        truncates it (so no old page survives in the log); PostgreSQL vacuums the tables (so no
        old version of a row survives in them)."""
        if self.postgres:
            with self.datastore.get_connection() as conn:
                for table in tables:
                    conn.execute(f"VACUUM {table}")
            return
        with self.datastore.get_connection(commit=True) as conn:
            conn.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def notify(self, cursor: Cursor, channel: str, payloads: Sequence[str]) -> None:
        """PostgreSQL: tells every listening process, when the transaction commits (in payloads
        of at most 7,000 bytes). SQLite serves one process and has no notifications."""
        if not self.postgres:
            return
        chunk: list[str] = []
        for payload in [*payloads, None]:
            if payload is None or sum(len(p) + 1 for p in chunk) + len(payload) > 7000:
                if chunk:
                    cursor.execute("SELECT pg_notify(?, ?)", (channel, "\n".join(chunk)))
                chunk = []
            if payload is not None:
                chunk.append(payload)

    def query(self, sql: str, params: Sequence[Any] = (), commit: bool = False) -> list[dict[str, Any]]:
        """One statement's rows (`commit`: a statement that writes, as INSERT … RETURNING)."""
        with self._statement(commit=commit) as cursor:
            return cursor.execute(sql, params).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One statement in its own transaction; returns the rows it changed."""
        with self._statement(commit=True) as cursor:
            return cursor.execute(sql, params).rowcount

    @contextmanager
    def _statement(self, commit: bool) -> Iterator[Cursor]:
        """Where one statement runs as its own transaction. PostgreSQL: on a pooled connection
        in autocommit mode, one round trip (no BEGIN and COMMIT of their own)."""
        if not self.postgres:
            with self.transaction(commit=commit) as cursor:
                yield cursor
            return
        with self.datastore.get_connection() as conn, conn.cursor() as raw:
            yield Cursor(raw, True)

    def create(self, *tables: Table, replace_if_reshaped: bool = False) -> None:
        """Creates the tables that are missing. `replace_if_reshaped`: a table of derived or
        short-lived rows whose columns differ from these is dropped and made afresh."""
        reshaped = [t for t in tables if replace_if_reshaped and (found := self.columns(t.name)) and found != set(t.columns)]
        with self.transaction() as cursor:
            for table in reshaped:
                cursor.execute(f"DROP TABLE {table.name}")
            for table in tables:
                cursor.create(table)

    def columns(self, table: str) -> set[str]:
        """The columns a table has in the database (empty if there is no such table)."""
        if self.postgres:
            sql = "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() " \
                  "AND table_name = ?"
            return {row["name"] for row in self.query(sql, (table,))}
        return {row["name"] for row in self.query("SELECT name FROM pragma_table_info(?)", (table,))}

    def table_names(self) -> set[str]:
        if self.postgres:
            sql = "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        return {row["name"] for row in self.query(sql)}
