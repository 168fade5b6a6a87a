"""Listens on a PostgreSQL channel in a thread of its own, and calls back on each notification.

The runner listens on the library's channel (every insert sends NOTIFY in its transaction)
to wake between polls; a lost notification only delays it until its next poll. Every
process listens for destroyed keys, to drop them from its caches. The listener holds its
own connection, so it never takes one from the application's pool.

The library's `PostgresSubscription` listens on the same channel, but it yields one
notification at a time to one consumer; the runner needs only to be woken, then reads a
whole batch for every read model itself (see `projections.runner`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import psycopg
import structlog
from psycopg import sql

log = structlog.get_logger("trellis.projections")


class Listener:
    def __init__(
        self, datastore: Any, channel: str, on_notify: Callable[[str | None], None], retry_seconds: float = 1.0,
    ) -> None:
        """`on_notify(payload)` for each notification, and `on_notify(None)` once listening
        (anything sent before then is the caller's to catch up on)."""
        self._params = dict(datastore.pool.kwargs)
        self._params.pop("row_factory", None)
        self._channel = channel
        self._on_notify = on_notify
        self._retry = retry_seconds
        self._stopping = threading.Event()
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"trellis-listen-{channel}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(autocommit=True, **self._params) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
                    self.listening.set()
                    self._on_notify(None)
                    while not self._stopping.is_set():
                        for notification in conn.notifies(timeout=0.5, stop_after=1):
                            self._on_notify(notification.payload)
            except psycopg.Error as error:
                self.listening.clear()
                log.warning("listen_failed", channel=self._channel, error=type(error).__name__)
                self._stopping.wait(self._retry)

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
