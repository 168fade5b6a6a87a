"""The line manager's view: their reports' cases with stage, dates and the mentor's name.

Nothing else enters: no statement, goals, reasons, session data or feedback. Cases
without a line manager are not kept at all.
"""

from __future__ import annotations

from typing import Any

from domain import Case, EndReason, Mentor, Partnership, closed_reason_after, stage_after
from projections.events import CASE_EVENTS, when
from projections.projection import Handlers, Projection, Writer
from projections.rows import row, sealed
from projections.sql import Table

CASES = Table("rm_line_managers_cases", {
    "case_id": "TEXT NOT NULL", "line_manager_id": "TEXT", "programme_id": "TEXT", "mentee_id": "TEXT",
    "matching": "TEXT", "stage": "TEXT", "closed_reason": "TEXT", "submitted_at": "TEXT",
    "stage_since": "TEXT", "mentor_id": "TEXT", "partnership_id": "TEXT", "started_on": "TEXT",
    "ended_at": "TEXT",
}, ("case_id",), indexes=(("line_manager_id",),))
PARTNERSHIPS = Table("rm_line_managers_partnerships", {
    "partnership_id": "TEXT NOT NULL", "case_id": "TEXT",
}, ("partnership_id",))
MENTORS = Table("rm_line_managers_mentors", {"mentor_id": "TEXT NOT NULL", "name": "TEXT"}, ("mentor_id",))

on = Handlers()


def _tracked(w: Writer, case_id: Any) -> bool:
    return w.fact(CASES, [str(case_id)], "line_manager_id") is not None


@on.on(Case.EOISubmitted)
def _eoi(e: Any, w: Writer) -> None:
    if e.line_manager_id:
        w.upsert(CASES, row(
            case_id=e.originator_id, line_manager_id=e.line_manager_id, programme_id=e.programme_id,
            mentee_id=e.mentee_id, matching=e.matching, submitted_at=when(e),
        ))


@on.on(*CASE_EVENTS)
def _stage(e: Any, w: Writer) -> None:
    if not _tracked(w, e.originator_id):
        return
    stage = stage_after(e, w.fact(CASES, [str(e.originator_id)], "matching"))
    if stage is not None:
        w.upsert(CASES, row(
            case_id=e.originator_id, stage=stage.value, stage_since=when(e), closed_reason=closed_reason_after(e),
        ))


@on.on(Case.MatchProposed, Case.MatchConfirmed, Case.RematchRequested, Case.MentorErased)
def _mentor_of_case(e: Any, w: Writer) -> None:
    if _tracked(w, e.originator_id):
        w.upsert(CASES, row(
            case_id=e.originator_id, mentor_id=getattr(e, "mentor_id", None),
            partnership_id=getattr(e, "partnership_id", None), started_on=None, ended_at=None,
        ))


@on.on(Partnership.PartnershipFormed)
def _formed(e: Any, w: Writer) -> None:
    if _tracked(w, e.case_id):
        w.upsert(PARTNERSHIPS, row(partnership_id=e.originator_id, case_id=e.case_id))


def _case_of(e: Any, w: Writer) -> Any:
    return w.fact(PARTNERSHIPS, [str(e.originator_id)], "case_id")


@on.on(Partnership.PartnershipStarted)
def _started(e: Any, w: Writer) -> None:
    case_id = _case_of(e, w)
    if case_id is not None:
        w.upsert(CASES, row(case_id=case_id, started_on=e.started_on))


@on.on(Partnership.PartnershipEnded)
def _ended(e: Any, w: Writer) -> None:
    case_id = _case_of(e, w)
    if case_id is not None and e.reason != EndReason.REMATCHED:
        w.upsert(CASES, row(case_id=case_id, ended_at=when(e)))


@on.on(Mentor.InterestExpressed)
def _mentor_name(e: Any, w: Writer) -> None:
    w.upsert(MENTORS, row(mentor_id=e.originator_id, name=sealed(e.details.get("name"))))


class LineManagers(Projection):
    name = "line_managers"
    tables = (CASES, PARTNERSHIPS, MENTORS)
    handlers = on
