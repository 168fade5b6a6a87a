"""What the queries return: plain, frozen data, each holding only its read model's allow-list."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QueueItem:
    """One item in an action queue, with how long it has waited."""

    case_id: str | None
    partnership_id: str | None
    since: str
    age_days: int
    priority: bool = False
    mentee_name: str | None = None  # the board's reader sees who waits; None once erased


@dataclass(frozen=True)
class ActionQueues:
    programme_id: str
    eois_awaiting_line_manager: tuple[QueueItem, ...]
    awaiting_match: tuple[QueueItem, ...]
    proposals_awaiting_outcome: tuple[QueueItem, ...]
    agreements_awaiting_signature: tuple[QueueItem, ...]
    extensions_pending: tuple[QueueItem, ...]
    awaiting_feedback: tuple[QueueItem, ...]
    stale_partnerships: tuple[QueueItem, ...]
    stale_after_days: int


@dataclass(frozen=True)
class MentorCapacity:
    mentor_id: str
    programme_id: str
    name: str | None
    status: str
    capacity: int
    confirmed: int
    held: int
    free: int
    status_recorded_by: str | None = None  # who recorded for the mentor the step that set it (a role), if not them
    capacity_recorded_by: str | None = None


@dataclass(frozen=True)
class DirectoryEntry:
    """The public directory profile of a mentor in the pool."""

    mentor_id: str
    programme_id: str
    name: str | None
    headline: str | None
    bio: str | None
    expertise: tuple[str, ...]
    sector: str | None
    region: str | None
    free: int


@dataclass(frozen=True)
class LineManagerCase:
    """What a line manager sees of a report's case: stage, dates, the mentor's name."""

    case_id: str
    mentee_id: str
    programme_id: str
    stage: str
    progress: str  # awaiting_approval | declined | matching | matched | active | finished | withdrawn
    submitted_at: str
    stage_since: str
    started_on: str | None
    ended_at: str | None
    mentor_name: str | None


@dataclass(frozen=True)
class AuditEntry:
    position: int
    recorded_at: str
    event_type: str
    aggregate_type: str
    aggregate_id: str
    version: int
    actor_id: str | None
    actor_role: str | None
    on_behalf_of: str | None  # the person an administrator recorded this for, if anyone


@dataclass(frozen=True)
class CaseSummary:
    """The administrator's view of a case: stage, dates, mentor and partnership — never content."""

    case_id: str
    programme_id: str
    mentee_id: str
    mentee_name: str | None
    line_manager_id: str | None
    stage: str
    stage_since: str
    submitted_at: str
    priority: bool
    closed_reason: str | None
    mentor_id: str | None
    mentor_name: str | None
    partnership_id: str | None
    partnership_status: str | None
    eoi_recorded_by: str | None = None  # who recorded it for the mentee (a role), if not the mentee
    matching_request_recorded_by: str | None = None
    withdrawal_recorded_by: str | None = None


@dataclass(frozen=True)
class PartnershipSummary:
    partnership_id: str
    case_id: str
    programme_id: str
    mentee_id: str
    mentee_name: str | None
    mentor_id: str
    mentor_name: str | None
    status: str
    formed_at: str
    started_on: str | None
    mentee_signed: bool
    mentor_signed: bool
    sessions: int
    last_session_on: str | None
    extension_pending: bool
    extension_requested_at: str | None
    ended_at: str | None
    end_reason: str | None
    feedback_requested: bool
    feedback_received: int
    mentee_signature_recorded_by: str | None = None  # who recorded it for the party (a role), if not the party
    mentor_signature_recorded_by: str | None = None


@dataclass(frozen=True)
class Position:
    name: str
    position: int
    head: int

    @property
    def lag(self) -> int:
        return max(self.head - self.position, 0)


@dataclass(frozen=True)
class RequestSummary:
    """A data subject's request (erasure, access) or a retention erasure, with its clock."""

    request_id: str
    kind: str
    subject_id: str
    received_on: str
    due_on: str
    state: str
    outcome: dict
    received_by: str | None
    closed_by: str | None
    closed_at: str | None


@dataclass(frozen=True)
class HoldSummary:
    hold_id: str
    target: str
    target_id: str
    reason: str | None  # opened for the DPO; None once its author is erased
    placed_by: str | None
    placed_at: str
    lifted_by: str | None
    lifted_at: str | None

    @property
    def active(self) -> bool:
        return self.lifted_at is None


@dataclass(frozen=True)
class ConsentEntry:
    """One entry of the consent ledger: whether special-category answers are kept, for what."""

    person_id: str
    record_id: str
    recorded_at: str
    recorded_by: str | None
    special_category: bool | None  # None once the person is erased
    purpose: str | None
