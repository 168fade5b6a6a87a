"""A writer killed with SIGKILL in the middle of a transaction leaves no event without its link and
no link without its event: the link is written in the same transaction as the events (real
processes, SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

from eventsourcing.persistence import StoredEvent

from api.bootstrap import build_app
from domain import Actor, Role
from chain_support import connect, expected_links, stored

WRITER = Path(__file__).with_name("killed_writer.py")


def start(settings, mode: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRELLIS_")} | {
        "TRELLIS_ENVIRONMENT": "development", "TRELLIS_PERSISTENCE": settings.persistence,
        "TRELLIS_DATA_DIR": str(settings.data_dir), "TRELLIS_POSTGRES_DBNAME": settings.postgres_dbname,
        "TRELLIS_POSTGRES_HOST": settings.postgres_host, "TRELLIS_POSTGRES_PORT": str(settings.postgres_port),
        "TRELLIS_POSTGRES_USER": settings.postgres_user,
        "PYTHONPATH": os.pathsep.join([str(Path.cwd() / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.Popen([sys.executable, str(WRITER), mode], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for(writer: subprocess.Popen, line: str) -> None:
    got = writer.stdout.readline().strip()
    assert got == line, (got, writer.stderr.read() if writer.poll() is not None else "")


def kill(writer: subprocess.Popen) -> None:
    writer.send_signal(signal.SIGKILL)
    assert writer.wait(timeout=30) == -signal.SIGKILL


def whole(settings) -> dict:
    """Every event has its link and every link its event, each the formula over the row as stored."""
    events, links = stored(settings)
    assert set(links) == set(events)
    assert links == expected_links(events)
    return events


def still_writes_and_verifies(settings) -> None:
    app = build_app(settings)
    try:
        app.recorder.insert_events([StoredEvent(uuid4(), 1, "tests.chain:After", b"after")])
        found = app.verify_history(Actor("tests", Role.AUDITOR))
    finally:
        app.close()
    assert found.ok, found


class TestAWriterKilledMidTransaction:
    def test_between_its_insert_and_its_links_leaves_neither(self, store):
        before = whole(store)
        writer = start(store, "between")
        wait_for(writer, "between")  # its 50 events are inserted, their links not yet, the transaction open
        if store.persistence == "postgres":
            with connect(store) as connection:
                (state,) = connection.execute("SELECT state FROM pg_stat_activity WHERE datname = %s AND "
                                              "state LIKE 'idle in transaction%%'", (store.postgres_dbname,)).fetchone()
            assert state.startswith("idle in transaction")
        kill(writer)
        assert whole(store) == before
        still_writes_and_verifies(store)

    def test_at_random_moments_of_a_stream_of_writes_leaves_the_chain_whole(self, store):
        rng = random.Random(7)
        for _ in range(5):
            writer = start(store, "loop")
            wait_for(writer, "ready")
            for _ in range(rng.randint(1, 20)):
                wait_for(writer, "written")
            kill(writer)  # somewhere in a write: before it, in it, or between two
            whole(store)
        assert len(whole(store)) > 5
        still_writes_and_verifies(store)
