"""What the app reads from and writes to, opened once in the lifespan and closed after it.

The embedded default (SQLite, `run_projections` on) follows the event store with a
projection runner in a background thread. With separate projection workers
(`trellis serve --no-projections`) the API only reads the read models they keep.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from eventsourcing.persistence import PersistenceError
from starlette.concurrency import run_in_threadpool

from api.bootstrap import build_app
from api.checkpointing import CheckpointSchedule
from api.http.problems import NotReady
from api.logging import get_logger
from api.services import Trellis
from api.settings import Settings
from projections.queries import ReadModels
from projections.runner import Runner
from projections.sql import Store

log = get_logger("trellis.http")
UNREADABLE = (PersistenceError, psycopg.Error, sqlite3.Error, OSError)
# How long a read position read from the database (projections in another process) is reused.
POSITION_SECONDS = 0.05


@dataclass
class ReadSide:
    trellis: Trellis
    read_models: Any
    runner: Runner | None
    tracker: Runner | None = None  # reads the tracked positions, running or not

    _known: tuple[int, float] | None = field(default=None, repr=False)  # (position, when read)
    _refreshing: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def read_position(self) -> int | None:
        """The slowest read model's tracked position: every read reflects at least this. Taken
        from memory where it can be (`known_read_position`), else read from the database."""
        known = self.known_read_position()
        return known if known is not None or self.tracker is None else self.refresh_read_position()

    def known_read_position(self) -> int | None:
        """Without a query: the in-process runner's own committed positions; else the last one
        read from the database while under `POSITION_SECONDS` old, or (when another thread is
        reading a newer one) older. Positions only grow, so an older one is still a lower bound:
        it can make a client that waits for its own command ask again, never read too early."""
        if self.runner is not None and (published := self.runner.published()) is not None:
            return published
        known = self._known
        if known is None:
            return None
        position, read_at = known
        if time.monotonic() - read_at < POSITION_SECONDS or self._refreshing.locked():
            return position
        return None

    async def announced_position(self) -> int | None:
        """`known_read_position`, or (when nothing in memory will do) read in the thread pool."""
        position = self.known_read_position()
        return position if position is not None else await run_in_threadpool(self.refresh_read_position)

    def refresh_read_position(self) -> int | None:
        """Reads the tracked positions from the database (blocking), remembered for a moment."""
        if self.tracker is None:
            return None
        with self._refreshing:
            read_at = time.monotonic()
            position = min(self.tracker.positions().values(), default=0)
            if self._known is None or position >= self._known[0]:
                self._known = (position, read_at)
        return position

    def lag(self) -> dict[str, int]:
        """How many events each read model is behind the head of the event log (from the database,
        so the same in every process)."""
        head = self.trellis.recorder.max_notification_id() or 0
        positions = self.tracker.positions() if self.tracker is not None else {}
        return {name: max(head - position, 0) for name, position in positions.items()}

    def readiness(self, max_lag: int) -> dict[str, int]:
        """Each read model's lag; `NotReady` saying which when the database cannot be read or
        a read model is more than `max_lag` events behind."""
        try:
            lag = self.lag()
        except UNREADABLE as error:
            raise NotReady(f"database: cannot be read ({type(error).__name__}); is it reachable, and has "
                           "`trellis db init` been run?") from None
        behind = {name: events for name, events in lag.items() if events > max_lag}
        if behind:
            listed = ", ".join(f"{name} {events} events" for name, events in sorted(behind.items()))
            raise NotReady(f"read models behind: {listed} (at most {max_lag} allowed)")
        return lag

    @classmethod
    @contextmanager
    def open(cls, settings: Settings, *, trellis: Trellis | None = None, read_models: Any = None) -> Iterator[ReadSide]:
        owned = trellis is None
        trellis = trellis if trellis is not None else build_app(settings)
        trellis.follow_erasures()
        runner = tracker = schedule = None
        try:
            if read_models is None:
                read_models = trellis.read_models or ReadModels(Store.of(trellis.recorder))
                tracker = Runner.for_app(trellis, gather_seconds=settings.projections_gather_ms / 1000)
                if settings.run_projections:
                    runner = tracker.start_in_thread()
                    schedule = CheckpointSchedule.start_for(trellis, settings)  # beside the projections
            log.info("api_started", persistence=settings.persistence, projections_in_process=runner is not None)
            yield cls(trellis, read_models, runner, tracker)
        finally:
            if schedule is not None:
                schedule.stop()
            if runner is not None:
                runner.stop()
            if owned:
                trellis.close()
            log.info("api_stopped")
