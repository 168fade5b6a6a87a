"""Mentor capacity and the public directory.

Capacity, slots held by open proposals and confirmed partnerships, and the directory
profile the mentor published when joining the pool (headline, bio, expertise, sector,
region). The special-category answers given with it never enter.
"""

from __future__ import annotations

from typing import Any

from domain import Mentor
from projections.lifecycle import when
from projections.projection import Handlers, Projection, Writer
from projections.rows import reveal, row
from projections.store import Table

MENTORS = Table("rm_mentors_mentors", {
    "mentor_id": "TEXT NOT NULL", "programme_id": "TEXT", "person_id": "TEXT", "name": "TEXT",
    "status": "TEXT", "capacity": "INTEGER", "headline": "TEXT", "bio": "TEXT", "sector": "TEXT",
    "region": "TEXT", "expertise": "TEXT", "updated_at": "TEXT",
}, ("mentor_id",), indexes=(("programme_id", "status"),))
EXPERTISE = Table("rm_mentors_expertise", {"mentor_id": "TEXT NOT NULL", "term": "TEXT NOT NULL"},
                  ("mentor_id", "term"), indexes=(("term",),))
SLOTS = Table("rm_mentors_slots", {"mentor_id": "TEXT NOT NULL", "case_id": "TEXT NOT NULL", "state": "TEXT"},
              ("mentor_id", "case_id"))

STATUS = {
    Mentor.TrainingCompleted: "trained", Mentor.JoinedPool: "in_pool", Mentor.Paused: "paused",
    Mentor.Resumed: "in_pool", Mentor.LeftPool: "left",
}
SLOT_STATE = {Mentor.SlotHeld: "held", Mentor.SlotConfirmed: "confirmed", Mentor.SlotReleased: "released"}

on = Handlers()


def _mentor(e: Any, w: Writer, **values: Any) -> None:
    w.upsert(MENTORS, row(mentor_id=e.originator_id, updated_at=when(e), **values))


@on.on(Mentor.InterestExpressed)
def _interest(e: Any, w: Writer) -> None:
    _mentor(e, w, programme_id=e.programme_id, person_id=e.person_id, status="interested",
            capacity=0, name=reveal(e.details.get("name")))


@on.on(*STATUS)
def _status(e: Any, w: Writer) -> None:
    _mentor(e, w, status=STATUS[type(e)])


@on.on(Mentor.JoinedPool, Mentor.CapacityChanged)
def _capacity(e: Any, w: Writer) -> None:
    _mentor(e, w, capacity=e.capacity)


@on.on(Mentor.JoinedPool)
def _profile(e: Any, w: Writer) -> None:
    profile = reveal(e.profile) or {}
    expertise = [str(term) for term in profile.get("expertise", [])]
    _mentor(
        e, w, headline=profile.get("headline"), bio=profile.get("bio"), sector=profile.get("sector"),
        region=profile.get("region"), expertise="|".join(expertise) or None,
    )
    for term in expertise:
        w.upsert(EXPERTISE, row(mentor_id=e.originator_id, term=term.casefold()))


@on.on(*SLOT_STATE)
def _slot(e: Any, w: Writer) -> None:
    w.upsert(SLOTS, row(mentor_id=e.originator_id, case_id=e.case_id, state=SLOT_STATE[type(e)]))


class Mentors(Projection):
    name = "mentors"
    tables = (MENTORS, EXPERTISE, SLOTS)
    handlers = on
