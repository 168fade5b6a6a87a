"""What the app reads from and writes to, opened once in the lifespan and closed after it.

The embedded default (SQLite, `run_projections` on) follows the event store with a
projection runner in a background thread. With separate projection workers
(`trellis serve --no-projections`) the API only reads the read models they keep.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from api.bootstrap import build_app
from api.logging import get_logger
from api.services import Trellis
from api.settings import Settings
from projections.queries import ReadModels
from projections.runner import Runner
from projections.sql import Store

log = get_logger("trellis.http")


@dataclass
class ReadSide:
    trellis: Trellis
    read_models: Any
    runner: Runner | None
    tracker: Runner | None = None  # reads the tracked positions, running or not

    def read_position(self) -> int | None:
        """The slowest read model's tracked position: every read reflects at least this."""
        if self.tracker is None:
            return None
        return min(self.tracker.positions().values(), default=0)

    @classmethod
    @contextmanager
    def open(cls, settings: Settings, *, trellis: Trellis | None = None, read_models: Any = None) -> Iterator[ReadSide]:
        owned = trellis is None
        trellis = trellis if trellis is not None else build_app(settings)
        trellis.follow_erasures()
        runner = tracker = None
        try:
            if read_models is None:
                read_models = trellis.read_models or ReadModels(Store.of(trellis.recorder))
                tracker = Runner.for_app(trellis)
                if settings.run_projections:
                    runner = tracker.start_in_thread()
            log.info("api_started", persistence=settings.persistence, projections_in_process=runner is not None)
            yield cls(trellis, read_models, runner, tracker)
        finally:
            if runner is not None:
                runner.stop()
            if owned:
                trellis.close()
            log.info("api_stopped")
