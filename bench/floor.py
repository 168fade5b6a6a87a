"""The library's own floor: the same get → change → save cycle on a plain aggregate.

No encryption, no domain rules, no snapshots, the library's own recorder: what `eventsourcing` on PostgreSQL costs by
itself in this process, so a reader can tell Trellis's share from the library's.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from api.settings import Settings, eventsourcing_env
from bench.common import WorkerFactory


class Note(Aggregate):
    @event("Started")
    def __init__(self) -> None:
        self.count = 0

    @event("Noted")
    def note(self, text: str, more: str) -> None:
        self.count += 1


class Floor(Application[UUID]):
    name = "bench_floor"


def floor_app(settings: Settings, create_table: bool = False) -> Floor:
    """On the library's own PostgreSQL recorder, not Trellis's one-trip recorder."""
    env = eventsourcing_env(settings, create_table=create_table)
    env.pop("APPLICATION_RECORDER_TOPIC", None)
    return Floor(env)


def noting(app: Floor, per_thread: int, text: str, more: str) -> WorkerFactory:
    """Each thread appends to its own `per_thread` aggregates, as Trellis's threads do."""

    def make(_: int, __: ExitStack) -> Callable[[], None]:
        notes = [Note() for _ in range(per_thread)]
        app.save(*notes)
        ids = [n.id for n in notes]
        position = iter(range(1 << 62))

        def note() -> None:
            aggregate = app.repository.get(ids[next(position) % per_thread])
            aggregate.note(text, more)
            app.save(aggregate)

        return note

    return make
