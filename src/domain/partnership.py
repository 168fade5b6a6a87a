"""A partnership: agreement, confidential sessions, review, extension, end and feedback."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.actors import Actor, Role
from domain.errors import Invalid, NotAllowed
from domain.checks import choice, past_or_today, text, whole_number
from domain.protected import Confidential, Personal
from domain.snapshots import EnumFields, EnumSnapshot


class PartnershipStatus(StrEnum):
    AWAITING_SIGNATURES = "awaiting_signatures"
    ACTIVE = "active"
    ENDED = "ended"


class Party(StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"


class Medium(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    PHONE = "phone"


class EndReason(StrEnum):
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    REMATCHED = "rematched"
    NOT_EXTENDED = "not_extended"
    OTHER = "other"


class ReviewOutcome(StrEnum):
    CONTINUE = "continue"
    EXTEND = "extend"
    END = "end"


MAX_SESSION_MINUTES = 8 * 60


def partnership_id_for(case_id: UUID, match_number: int) -> UUID:
    """The n-th partnership formed for a case; a rematch forms the next one."""
    return uuid5(NAMESPACE_URL, f"trellis:partnership:{case_id}:{match_number}")


class Partnership(Aggregate):
    Snapshot = EnumSnapshot
    enum_fields: EnumFields = {  # noqa: RUF012
        "status": PartnershipStatus, "signed": Party, "end_reason": EndReason, "feedback_from": Party,
    }

    @event("PartnershipFormed")
    def __init__(
        self,
        case_id: UUID,
        match_number: int,
        programme_id: UUID,
        mentee_id: str,
        mentor_id: UUID,
        mentor_person_id: str,
        planned_months: int,
        max_months: int,
        actor_id: str,
        actor_role: str,
    ) -> None:
        self.case_id = case_id
        self.programme_id = programme_id
        self.mentee_id = mentee_id
        self.mentor_id = mentor_id
        self.mentor_person_id = mentor_person_id
        self.planned_months = planned_months
        self.max_months = max_months
        self.signed: list[Party] = []
        self.status = PartnershipStatus.AWAITING_SIGNATURES
        self.started_on: str | None = None
        self.sessions = 0
        self.extension_pending: int | None = None
        self.end_reason: EndReason | None = None
        self.feedback_requested = False
        self.feedback_from: list[Party] = []

    @staticmethod
    def create_id(case_id: UUID, match_number: int, **_: object) -> UUID:
        return partnership_id_for(case_id, match_number)

    # -- who may act ----------------------------------------------------------------------
    def party_of(self, actor: Actor) -> Party | None:
        if actor.role is Role.MENTEE and actor.id == self.mentee_id:
            return Party.MENTEE
        if actor.role is Role.MENTOR and actor.id == self.mentor_person_id:
            return Party.MENTOR
        return None

    def _require_pair(self, actor: Actor) -> Party:
        party = self.party_of(actor)
        if party is None:
            raise NotAllowed("only the mentee and mentor of this partnership may do this")
        return party

    def _require(self, *statuses: PartnershipStatus) -> None:
        if self.status not in statuses:
            raise NotAllowed(f"partnership {self.id} is {self.status.value}")

    # -- agreement --------------------------------------------------------------------------
    def sign_agreement(self, party: Party, actor: Actor) -> None:
        party = choice(Party, party, "party")
        if actor.role is not Role.ADMINISTRATOR and self.party_of(actor) is not party:
            raise NotAllowed("a party signs for themselves, or an administrator records it")
        self._require(PartnershipStatus.AWAITING_SIGNATURES)
        if party in self.signed:
            raise NotAllowed(f"the {party.value} has already signed")
        self._signed(party=party.value, actor_id=actor.id, actor_role=actor.role)
        if len(self.signed) == len(Party):
            self._started(started_on=date.today().isoformat(), actor_id=actor.id, actor_role=actor.role)

    @event("AgreementSigned")
    def _signed(self, party: str, actor_id: str, actor_role: str) -> None:
        self.signed.append(Party(party))

    @event("PartnershipStarted")
    def _started(self, started_on: str, actor_id: str, actor_role: str) -> None:
        self.status = PartnershipStatus.ACTIVE
        self.started_on = started_on

    # -- sessions and review ----------------------------------------------------------------
    def record_session(
        self, held_on: date, minutes: int, medium: Medium, notes: str, actions: str, actor: Actor
    ) -> None:
        self._require_pair(actor)
        self._require(PartnershipStatus.ACTIVE)
        self._check_day(held_on)
        whole_number(minutes, "minutes", 1, MAX_SESSION_MINUTES)
        medium = choice(Medium, medium, "medium")
        self._session_held(
            held_on=held_on.isoformat(),
            minutes=minutes,
            medium=medium.value,
            notes=Confidential(str(self.id), text(notes, "notes", 20000)),
            actions=Confidential(str(self.id), text(actions, "actions", 20000)),
            actor_id=actor.id,
            actor_role=actor.role,
        )

    @event("SessionHeld")
    def _session_held(
        self, held_on: str, minutes: int, medium: str, notes: Confidential, actions: Confidential,
        actor_id: str, actor_role: str,
    ) -> None:
        self.sessions += 1

    def review_progress(self, outcome: ReviewOutcome, notes: str, actor: Actor) -> None:
        if actor.role is not Role.ADMINISTRATOR:
            self._require_pair(actor)
        self._require(PartnershipStatus.ACTIVE)
        outcome = choice(ReviewOutcome, outcome, "outcome")
        self._reviewed(
            outcome=outcome.value,
            notes=Confidential(str(self.id), text(notes, "notes", 20000)),
            actor_id=actor.id,
            actor_role=actor.role,
        )

    @event("ProgressReviewed")
    def _reviewed(self, outcome: str, notes: Confidential, actor_id: str, actor_role: str) -> None:
        pass

    # -- extension ------------------------------------------------------------------------------
    def request_extension(self, months: int, actor: Actor) -> None:
        if actor.role is not Role.ADMINISTRATOR:
            self._require_pair(actor)
        self._require(PartnershipStatus.ACTIVE)
        if self.extension_pending is not None:
            raise NotAllowed("an extension request is already pending")
        self._check_extension(months)
        self._extension_requested(months=months, actor_id=actor.id, actor_role=actor.role)

    @event("ExtensionRequested")
    def _extension_requested(self, months: int, actor_id: str, actor_role: str) -> None:
        self.extension_pending = months

    def grant_extension(self, mentor_free: int, others_waiting: int, actor: Actor) -> None:
        """Weighed against the mentor's capacity and the requests waiting for a mentor."""
        actor.require(Role.ADMINISTRATOR)
        self._require(PartnershipStatus.ACTIVE)
        if self.extension_pending is None:
            raise NotAllowed("there is no extension request to grant")
        self._check_extension(self.extension_pending)
        if mentor_free <= 0 and others_waiting > 0:
            raise NotAllowed(
                f"the mentor is at capacity and {others_waiting} cases are waiting for a match"
            )
        self._extension_granted(
            months=self.extension_pending, actor_id=actor.id, actor_role=actor.role
        )

    @event("ExtensionGranted")
    def _extension_granted(self, months: int, actor_id: str, actor_role: str) -> None:
        self.planned_months += months
        self.extension_pending = None

    def decline_extension(self, actor: Actor) -> None:
        actor.require(Role.ADMINISTRATOR)
        self._require(PartnershipStatus.ACTIVE)
        if self.extension_pending is None:
            raise NotAllowed("there is no extension request to decline")
        self._extension_declined(actor_id=actor.id, actor_role=actor.role)

    @event("ExtensionDeclined")
    def _extension_declined(self, actor_id: str, actor_role: str) -> None:
        self.extension_pending = None

    def _check_extension(self, months: int) -> None:
        whole_number(months, "months", 1, self.max_months)
        if self.planned_months + months > self.max_months:
            raise NotAllowed(
                f"an extension of {months} months would exceed the programme's "
                f"maximum of {self.max_months} months"
            )

    # -- ending and feedback -----------------------------------------------------------------------
    def end(self, reason: EndReason, actor: Actor) -> None:
        if actor.role is not Role.ADMINISTRATOR:
            self._require_pair(actor)
        self._require(PartnershipStatus.AWAITING_SIGNATURES, PartnershipStatus.ACTIVE)
        reason = choice(EndReason, reason, "reason")
        self._ended(reason=reason.value, actor_id=actor.id, actor_role=actor.role)

    @event("PartnershipEnded")
    def _ended(self, reason: str, actor_id: str, actor_role: str) -> None:
        self.status = PartnershipStatus.ENDED
        self.end_reason = EndReason(reason)
        self.extension_pending = None

    def request_feedback(self, actor: Actor) -> None:
        actor.require(Role.ADMINISTRATOR)
        self._require(PartnershipStatus.ENDED)
        if self.feedback_requested:
            raise NotAllowed("feedback has already been requested")
        self._feedback_requested(actor_id=actor.id, actor_role=actor.role)

    @event("FeedbackRequested")
    def _feedback_requested(self, actor_id: str, actor_role: str) -> None:
        self.feedback_requested = True

    def submit_feedback(self, rating: int, comments: str, actor: Actor) -> None:
        party = self._require_pair(actor)
        if not self.feedback_requested:
            raise NotAllowed("feedback has not been requested")
        if party in self.feedback_from:
            raise NotAllowed(f"the {party.value} has already given feedback")
        whole_number(rating, "rating", 1, 5)
        self._feedback_submitted(
            party=party.value,
            rating=rating,
            comments=Personal(actor.id, text(comments, "comments", 4000)),
            actor_id=actor.id,
            actor_role=actor.role,
        )

    @event("FeedbackSubmitted")
    def _feedback_submitted(
        self, party: str, rating: int, comments: Personal, actor_id: str, actor_role: str
    ) -> None:
        self.feedback_from.append(Party(party))

    def _check_day(self, day: date) -> None:
        past_or_today(day, "held_on")
        if self.started_on and day.isoformat() < self.started_on:
            raise Invalid("that date is before the partnership started")

