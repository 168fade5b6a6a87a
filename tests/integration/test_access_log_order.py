"""Paging the access log by entry number never passes an entry still to commit. Several
processes append to it at once on PostgreSQL; an entry numbered before another but committed
after it would be skipped for good by a reader who had already paged past the later one. So
entries commit in the order they are numbered: here one append is held inside its
transaction (a trigger of the test's own waits on a lock the test holds) while a second is
made, and a reader pages between the two commits. (SQLite has one writer at a time.)"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import uuid4

import psycopg
import pytest

from api.bootstrap import build_app
from api.persistence.access_log import AccessEntry, AccessQuery

TABLE = "trellis_access_log"
HELD = 734_201  # the advisory lock the held append waits on


def _connect(settings) -> psycopg.Connection:
    return psycopg.connect(host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
                           dbname=settings.postgres_dbname, autocommit=True)


def _until(condition: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    """Waits on something the database shows (a lock waited for, a thread finished)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.005)


def _entry(reader: str) -> AccessEntry:
    return AccessEntry(datetime.now(UTC), reader, "auditor", "GET /cases/{case_id}", "case", str(uuid4()))


def test_an_entry_numbered_later_commits_after_one_numbered_before_it(pg_settings):
    app = build_app(pg_settings)
    slow, fast = f"slow-{uuid4().hex}", f"fast-{uuid4().hex}"
    trigger = f"test_hold_{uuid4().hex[:12]}"
    with _connect(pg_settings) as admin, _connect(pg_settings) as holder:
        admin.execute(f"CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                      f"PERFORM pg_advisory_xact_lock({HELD}); RETURN NEW; END $$")
        admin.execute(f"CREATE TRIGGER {trigger} AFTER INSERT ON {TABLE} FOR EACH ROW "
                      f"WHEN (NEW.reader_id = '{slow}') EXECUTE FUNCTION {trigger}()")
        try:
            before = admin.execute(f"SELECT COALESCE(MAX(entry), 0) FROM {TABLE}").fetchone()[0]
            holder.execute("SELECT pg_advisory_lock(%s)", (HELD,))
            appends = {who: threading.Thread(target=app.access_log.append, args=([_entry(who)],), daemon=True)
                       for who in (slow, fast)}

            appends[slow].start()  # numbered, and held before its commit
            _until(lambda: admin.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                         "AND objid = %s AND NOT granted", (HELD,)).fetchone()[0] == 1,
                   "the first append to be held inside its transaction")
            appends[fast].start()
            _until(lambda: not appends[fast].is_alive() or admin.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'relation' AND relation = %s::regclass "
                "AND NOT granted", (TABLE,)).fetchone()[0] == 1,
                "the second append to commit or to wait")

            ours = {slow, fast}
            first_page = [e for e in app.access_log.entries(AccessQuery(after=before, limit=1000)) if e.reader_id in ours]
            paged_to = max([before, *(e.entry for e in first_page)])
            holder.execute("SELECT pg_advisory_unlock(%s)", (HELD,))
            for thread in appends.values():
                thread.join(timeout=20)
                assert not thread.is_alive()
            next_page = [e for e in app.access_log.entries(AccessQuery(after=paged_to, limit=1000)) if e.reader_id in ours]
        finally:
            admin.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {TABLE}")
            admin.execute(f"DROP FUNCTION IF EXISTS {trigger}()")
            app.close()

    assert first_page == []  # the second append waited for the first to commit
    assert [e.reader_id for e in first_page + next_page] == [slow, fast]  # both found, in their order
