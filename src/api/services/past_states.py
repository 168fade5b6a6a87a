"""An object's state after a prefix of its events: what an as-of question answers.

Each object is folded from its own events (sealed: no confidential or special-category
value is ever decrypted) by the domain's own event classes, so its stage, status, capacity
and slots move exactly as the aggregate did; the moments the read models show (when a stage
began, when an extension was requested, the last session's date) are read off the same
events. The answer has the live read model's shape (`CaseSummary`, `PartnershipSummary`,
`MentorCapacity`, a programme's settings), so a past state reads like a present one. Names
are given by the caller, who opens them for the roles allowed to see them. Nothing
confidential is kept: a partnership's state counts its sessions, never their content.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from api.services.catalogue import ProgrammeEntry
from domain import Case, Mentor, Partnership, mentor_status_after, stage_after
from projections.events import recorded_by, when
from projections.results import CaseSummary, MentorCapacity, PartnershipSummary

T = TypeVar("T")
Names = Callable[[str], str | None]


@dataclass(frozen=True)
class Past(Generic[T]):
    """An object as it stood at a moment, in its live shape, and where that was in its history."""

    state: T
    version: int
    last_event_at: str
    last_event_position: int | None = None  # from the history index, once it holds it
    more: Mapping[str, Any] = field(default_factory=dict)  # what the live shape does not hold


def fold(events: Sequence[Any]) -> Any:
    """The aggregate as it stood after `events` (its first events, in order)."""
    aggregate = None
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def _last(events: Sequence[Any], *classes: type) -> Any:
    return next((e for e in reversed(events) if isinstance(e, classes)), None)


def _past(state: T, events: Sequence[Any], **more: Any) -> Past[T]:
    return Past(state, events[-1].originator_version, when(events[-1]), more=more)


def case_state(events: Sequence[Any], mentee_name: str | None, mentor_name: Names,
               partnership_status: Callable[[Any], str | None]) -> Past[CaseSummary]:
    case = fold(events)
    since = next(e for e in reversed(events) if stage_after(e, case.matching) is not None)
    mentor_id = None if case.proposed_mentor is None else str(case.proposed_mentor)
    return _past(CaseSummary(
        case_id=str(case.id), programme_id=str(case.programme_id), mentee_id=case.mentee_id, mentee_name=mentee_name,
        line_manager_id=case.line_manager_id, stage=case.stage.value, stage_since=when(since),
        submitted_at=when(events[0]), priority=case.priority,
        closed_reason=None if case.closed_reason is None else case.closed_reason.value,
        mentor_id=mentor_id, mentor_name=None if mentor_id is None else mentor_name(mentor_id),
        partnership_id=None if case.partnership_id is None else str(case.partnership_id),
        partnership_status=None if case.partnership_id is None else partnership_status(case.partnership_id),
        eoi_recorded_by=recorded_by(events[0]),
        matching_request_recorded_by=recorded_by(_last(events, Case.MatchingRequestSubmitted)),
        withdrawal_recorded_by=recorded_by(_last(events, Case.Withdrawn)),
    ), events, matching=case.matching.value, matches=case.matches)


def partnership_state(events: Sequence[Any], mentee_name: str | None,
                      mentor_name: str | None) -> Past[PartnershipSummary]:
    partnership = fold(events)
    signatures = {e.party: e for e in events if isinstance(e, Partnership.AgreementSigned)}
    sessions = [e.held_on for e in events if isinstance(e, Partnership.SessionHeld)]
    extension = _last(events, Partnership.ExtensionRequested, Partnership.ExtensionGranted,
                      Partnership.ExtensionDeclined, Partnership.PartnershipEnded)
    requested = extension if isinstance(extension, Partnership.ExtensionRequested) else None
    ended = _last(events, Partnership.PartnershipEnded)
    return _past(PartnershipSummary(
        partnership_id=str(partnership.id), case_id=str(partnership.case_id),
        programme_id=str(partnership.programme_id), mentee_id=partnership.mentee_id, mentee_name=mentee_name,
        mentor_id=str(partnership.mentor_id), mentor_name=mentor_name, status=partnership.status.value,
        formed_at=when(events[0]), started_on=partnership.started_on,
        mentee_signed="mentee" in signatures, mentor_signed="mentor" in signatures,
        sessions=partnership.sessions, last_session_on=max(sessions, default=None),
        extension_pending=partnership.extension_pending is not None,
        extension_requested_at=None if requested is None else when(requested),
        ended_at=None if ended is None else when(ended),
        end_reason=None if partnership.end_reason is None else partnership.end_reason.value,
        feedback_requested=partnership.feedback_requested, feedback_received=len(partnership.feedback_from),
        mentee_signature_recorded_by=recorded_by(signatures.get("mentee")),
        mentor_signature_recorded_by=recorded_by(signatures.get("mentor")),
    ), events, planned_months=partnership.planned_months, extension_months=partnership.extension_pending)


def mentor_state(events: Sequence[Any], name: str | None) -> Past[MentorCapacity]:
    mentor = fold(events)
    status_set = next(e for e in reversed(events) if mentor_status_after(e) is not None)
    return _past(MentorCapacity(
        mentor_id=str(mentor.id), programme_id=str(mentor.programme_id), name=name, status=mentor.status.value,
        capacity=mentor.capacity, confirmed=len(mentor.confirmed), held=len(mentor.held), free=max(mentor.free, 0),
        status_recorded_by=recorded_by(status_set),
        capacity_recorded_by=recorded_by(_last(events, Mentor.JoinedPool, Mentor.CapacityChanged)),
    ), events, person_id=mentor.person_id)


def programme_state(events: Sequence[Any]) -> Past[ProgrammeEntry]:
    programme = fold(events)
    return _past(ProgrammeEntry(programme.id, programme.settings), events)
