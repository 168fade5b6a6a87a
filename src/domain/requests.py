"""A data subject's request: erasure or access, with its statutory clock.

A request is received by the data-protection officer on a date; it is due one calendar
month later (the same day of the next month, or its last day when there is no such day).
It names its subject by their opaque id only, and holds no personal data.
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import event

from domain.actors import Role
from domain.checks import choice, past_or_today
from domain.errors import Invalid, NotAllowed
from domain.recording import TrellisAggregate, actor
from domain.snapshots import EnumFields, EnumSnapshot


class RequestKind(StrEnum):
    ERASURE = "erasure"
    ACCESS = "access"
    RETENTION = "retention"  # not asked for: the person's retention period ran out


class RequestState(StrEnum):
    RECEIVED = "received"
    COMPLETED = "completed"
    REFUSED = "refused"


class LawfulBasis(StrEnum):
    """Why an erasure may be refused (UK GDPR / GDPR Art. 17(3))."""

    FREEDOM_OF_EXPRESSION = "freedom_of_expression"
    LEGAL_OBLIGATION = "legal_obligation"
    PUBLIC_HEALTH = "public_health"
    ARCHIVING_OR_RESEARCH = "archiving_or_research"
    LEGAL_CLAIMS = "legal_claims"


def one_calendar_month_after(day: date) -> date:
    month = day.month % 12 + 1
    year = day.year + (day.month == 12)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class SubjectRequest(TrellisAggregate):
    Snapshot = EnumSnapshot
    enum_fields: EnumFields = {"kind": RequestKind, "state": RequestState}  # noqa: RUF012

    @classmethod
    def receive(cls, kind: RequestKind | str, subject_id: str, received_on: date) -> SubjectRequest:
        actor().require(Role.DPO, Role.SYSTEM)
        kind = choice(RequestKind, kind, "kind")
        past_or_today(received_on, "received_on")
        if not subject_id:
            raise Invalid("a request names its subject")
        return cls(kind=kind.value, subject_id=subject_id, received_on=received_on.isoformat(),
                   due_on=one_calendar_month_after(received_on).isoformat())

    @staticmethod
    def create_id(kind: str, subject_id: str, received_on: str, **_: Any) -> UUID:
        """Retention erases a person once, whatever runs it: one id per person. Requests are new each time."""
        if kind == RequestKind.RETENTION:
            return uuid5(NAMESPACE_URL, f"trellis:retention:{subject_id}")
        return uuid4()

    @event("Received")
    def __init__(self, kind: str, subject_id: str, received_on: str, due_on: str) -> None:
        self.kind = RequestKind(kind)
        self.subject_id = subject_id
        self.received_on = received_on
        self.due_on = due_on
        self.state = RequestState.RECEIVED
        self.outcome: dict[str, Any] = {}

    def authorise_completion(self) -> None:
        """Whether the current actor may carry this request out now (checked before the work)."""
        actor().require(Role.DPO, Role.SYSTEM)
        self._require_open()

    def complete(self, counts: dict[str, int]) -> None:
        """Done: for an erasure, the counts of what was destroyed; for an access request, what
        the export held. Counts only — never what they counted."""
        self.authorise_completion()
        if not all(isinstance(v, int) and v >= 0 for v in counts.values()):
            raise Invalid("a completion records counts only")
        self._completed(counts=dict(sorted(counts.items())))

    @event("Completed")
    def _completed(self, counts: dict[str, int]) -> None:
        self.state = RequestState.COMPLETED
        self.outcome = counts

    def refuse(self, basis: LawfulBasis | str) -> None:
        actor().require(Role.DPO)
        self._require_open()
        if self.kind is not RequestKind.ERASURE:
            raise NotAllowed("only an erasure request is refused on a lawful basis")
        basis = choice(LawfulBasis, basis, "lawful_basis")
        self._refused(basis=basis.value)

    @event("Refused")
    def _refused(self, basis: str) -> None:
        self.state = RequestState.REFUSED
        self.outcome = {"lawful_basis": basis}

    def _require_open(self) -> None:
        if self.state is not RequestState.RECEIVED:
            raise NotAllowed(f"request {self.id} is already {self.state.value}")
