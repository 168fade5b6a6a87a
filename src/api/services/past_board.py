"""The pipeline board as it stood at a past moment: the dashboard read model replayed, up to
that moment, into a database of its own in memory.

The live read models are never touched. A fresh `Dashboard` projection — the handlers the
runner uses — is fed the programme's case and partnership events that had happened by the moment, into
an in-memory SQLite database made for this one question and closed after it; the board is
then read by the live board's own queries, their clock set to the moment (so the ages in the
queues are the ages then). It works alike beside SQLite and PostgreSQL, and nothing is left
behind. Events are decoded sealed, as the runner decodes them; the board opens the names of
those who wait, as the live board does, with the keys as they are now (an erased person's name
stays unopenable).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import get_topic

from api.services.as_of import AsOfQueries
from api.services.moments import Moment
from domain import Case, Invalid, Partnership, Programme
from projections.dashboard import Dashboard
from projections.projection import Item
from projections.queries import DEFAULT_STALE_DAYS, ActionQueues, ReadModels
from projections.sql import Store

PAGE = 1000
TOPICS = [get_topic(cls) for owner in (Case, Partnership) for cls in vars(owner).values()
          if isinstance(cls, type) and issubclass(cls, owner.Event)] + [get_topic(Programme.Registered)]


@dataclass(frozen=True)
class PastBoard:
    programme_id: str
    stage_counts: dict[str, int]
    queues: ActionQueues
    at: str  # the moment's time: the queues' ages are counted to it
    position: int  # the last event the replay took in
    events_replayed: int


@contextmanager
def scratch_store() -> Iterator[Store]:
    """A database for one question, in memory, gone when it is answered."""
    datastore = SQLiteDatastore(":memory:", pool_size=1, max_overflow=0)
    try:
        yield Store(datastore)
    finally:
        datastore.close()


def _in_programme(first: Any, programme_id: UUID) -> bool:
    """Whether an object's first event (a programme's registration, a case's EOI, a partnership's
    forming) is of this programme."""
    if isinstance(first, Programme.Registered):
        return first.originator_id == programme_id
    return str(first.programme_id) == str(programme_id)


class PastBoards(AsOfQueries):
    def board_as_of(
        self, programme_id: UUID, when: Moment, stale_after_days: int = DEFAULT_STALE_DAYS,
    ) -> PastBoard:
        self.stored_history(programme_id, Programme, upto_version=1)  # NotFound for an unknown programme
        moment_time = when.at or self._time_of(when.position)  # type: ignore[arg-type]
        with scratch_store() as store:
            projection = Dashboard()
            with store.transaction() as cursor:
                projection.create_tables(cursor)
            last, read, registered = self._replay(projection, store, when, programme_id)
            if not registered:
                raise Invalid(f"programme {programme_id} did not exist yet at {when.describe()}")
            # Names opened as the live board opens them: an erased person's is gone from both.
            board = ReadModels(store, clock=lambda: moment_time, opener=self.open_sealed)
            return PastBoard(
                programme_id=str(programme_id), stage_counts=board.stage_counts(programme_id),
                queues=board.action_queues(programme_id, stale_after_days=stale_after_days),
                at=moment_time.isoformat(), position=last, events_replayed=read,
            )

    def _replay(self, projection: Dashboard, store: Store, when: Moment, programme_id: UUID) -> tuple[int, int, bool]:
        """Feeds the projection the programme's case and partnership events that had happened at
        `when`: up to its position, or (by time) each object's events up to the first recorded
        after it, read no further than the last event recorded by then. An object's first event
        names its programme: the later events of another programme's objects are passed over
        undecoded."""
        decode = self._history_mapper.to_domain_event
        start, after, last, read, registered = 0, 0, 0, 0, False
        passed: set[Any] = set()  # another programme's objects, and (by time) those whose next event came later
        stop = self._last_position(when)
        if stop == 0:
            return 0, 0, False  # nothing had been recorded by then
        while page := self.recorder.select_notifications(
            start, PAGE, stop=stop, topics=TOPICS, inclusive_of_start=False,
        ):
            items = []
            for notification in page:
                if notification.originator_id in passed:
                    continue
                event = decode(notification)
                if (notification.originator_version == 1 and not _in_programme(event, programme_id)) or (
                        when.position is None and event.timestamp > when.at):  # type: ignore[operator]
                    passed.add(notification.originator_id)
                    continue
                registered = registered or isinstance(event, Programme.Registered)
                items.append(Item(notification.id, event))
            if items:
                after = projection.process(store, items, after)
                last, read = items[-1].position, read + len(items)
            start = page[-1].id
            if len(page) < PAGE:
                break
        return last, read, registered

    def _last_position(self, when: Moment) -> int | None:
        """Where the replay may stop: `when`'s position; or, by time, the last event recorded by
        then, as the history index has it (no later event was recorded by then). None (read to
        the log's end) when there is no index, or it has not yet taken in every event."""
        if when.position is not None:
            return when.position
        if self.read_models is None:
            return None
        return self.read_models.last_recorded_by(when.at, self.recorder.max_notification_id() or 0)

    def _time_of(self, position: int) -> datetime:
        """When the event at `position` (or the last one before it) was recorded."""
        decode = self._history_mapper.to_domain_event
        found = self.recorder.select_notifications(max(position - PAGE + 1, 1), PAGE, stop=position)
        if not found:
            raise Invalid(f"no event at or shortly before position {position}")
        return decode(found[-1]).timestamp
