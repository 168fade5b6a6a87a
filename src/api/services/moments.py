"""The moment an as-of question names: a date-time, or a position in the event log.

`?at=2026-05-01T12:00:00Z` asks for the state after every event recorded at or before that
time; `?position=1234` for the state after every event up to and including that position;
`?on=2026-05-01` for the end of that day (UTC), or now if that day is today. Exactly one is
given, never one in the future, and never one before the object existed: each is refused
with a reason, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import takewhile
from typing import Any

from domain import Invalid
from projections.events import when


@dataclass(frozen=True)
class Moment:
    """After every event up to `position`, or (with no position) every event up to `at`."""

    at: datetime | None = None
    position: int | None = None
    on: date | None = None  # the day asked for, when the question named one

    def describe(self) -> str:
        if self.position is not None:
            return f"position {self.position}"
        return self.at.isoformat() if self.at is not None else "?"


def moment(on: date | None, at: datetime | None, position: int | None, now: datetime, head: int) -> Moment:
    """The moment asked for, checked against `now` and the log's last position `head`."""
    if sum(value is not None for value in (on, at, position)) != 1:
        raise Invalid("name one moment: on (a date), at (a date-time with its zone) or position (in the event log)")
    if position is not None:
        if position < 1:
            raise Invalid("event-log positions start at 1")
        if position > head:
            raise Invalid(f"position {position} is in the future: the event log ends at position {head}")
        return Moment(position=position)
    if on is not None:
        if on > now.date():
            raise Invalid(f"{on.isoformat()} is in the future")
        return Moment(at=min(datetime.combine(on, time.max, tzinfo=UTC), now), on=on)
    if at is None or at.tzinfo is None:
        raise Invalid("at needs a time zone, for example 2026-05-01T12:00:00Z")
    if at > now:
        raise Invalid(f"{at.isoformat()} is in the future")
    try:
        return Moment(at=at.astimezone(UTC))
    except OverflowError:
        raise Invalid(f"{at.isoformat()} is before the calendar's first day in UTC") from None


def up_to(events: Sequence[Any], moment: Moment, what: str, version: int | None = None,
          begins: str | None = None) -> list[Any]:
    """The prefix of an object's events (oldest first) that had happened at `moment`: those
    recorded by its time, or (for a position) up to `version`, the object's last version at
    that position. Refused, saying where its history begins, if the object did not exist yet."""
    if moment.position is None:
        kept = list(takewhile(lambda e: e.timestamp <= moment.at, events))
    else:
        kept = [e for e in events if version is not None and e.originator_version <= version]
    if not kept:
        begins = begins or when(events[0])
        raise Invalid(f"{what} did not exist yet at {moment.describe()}: its history begins at {begins}")
    return kept
