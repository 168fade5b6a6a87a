"""The projection runner: reads the application's notifications in order and feeds them
to every read model, each batch and its tracked position in one transaction.

On PostgreSQL it wakes on the library's NOTIFY (sent by every insert) and polls as a
fallback, since a notification can be lost; on SQLite it polls. It runs as its own
process (`trellis projections run`) or in a thread of the API (`start_in_thread`).
Tests wait for a tracked position with `wait(position)`, never with sleep.

Why not the library's `ProjectionRunner` (eventsourcing 9.5): it runs one projection with
one tracking recorder, fed event by event from `recorder.subscribe()`. Ours must differ
because (1) the SQLite recorder cannot `subscribe`, and SQLite is our default; (2) one
decoded batch feeds five read models, so each event is decoded (and any name decrypted)
once, not five times; (3) each read model writes a whole batch of rows and its position in
one transaction (bulk upserts, COPY on PostgreSQL), where the library commits a tracking
row per event; (4) a read model is rebuilt into shadow tables and swapped in while the
others serve. The notifications, their order and the NOTIFY channel are the library's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any

import structlog

from projections import PROJECTIONS
from projections.decoding import sealed_mapper
from projections.listener import Listener
from projections.projection import Item, Projection
from projections.sql import Store

log = structlog.get_logger("trellis.projections")


class Runner:
    def __init__(
        self, recorder: Any, mapper: Any, *, projections: Iterable[Projection] | None = None,
        store: Store | None = None, batch_size: int = 1000, poll_seconds: float | None = None,
        listen: bool = True, gather_seconds: float = 0.0,
    ) -> None:
        """`gather_seconds`: woken while writes keep coming (the last batch read some), wait
        this long before reading, so that a stream of writes is projected in fewer, larger
        batches — far less work per event — at the cost of that much more lag."""
        self.recorder = recorder
        self.mapper = sealed_mapper(mapper)
        self.store = store or Store.of(recorder)
        self.projections = list(projections) if projections is not None else [cls() for cls in PROJECTIONS]
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds or (1.0 if self.store.postgres else 0.05)
        self.gather_seconds = gather_seconds
        self.errors: dict[str, BaseException] = {}
        self._listen = listen and self.store.postgres
        self._wakeup = threading.Event()
        self._stopping = threading.Event()
        self._changed = threading.Condition()
        self._positions: dict[str, int] = {}
        self._thread: threading.Thread | None = None
        self.app: Any = None
        self.heartbeat = time.monotonic()  # when `run` last went round its loop

    @classmethod
    def for_app(cls, app: Any, **options: Any) -> Runner:
        """A runner for the `Trellis` application's recorder and mapper."""
        runner = cls(app.recorder, app.mapper, **options)
        runner.app = app  # the application closes its datastore when collected
        return runner

    # -- positions ----------------------------------------------------------------------------
    def positions(self) -> dict[str, int]:
        """Each read model's tracked position, as committed."""
        union = " UNION ALL ".join(
            f"SELECT '{p.name}' AS name, position FROM {p.tracking.name}" for p in self.projections
        )
        found = {r["name"]: int(r["position"]) for r in self.store.query(union)}
        return {p.name: found.get(p.name, 0) for p in self.projections}

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def published(self) -> int | None:
        """The slowest read model's position as this runner last saw it committed, from memory
        (no query); None until it has seen every read model's (it runs no step before `run`)."""
        with self._changed:
            seen = [self._positions.get(p.name) for p in self.projections]
        return None if None in seen else min(seen, default=0)

    # -- processing ---------------------------------------------------------------------------
    def step(self) -> int:
        """Processes one batch after the slowest read model; returns how many events it read."""
        positions = self.positions()
        self._publish(positions)
        after = min(positions.values(), default=0)
        notifications = self.recorder.select_notifications(
            start=after, limit=self.batch_size, inclusive_of_start=False
        )
        if not notifications:
            return 0
        items = [Item(n.id, self.mapper.to_domain_event(n)) for n in notifications]
        due = [p for p in self.projections if positions[p.name] < items[-1].position]
        self._process_together(due, items, positions, after)
        return len(items)

    def _process_together(self, due: Sequence[Projection], items: Sequence[Item], positions: dict[str, int],
                          after: int) -> None:
        """Every due read model's rows and position in one transaction: one commit a batch, not
        one a read model. A read model whose handlers fail is left out (its error kept); should
        the shared transaction fail, each is written in a transaction of its own instead, so
        that one failing read model holds back no other."""
        writers = []
        for projection in due:
            try:
                writer = projection.prepare(self.store, items, after, positions[projection.name])
            except Exception as error:  # noqa: BLE001 - kept, and logged by type
                self._failed(projection, after, error)
                continue
            if writer is not None:
                writers.append((projection, writer))
        if not writers:
            return
        try:
            with self.store.transaction() as cursor:
                moved = {p.name: p.write(cursor, w, positions[p.name]) for p, w in writers}
        except Exception:  # noqa: BLE001 - told apart one read model at a time
            for projection, _ in writers:
                projection.facts.clear()
                self._process(projection, items, after)
            return
        for projection, _ in writers:
            self.errors.pop(projection.name, None)
        self._publish(moved)

    def _process(self, projection: Projection, items: Sequence[Item], after: int) -> None:
        try:
            position = projection.process(self.store, items, after)
        except Exception as error:  # logged by type only: a message could quote a row
            self._failed(projection, after, error)
            return
        self.errors.pop(projection.name, None)
        self._publish({projection.name: position})

    def _failed(self, projection: Projection, after: int, error: BaseException) -> None:
        self.errors[projection.name] = error
        log.error("projection_failed", projection=projection.name, after=after, error=type(error).__name__)

    def catch_up(self) -> int:
        """Processes until every read model has reached the head; returns the events read."""
        total = 0
        while (n := self.step()) > 0:
            total += n
            if self.errors:
                break
        return total

    def _publish(self, positions: dict[str, int]) -> None:
        with self._changed:
            self._positions.update(positions)
            self._changed.notify_all()

    # -- following ----------------------------------------------------------------------------
    def run(self) -> None:
        """Follows the event store until `stop()`."""
        listener = (
            Listener(self.store.datastore, self.recorder.channel_name, lambda _: self._wakeup.set())
            if self._listen else None
        )
        log.info("projections_started", read_models=[p.name for p in self.projections])
        try:
            while not self._stopping.is_set():
                self.heartbeat = time.monotonic()
                self._wakeup.clear()
                try:
                    read = self.step()
                except Exception as error:
                    log.error("projections_step_failed", error=type(error).__name__)
                    read = 0
                if read < self.batch_size or self.errors:
                    woken = self._wakeup.wait(self.poll_seconds)
                    if woken and read and self.gather_seconds and not self.errors:
                        self._stopping.wait(self.gather_seconds)  # more of the stream, into one batch
        finally:
            if listener is not None:
                listener.stop()
            log.info("projections_stopped")

    def start_in_thread(self) -> Runner:
        self._stopping.clear()
        self._thread = threading.Thread(target=self.run, name="trellis-projections", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._wakeup.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def wait(self, position: int | None = None, timeout: float = 30.0) -> None:
        """Blocks until every read model has processed `position` (default: the head now)."""
        target = self.head() if position is None else position
        deadline = time.monotonic() + timeout
        with self._changed:
            while min(self._positions.get(p.name, 0) for p in self.projections) < target:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    failing = ", ".join(sorted(self.errors)) or "none failing"
                    raise TimeoutError(f"read models did not reach position {target} ({failing})")
                self._changed.wait(remaining)
