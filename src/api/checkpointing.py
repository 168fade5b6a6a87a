"""Checkpoints on a schedule (`TRELLIS_CHECKPOINT_EVERY_MINUTES`, 0: never).

The process that runs the projections signs them — `trellis projections run`, or the API
when it runs the projections in-process — so a deployment has one such process however
many API workers it runs. It wakes a few times per period and signs the chain's head when
the last checkpoint is a period old and events came since (`Trellis.checkpoint_if_due`,
which reads the last checkpoint's time from the database, so a second process doing the
same adds nothing).
"""

from __future__ import annotations

import threading
from typing import Any

from api.logging import get_logger

log = get_logger("trellis.audit")
WAKES_PER_PERIOD = 4
MAX_SLEEP_SECONDS = 60.0


class CheckpointSchedule:
    def __init__(self, app: Any, every_minutes: float, wake_seconds: float | None = None) -> None:
        self.app, self.every_minutes = app, every_minutes
        self.wake_seconds = wake_seconds or min(MAX_SLEEP_SECONDS, every_minutes * 60 / WAKES_PER_PERIOD)
        self.signed = threading.Event()  # set each time a checkpoint is signed
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="trellis-checkpoints", daemon=True)

    @classmethod
    def start_for(cls, app: Any, settings: Any) -> CheckpointSchedule | None:
        if not settings.checkpoint_every_minutes:
            return None
        return cls(app, settings.checkpoint_every_minutes).start()

    def start(self) -> CheckpointSchedule:
        self._thread.start()
        return self

    def _run(self) -> None:
        log.info("checkpoints_scheduled", every_minutes=self.every_minutes)
        while True:
            try:
                checkpoint = self.app.checkpoint_if_due(self.every_minutes)
            except Exception as error:  # by type only: a message could quote a row
                log.error("checkpoint_failed", error=type(error).__name__)
            else:
                if checkpoint is not None:
                    log.info("checkpoint_signed", position=checkpoint.position, key_id=checkpoint.key_id)
                    self.signed.set()
            if self._stopping.wait(self.wake_seconds):
                return

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
