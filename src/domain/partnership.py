"""A partnership: agreement, confidential sessions, review, extension, end and feedback."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actors import Actor, Role
from domain.checks import choice, past_or_today, text, whole_number
from domain.errors import Invalid, NotAllowed
from domain.protected import Confidential, Personal
from domain.recording import TrellisAggregate, actor, for_person, today
from domain.snapshots import EnumFields, EnumSnapshot

if TYPE_CHECKING:
    from domain.mentor import Mentor


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
    ERASED = "erased"  # a party was erased (the system ends it)


class ReviewOutcome(StrEnum):
    CONTINUE = "continue"
    EXTEND = "extend"
    END = "end"


MAX_SESSION_MINUTES = 8 * 60


def partnership_id_for(case_id: UUID, match_number: int) -> UUID:
    """The n-th partnership formed for a case; a rematch forms the next one."""
    return uuid5(NAMESPACE_URL, f"trellis:partnership:{case_id}:{match_number}")


class Partnership(TrellisAggregate):
    Snapshot = EnumSnapshot
    enum_fields: EnumFields = {  # noqa: RUF012
        "status": PartnershipStatus, "signed": Party, "end_reason": EndReason, "feedback_from": Party,
    }

    class Event(TrellisAggregate.Event):
        def apply(self, partnership: Partnership) -> None:
            partnership.status = status_after(self) or partnership.status

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
    ) -> None:
        self.case_id = case_id
        self.programme_id = programme_id
        self.mentee_id = mentee_id
        self.mentor_id = mentor_id
        self.mentor_person_id = mentor_person_id
        self.planned_months = planned_months
        self.max_months = max_months
        self.signed: list[Party] = []
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
    def party_of(self, who: Actor) -> Party | None:
        if who.role is Role.MENTEE and who.id == self.mentee_id:
            return Party.MENTEE
        if who.role is Role.MENTOR and who.id == self.mentor_person_id:
            return Party.MENTOR
        return None

    def person_of(self, party: Party) -> str:
        return self.mentee_id if party is Party.MENTEE else self.mentor_person_id

    def _require_pair(self) -> Party:
        party = self.party_of(actor())
        if party is None:
            raise NotAllowed("only the mentee and mentor of this partnership may do this")
        return party

    def _require_pair_or_admin(self) -> None:
        if actor().role is not Role.ADMINISTRATOR:
            self._require_pair()

    def end_on_erasure(self) -> None:
        """A party is erased: the system ends the partnership, with no free text."""
        actor().require(Role.SYSTEM)
        self._require(PartnershipStatus.AWAITING_SIGNATURES, PartnershipStatus.ACTIVE)
        self._ended(reason=EndReason.ERASED.value)

    def _require(self, *statuses: PartnershipStatus) -> None:
        if self.status not in statuses:
            raise NotAllowed(f"partnership {self.id} is {self.status.value}")

    # -- agreement --------------------------------------------------------------------------
    def sign_agreement(self, party: Party | str) -> None:
        """Each party signs for themselves, or an administrator records it for them."""
        party = choice(Party, party, "party")
        if actor().role is not Role.ADMINISTRATOR and self.party_of(actor()) is not party:
            raise NotAllowed("a party signs for themselves, or an administrator records it")
        self._require(PartnershipStatus.AWAITING_SIGNATURES)
        if party in self.signed:
            raise NotAllowed(f"the {party.value} has already signed")
        with for_person(self.person_of(party)):
            self._signed(party=party.value)
        if len(self.signed) == len(Party):
            self._started(started_on=today().isoformat())

    @event("AgreementSigned")
    def _signed(self, party: str) -> None:
        self.signed.append(Party(party))

    @event("PartnershipStarted")
    def _started(self, started_on: str) -> None:
        self.started_on = started_on

    # -- sessions and review ----------------------------------------------------------------
    def record_session(self, held_on: date, minutes: int, medium: Medium | str, notes: str, actions: str) -> None:
        self._require_pair()
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
        )

    @event("SessionHeld")
    def _session_held(self, held_on: str, minutes: int, medium: str, notes: Confidential, actions: Confidential) -> None:
        self.sessions += 1

    def review_progress(self, outcome: ReviewOutcome | str, notes: str) -> None:
        """The review's outcome is a decision the programme acts on (an auditor and the
        administrators see it), kept as the mentee's personal data; its notes are the pair's."""
        self._require_pair_or_admin()
        self._require(PartnershipStatus.ACTIVE)
        outcome = choice(ReviewOutcome, outcome, "outcome")
        self._reviewed(
            outcome=Personal(self.mentee_id, outcome.value),
            notes=Confidential(str(self.id), text(notes, "notes", 20000)),
        )

    class ProgressReviewed(TrellisAggregate.Event):
        outcome: Personal | Confidential  # Confidential: recorded at v3, or v2 upcast
        notes: Confidential

        # v4: the outcome is the mentee's personal data; v3 kept it with the pair's
        # confidential content (and stays so: an event is never re-encrypted); v2 in clear
        class_version = 4

        @staticmethod
        def upcast_v2_v3(state: dict) -> None:
            if not isinstance(state["outcome"], Confidential):
                state["outcome"] = Confidential(str(state["originator_id"]), state["outcome"])

        @staticmethod
        def upcast_v3_v4(state: dict) -> None:
            pass  # the outcome stays as v3 stored it, confidential to the pair

    @event(ProgressReviewed)
    def _reviewed(self, outcome: Personal | Confidential, notes: Confidential) -> None:
        pass

    # -- extension ------------------------------------------------------------------------------
    def request_extension(self, months: int) -> None:
        self._require_pair_or_admin()
        self._require(PartnershipStatus.ACTIVE)
        if self.extension_pending is not None:
            raise NotAllowed("an extension request is already pending")
        self._check_extension(months)
        self._extension_requested(months=months)

    @event("ExtensionRequested")
    def _extension_requested(self, months: int) -> None:
        self.extension_pending = months

    def grant_extension(self, mentor: Mentor, cases_waiting: int) -> None:
        """Weighed against the mentor's capacity and the programme's cases waiting for a match:
        refused when the mentor has no free place and anyone is waiting."""
        actor().require(Role.ADMINISTRATOR)
        self._require(PartnershipStatus.ACTIVE)
        if self.extension_pending is None:
            raise NotAllowed("there is no extension request to grant")
        if mentor.id != self.mentor_id:
            raise Invalid("that is not this partnership's mentor")
        self._check_extension(self.extension_pending)
        if mentor.free <= 0 and cases_waiting > 0:
            raise NotAllowed(f"the mentor is at capacity and {cases_waiting} cases are waiting for a match")
        self._extension_granted(months=self.extension_pending)

    @event("ExtensionGranted")
    def _extension_granted(self, months: int) -> None:
        self.planned_months += months
        self.extension_pending = None

    def decline_extension(self) -> None:
        actor().require(Role.ADMINISTRATOR)
        self._require(PartnershipStatus.ACTIVE)
        if self.extension_pending is None:
            raise NotAllowed("there is no extension request to decline")
        self._extension_declined()

    @event("ExtensionDeclined")
    def _extension_declined(self) -> None:
        self.extension_pending = None

    def _check_extension(self, months: int) -> None:
        whole_number(months, "months", 1, self.max_months)
        if self.planned_months + months > self.max_months:
            raise NotAllowed(
                f"an extension of {months} months would exceed the programme's maximum of {self.max_months} months"
            )

    # -- ending and feedback -----------------------------------------------------------------------
    def end(self, reason: EndReason | str) -> None:
        self._require_pair_or_admin()
        self._require(PartnershipStatus.AWAITING_SIGNATURES, PartnershipStatus.ACTIVE)
        reason = choice(EndReason, reason, "reason")
        self._ended(reason=reason.value)

    @event("PartnershipEnded")
    def _ended(self, reason: str) -> None:
        self.end_reason = EndReason(reason)
        self.extension_pending = None

    def request_feedback(self) -> None:
        actor().require(Role.ADMINISTRATOR)
        self._require(PartnershipStatus.ENDED)
        if self.feedback_requested:
            raise NotAllowed("feedback has already been requested")
        self._feedback_requested()

    @event("FeedbackRequested")
    def _feedback_requested(self) -> None:
        self.feedback_requested = True

    def submit_feedback(self, rating: int, comments: str) -> None:
        party = self._require_pair()
        if not self.feedback_requested:
            raise NotAllowed("feedback has not been requested")
        if party in self.feedback_from:
            raise NotAllowed(f"the {party.value} has already given feedback")
        whole_number(rating, "rating", 1, 5)
        self._feedback_submitted(
            party=party.value, rating=Personal(actor().id, rating),
            comments=Personal(actor().id, text(comments, "comments", 4000)),
        )

    class FeedbackSubmitted(TrellisAggregate.Event):
        party: str
        rating: Personal
        comments: Personal

        # v3: the rating is the rater's personal data, encrypted (v2 kept it in clear)
        class_version = 3

        @staticmethod
        def upcast_v2_v3(state: dict) -> None:
            if not isinstance(state["rating"], Personal):
                state["rating"] = Personal(state["actor_id"], state["rating"])

    @event(FeedbackSubmitted)
    def _feedback_submitted(self, party: str, rating: Personal, comments: Personal) -> None:
        self.feedback_from.append(Party(party))

    def _check_day(self, day: date) -> None:
        past_or_today(day, "held_on")
        if self.started_on and day.isoformat() < self.started_on:
            raise Invalid("that date is before the partnership started")


_STATUS_AFTER: dict[type, PartnershipStatus] = {
    Partnership.PartnershipFormed: PartnershipStatus.AWAITING_SIGNATURES,
    Partnership.PartnershipStarted: PartnershipStatus.ACTIVE,
    Partnership.PartnershipEnded: PartnershipStatus.ENDED,
}


def status_after(event: object) -> PartnershipStatus | None:
    """The partnership's status after `event`, or None for an event that leaves it as it was."""
    return _STATUS_AFTER.get(type(event))
