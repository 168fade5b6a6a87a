"""The administrator's dashboard: cases by stage, action queues, partnerships, names.

Holds ids, stages, dates and the names an administrator works with (mentee and mentor
names, from `Personal` values; nothing once erased), and which steps a party takes for
themselves someone else recorded for them (the recorder's role). No statement, goals,
reasons, preferences, session content or feedback answers.
"""

from __future__ import annotations

from typing import Any

from domain import Case, Mentor, Partnership, closed_reason_after, partnership_status_after, stage_after
from projections.events import CASE_EVENTS, recorded_by, when
from projections.projection import Handlers, Projection, Writer
from projections.rows import row, sealed
from projections.sql import Table

CASES = Table("rm_dashboard_cases", {
    "case_id": "TEXT NOT NULL", "programme_id": "TEXT", "mentee_id": "TEXT", "line_manager_id": "TEXT",
    "matching": "TEXT", "stage": "TEXT", "stage_since": "TEXT", "submitted_at": "TEXT",
    "priority": "INTEGER", "mentor_id": "TEXT", "partnership_id": "TEXT", "closed_reason": "TEXT",
    "eoi_recorded_by": "TEXT", "matching_request_recorded_by": "TEXT", "withdrawal_recorded_by": "TEXT",
}, ("case_id",), indexes=(
    ("programme_id", "stage", "stage_since", "case_id"),  # the stage counts; the board's queues, in index order
    ("programme_id", "submitted_at", "case_id"),  # the list of cases, a page at a time
))
PARTNERSHIPS = Table("rm_dashboard_partnerships", {
    "partnership_id": "TEXT NOT NULL", "case_id": "TEXT", "programme_id": "TEXT", "mentee_id": "TEXT",
    "mentor_id": "TEXT", "status": "TEXT", "formed_at": "TEXT", "started_on": "TEXT",
    "mentee_signed": "INTEGER", "mentor_signed": "INTEGER", "extension_requested_at": "TEXT",
    "ended_at": "TEXT", "end_reason": "TEXT", "feedback_requested_at": "TEXT",
    "mentee_feedback": "INTEGER", "mentor_feedback": "INTEGER",
    "mentee_signature_recorded_by": "TEXT", "mentor_signature_recorded_by": "TEXT",
}, ("partnership_id",), indexes=(("programme_id", "status"), ("programme_id", "formed_at")))
SESSIONS = Table("rm_dashboard_sessions", {
    "partnership_id": "TEXT NOT NULL", "version": "BIGINT NOT NULL", "held_on": "TEXT",
}, ("partnership_id", "version"))
PEOPLE = Table("rm_dashboard_people", {"subject_id": "TEXT NOT NULL", "name": "TEXT"}, ("subject_id",))
MENTORS = Table("rm_dashboard_mentors", {
    "mentor_id": "TEXT NOT NULL", "programme_id": "TEXT", "person_id": "TEXT",
}, ("mentor_id",))

on = Handlers()


# -- cases ----------------------------------------------------------------------------------
@on.on(Case.EOISubmitted)
def _eoi(e: Any, w: Writer) -> None:
    w.upsert(CASES, row(
        case_id=e.originator_id, programme_id=e.programme_id, mentee_id=e.mentee_id,
        line_manager_id=e.line_manager_id, matching=e.matching, submitted_at=when(e), priority=False,
        eoi_recorded_by=recorded_by(e),
    ))
    w.upsert(PEOPLE, row(subject_id=e.mentee_id, name=sealed(e.details.get("name"))))


@on.on(*CASE_EVENTS)
def _stage(e: Any, w: Writer) -> None:
    stage = stage_after(e, w.fact(CASES, [str(e.originator_id)], "matching"))
    if stage is not None:
        w.upsert(CASES, row(
            case_id=e.originator_id, stage=stage.value, stage_since=when(e), closed_reason=closed_reason_after(e),
        ))


@on.on(Case.LineManagerApproved)
def _approved(e: Any, w: Writer) -> None:
    w.upsert(CASES, row(case_id=e.originator_id, priority=e.priority))


@on.on(Case.MatchingRequestSubmitted)
def _matching_request(e: Any, w: Writer) -> None:
    w.upsert(CASES, row(case_id=e.originator_id, matching_request_recorded_by=recorded_by(e)))


@on.on(Case.Withdrawn)
def _withdrawn(e: Any, w: Writer) -> None:
    w.upsert(CASES, row(case_id=e.originator_id, withdrawal_recorded_by=recorded_by(e)))


@on.on(Case.MatchProposed)
def _proposed(e: Any, w: Writer) -> None:
    w.upsert(CASES, row(case_id=e.originator_id, mentor_id=e.mentor_id, partnership_id=None))


@on.on(Case.MatchConfirmed)
def _confirmed(e: Any, w: Writer) -> None:
    w.upsert(CASES, row(case_id=e.originator_id, mentor_id=e.mentor_id, partnership_id=e.partnership_id))


@on.on(Case.RematchRequested, Case.MentorErased)
def _rematch(e: Any, w: Writer) -> None:
    w.upsert(CASES, row(case_id=e.originator_id, mentor_id=None, partnership_id=None))


# -- partnerships ------------------------------------------------------------------------------
def _partnership(e: Any, w: Writer, **values: Any) -> None:
    w.upsert(PARTNERSHIPS, row(partnership_id=e.originator_id, **values))


@on.on(Partnership.PartnershipFormed)
def _formed(e: Any, w: Writer) -> None:
    _partnership(
        e, w, case_id=e.case_id, programme_id=e.programme_id, mentee_id=e.mentee_id, mentor_id=e.mentor_id,
        formed_at=when(e), mentee_signed=False, mentor_signed=False, mentee_feedback=False, mentor_feedback=False,
    )


@on.on(Partnership.PartnershipFormed, Partnership.PartnershipStarted, Partnership.PartnershipEnded)
def _status(e: Any, w: Writer) -> None:
    _partnership(e, w, status=partnership_status_after(e).value)


@on.on(Partnership.AgreementSigned)
def _signed(e: Any, w: Writer) -> None:
    _partnership(e, w, **{f"{e.party}_signed": True, f"{e.party}_signature_recorded_by": recorded_by(e)})


@on.on(Partnership.PartnershipStarted)
def _started(e: Any, w: Writer) -> None:
    _partnership(e, w, started_on=e.started_on)


@on.on(Partnership.SessionHeld)
def _session(e: Any, w: Writer) -> None:
    w.upsert(SESSIONS, row(partnership_id=e.originator_id, version=e.originator_version, held_on=e.held_on))


@on.on(Partnership.ExtensionRequested)
def _extension_requested(e: Any, w: Writer) -> None:
    _partnership(e, w, extension_requested_at=when(e))


@on.on(Partnership.ExtensionGranted, Partnership.ExtensionDeclined)
def _extension_decided(e: Any, w: Writer) -> None:
    _partnership(e, w, extension_requested_at=None)


@on.on(Partnership.PartnershipEnded)
def _ended(e: Any, w: Writer) -> None:
    _partnership(e, w, ended_at=when(e), end_reason=e.reason, extension_requested_at=None)


@on.on(Partnership.FeedbackRequested)
def _feedback_requested(e: Any, w: Writer) -> None:
    _partnership(e, w, feedback_requested_at=when(e))


@on.on(Partnership.FeedbackSubmitted)
def _feedback(e: Any, w: Writer) -> None:
    _partnership(e, w, **{f"{e.party}_feedback": True})


# -- mentors' names ----------------------------------------------------------------------------
@on.on(Mentor.InterestExpressed)
def _mentor(e: Any, w: Writer) -> None:
    w.upsert(MENTORS, row(mentor_id=e.originator_id, programme_id=e.programme_id, person_id=e.person_id))
    w.upsert(PEOPLE, row(subject_id=e.person_id, name=sealed(e.details.get("name"))))


class Dashboard(Projection):
    name = "dashboard"
    tables = (CASES, PARTNERSHIPS, SESSIONS, PEOPLE, MENTORS)
    handlers = on
