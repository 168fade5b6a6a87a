"""Wakes the runner when PostgreSQL announces new events (LISTEN on the library's channel).

The library's insert sends NOTIFY on the events table's channel in the same transaction.
A lost notification only delays the runner until its next poll. The listener holds its
own connection, so it never takes one from the application's pool.

The library's `PostgresSubscription` listens on the same channel, but it yields one
notification at a time to one consumer; the runner needs only to be woken, then reads a
whole batch for every read model itself (see `projections.runner`).
"""

from __future__ import annotations

import threading
from typing import Any

import psycopg
import structlog
from psycopg import sql

log = structlog.get_logger("trellis.projections")


class Listener:
    def __init__(self, store: Any, recorder: Any, wakeup: threading.Event, retry_seconds: float = 1.0) -> None:
        self._params = dict(store.datastore.pool.kwargs)
        self._params.pop("row_factory", None)
        self._channel = recorder.channel_name
        self._wakeup = wakeup
        self._retry = retry_seconds
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="trellis-projections-listen", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(autocommit=True, **self._params) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
                    self._wakeup.set()  # anything recorded before LISTEN is read by the next step
                    while not self._stopping.is_set():
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            self._wakeup.set()
            except psycopg.Error as error:
                log.warning("projections_listen_failed", error=type(error).__name__)
                self._stopping.wait(self._retry)

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
