"""Mentor capacity and the public directory.

Capacity, slots held by open proposals and confirmed partnerships, and the directory
profile the mentor published when joining the pool (headline, bio, expertise, sector,
region) — kept sealed under the mentor's key with their name, as the events stored them,
and opened only by the queries; and, where someone else recorded for the mentor the step that
set their status or capacity, the recorder's role. The special-category answers given with it never enter.
"""

from __future__ import annotations

from typing import Any

from domain import Mentor, mentor_status_after, slot_after
from projections.events import recorded_by, when
from projections.projection import Handlers, Projection, Writer
from projections.rows import row, sealed
from projections.sql import Table

MENTORS = Table("rm_mentors_mentors", {
    "mentor_id": "TEXT NOT NULL", "programme_id": "TEXT", "person_id": "TEXT", "name": "TEXT",
    "status": "TEXT", "capacity": "INTEGER", "profile": "TEXT", "updated_at": "TEXT",
    "status_recorded_by": "TEXT", "capacity_recorded_by": "TEXT",
}, ("mentor_id",), indexes=(("programme_id", "status"),))
SLOTS = Table("rm_mentors_slots", {"mentor_id": "TEXT NOT NULL", "case_id": "TEXT NOT NULL", "state": "TEXT"},
              ("mentor_id", "case_id"))

MENTOR_EVENTS = tuple(cls for cls in vars(Mentor).values() if isinstance(cls, type) and issubclass(cls, Mentor.Event))

on = Handlers()


def _mentor(e: Any, w: Writer, **values: Any) -> None:
    w.upsert(MENTORS, row(mentor_id=e.originator_id, updated_at=when(e), **values))


@on.on(Mentor.InterestExpressed)
def _interest(e: Any, w: Writer) -> None:
    _mentor(e, w, programme_id=e.programme_id, person_id=e.person_id, capacity=0, name=sealed(e.details.get("name")))


@on.on(*MENTOR_EVENTS)
def _status(e: Any, w: Writer) -> None:
    status = mentor_status_after(e)
    if status is not None:
        _mentor(e, w, status=status.value, status_recorded_by=recorded_by(e))


@on.on(Mentor.JoinedPool, Mentor.CapacityChanged)
def _capacity(e: Any, w: Writer) -> None:
    _mentor(e, w, capacity=e.capacity, capacity_recorded_by=recorded_by(e))


@on.on(Mentor.JoinedPool)
def _profile(e: Any, w: Writer) -> None:
    _mentor(e, w, profile=sealed(e.profile))


@on.on(*MENTOR_EVENTS)
def _slot(e: Any, w: Writer) -> None:
    slot = slot_after(e)
    if slot is not None:
        w.upsert(SLOTS, row(mentor_id=e.originator_id, case_id=e.case_id, state=slot.value))


class Mentors(Projection):
    name = "mentors"
    tables = (MENTORS, SLOTS)
    handlers = on
