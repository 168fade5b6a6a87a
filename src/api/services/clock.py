"""The services' clock: the one place "now" comes from. The domain never reads a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ManualClock:
    """A clock that says what it is told: tests pin it, and a history can be loaded as it
    happened over months. Unset, it tells the real time."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at if self.at is not None else utc_now()

    def set(self, at: datetime | None) -> None:
        if at is not None and at.tzinfo is None:
            raise ValueError("the clock tells timezone-aware times")
        self.at = at
