"""A mentee's case: from expression of interest to a confirmed match, or to its close.

`stage_after` and `closed_reason_after` are the case's stage machine: the aggregate moves
by them, and every read model that shows a stage uses the same two functions.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.actors import Role
from domain.checks import past_or_today, text
from domain.errors import Invalid, NotAllowed
from domain.mentor import Mentor, mentor_id
from domain.partnership import Partnership, partnership_id_for
from domain.people import PersonDetails, consent_record, special_category
from domain.programme import Matching, ProgrammeSettings
from domain.protected import Personal, SpecialCategory
from domain.recording import TrellisAggregate, actor, for_person
from domain.snapshots import EnumFields, EnumSnapshot


class Stage(StrEnum):
    AWAITING_LINE_MANAGER = "awaiting_line_manager"
    AWAITING_MATCHING_REQUEST = "awaiting_matching_request"
    AWAITING_MATCH = "awaiting_match"
    MATCH_PROPOSED = "match_proposed"
    DISCOVERY_CALL_HELD = "discovery_call_held"
    MATCHED = "matched"
    CLOSED = "closed"


class ClosedReason(StrEnum):
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    PARTNERSHIP_ENDED = "partnership_ended"
    ERASED = "erased"


WAITING_FOR_MATCH = (Stage.AWAITING_MATCHING_REQUEST, Stage.AWAITING_MATCH)
OPEN_PROPOSAL = (Stage.MATCH_PROPOSED, Stage.DISCOVERY_CALL_HELD)
MAX_PREFERENCES = 5


class Case(TrellisAggregate):
    Snapshot = EnumSnapshot
    enum_fields: EnumFields = {"stage": Stage, "matching": Matching, "closed_reason": ClosedReason}  # noqa: RUF012

    class Event(TrellisAggregate.Event):
        def apply(self, case: Case) -> None:
            """After each event's own changes: the stage machine, shared with the read models."""
            stage = stage_after(self, case.matching)
            if stage is not None:
                case.stage = stage
            case.closed_reason = closed_reason_after(self) or case.closed_reason

    @classmethod
    def submit_eoi(
        cls,
        programme_id: UUID,
        settings: ProgrammeSettings,
        mentee_id: str,
        details: PersonDetails,
        statement: str,
        line_manager_id: str | None = None,
    ) -> Case:
        who = actor()
        if not (who.role is Role.ADMINISTRATOR or (who.role is Role.MENTEE and who.id == mentee_id)):
            raise NotAllowed("only the mentee or an administrator may submit an expression of interest")
        if settings.line_manager_approval and not line_manager_id:
            raise Invalid("this programme needs the mentee's line manager")
        if line_manager_id == mentee_id:
            raise Invalid("a mentee cannot be their own line manager")
        with for_person(mentee_id):
            return cls(
                programme_id=programme_id,
                mentee_id=mentee_id,
                line_manager_id=line_manager_id if settings.line_manager_approval else None,
                details=details.protect(mentee_id),
                statement=Personal(mentee_id, text(statement, "statement", 4000)),
                matching=settings.matching.value,
                exploratory_limit=settings.exploratory_conversations,
            )

    @event("EOISubmitted")
    def __init__(
        self,
        programme_id: UUID,
        mentee_id: str,
        line_manager_id: str | None,
        details: dict[str, Personal],
        statement: Personal,
        matching: str,
        exploratory_limit: int,
    ) -> None:
        self.programme_id = programme_id
        self.mentee_id = mentee_id
        self.line_manager_id = line_manager_id
        self.details = details
        self.matching = Matching(matching)
        self.exploratory_limit = exploratory_limit
        self.exploratory_mentors: list[UUID] = []
        self.preferences: Personal | None = None
        self.special: SpecialCategory | None = None
        self.priority = False
        self.proposed_mentor: UUID | None = None
        self.partnership_id: UUID | None = None
        self.matches = 0
        self.closed_reason: ClosedReason | None = None

    @property
    def is_waiting_for_match(self) -> bool:
        return self.stage in WAITING_FOR_MATCH

    # -- the line manager's decision ----------------------------------------------------
    def approve(self, priority: bool = False) -> None:
        self._require_line_manager()
        self._approved(priority=bool(priority))

    @event("LineManagerApproved")
    def _approved(self, priority: bool) -> None:
        self.priority = priority

    def decline(self, reason: str = "") -> None:
        self._require_line_manager()
        self._declined(reason=Personal(self.mentee_id, text(reason, "reason", 2000)))

    @event("LineManagerDeclined")
    def _declined(self, reason: Personal) -> None:
        pass

    def _require_line_manager(self) -> None:
        self._require(Stage.AWAITING_LINE_MANAGER)
        who = actor()
        if who.role is not Role.LINE_MANAGER or who.id != self.line_manager_id:
            raise NotAllowed("only the case's own line manager decides its expression of interest")

    # -- matching -----------------------------------------------------------------------
    def submit_matching_request(
        self, preferences: list[UUID], goals: str, special: dict[str, str] | None = None, consent: bool = False,
    ) -> None:
        self._require_mentee_or_admin()
        self._require(*WAITING_FOR_MATCH)
        if self.matching is Matching.ALLOCATED:
            raise NotAllowed("mentors are allocated in this programme, not chosen")
        if not 1 <= len(preferences) <= MAX_PREFERENCES or len(set(preferences)) != len(preferences):
            raise Invalid(f"name 1 to {MAX_PREFERENCES} different preferred mentors, in order")
        answers, consent_given = special_category(self.mentee_id, special, consent)
        with for_person(self.mentee_id):
            self._matching_requested(
                preferences=Personal(self.mentee_id, [str(p) for p in preferences]),
                goals=Personal(self.mentee_id, text(goals, "goals", 4000)),
                special=answers,
                consent=consent_given,
            )

    class MatchingRequestSubmitted(TrellisAggregate.Event):
        preferences: Personal
        goals: Personal
        special: SpecialCategory | None
        consent: Personal | None

        # v3 always carries the (padded) answers and the consent they are kept under
        class_version = 3

        @staticmethod
        def upcast_v2_v3(state: dict) -> None:
            state.setdefault("consent", None)

    @event(MatchingRequestSubmitted)
    def _matching_requested(
        self, preferences: Personal, goals: Personal, special: SpecialCategory | None, consent: Personal | None,
    ) -> None:
        self.preferences = preferences
        self.special = special

    def withdraw_special_category_consent(self) -> None:
        """The mentee alone withdraws it; the answers leave matching (and their key is destroyed)."""
        who = actor()
        if who.id != self.mentee_id:  # the person themselves, in whichever role they act
            raise NotAllowed("only the person who gave special-category answers withdraws their consent")
        if not self.special or not self.special.value:
            raise NotAllowed("no special-category answers are kept here to withdraw consent for")
        self._consent_changed(consent=consent_record(self.mentee_id, given=False))

    @event("ConsentChanged")
    def _consent_changed(self, consent: Personal) -> None:
        self.special = None

    def hold_exploratory_conversation(self, mentor_id: UUID, held_on: date) -> None:
        self._require_mentee_or_admin()
        self._require(*WAITING_FOR_MATCH)
        if len(self.exploratory_mentors) >= self.exploratory_limit:
            raise NotAllowed(f"this programme allows {self.exploratory_limit} exploratory conversations")
        if mentor_id in self.exploratory_mentors:
            raise NotAllowed("an exploratory conversation with this mentor was already held")
        past_or_today(held_on, "held_on")
        with for_person(self.mentee_id):
            self._exploratory_held(mentor_id=mentor_id, held_on=held_on.isoformat())

    @event("ExploratoryConversationHeld")
    def _exploratory_held(self, mentor_id: UUID, held_on: str) -> None:
        self.exploratory_mentors.append(mentor_id)

    def propose_match(self, mentor_id: UUID, reasons: str) -> None:
        actor().require(Role.ADMINISTRATOR)
        self._require(Stage.AWAITING_MATCH)
        preferred = self.preferences is not None and str(mentor_id) in (self.preferences.value or [])
        self._proposed(
            mentor_id=mentor_id,
            from_preferences=preferred,
            reasons=Personal(self.mentee_id, text(reasons, "reasons", 2000)),
        )

    @event("MatchProposed")
    def _proposed(self, mentor_id: UUID, from_preferences: bool, reasons: Personal) -> None:
        self.proposed_mentor = mentor_id

    def record_discovery_call(self, held_on: date) -> None:
        self._require_party_or_admin()
        self._require(Stage.MATCH_PROPOSED)
        past_or_today(held_on, "held_on")
        self._discovery_call(held_on=held_on.isoformat())

    @event("DiscoveryCallHeld")
    def _discovery_call(self, held_on: str) -> None:
        pass

    def confirm_match(self) -> UUID:
        """Returns the id of the partnership the match forms (the next for this case)."""
        actor().require(Role.ADMINISTRATOR)
        if self.matching is Matching.ALLOCATED:
            self._require(*OPEN_PROPOSAL)
        else:
            self._require(Stage.DISCOVERY_CALL_HELD)
        partnership_id = partnership_id_for(self.id, self.matches + 1)
        self._confirmed(mentor_id=self.proposed_mentor, partnership_id=partnership_id)
        return partnership_id

    @event("MatchConfirmed")
    def _confirmed(self, mentor_id: UUID, partnership_id: UUID) -> None:
        self.partnership_id = partnership_id
        self.matches += 1

    def form_partnership(self, mentor: Mentor, settings: ProgrammeSettings) -> Partnership:
        """The partnership the confirmed match forms: this case's mentee and its mentor, planned
        for the programme's default duration."""
        if self.partnership_id is None or self.proposed_mentor != mentor.id:
            raise NotAllowed(f"case {self.id} has no confirmed match with mentor {mentor.id}")
        return Partnership(
            case_id=self.id, match_number=self.matches, programme_id=self.programme_id, mentee_id=self.mentee_id,
            mentor_id=mentor.id, mentor_person_id=mentor.person_id,
            planned_months=settings.default_duration_months, max_months=settings.max_duration_months,
        )

    def request_rematch(self, reason: str = "") -> None:
        """No blame: no fault is recorded, the mentor's slot is released, matching resumes."""
        self._require_party_or_admin()
        self._require(*OPEN_PROPOSAL, Stage.MATCHED)
        self._rematch(reason=Personal(self.mentee_id, text(reason, "reason", 2000)))

    @event("RematchRequested")
    def _rematch(self, reason: Personal) -> None:
        self.proposed_mentor = None
        self.partnership_id = None

    # -- closing --------------------------------------------------------------------------
    def withdraw(self, reason: str = "") -> None:
        self._require_mentee_or_admin()
        self._require(*(s for s in Stage if s is not Stage.CLOSED))
        with for_person(self.mentee_id):
            self._withdrawn(reason=Personal(self.mentee_id, text(reason, "reason", 2000)))

    @event("Withdrawn")
    def _withdrawn(self, reason: Personal) -> None:
        pass

    def close_after_partnership(self) -> None:
        self._require(Stage.MATCHED)
        self._closed()

    @event("CaseClosed")
    def _closed(self) -> None:
        pass

    # -- erasure: by the system, with no free text --------------------------------------------
    def close_on_erasure(self) -> None:
        """The mentee is erased: their open case closes."""
        _require_system()
        self._require(*(s for s in Stage if s is not Stage.CLOSED))
        self._closed_on_erasure()

    @event("ClosedOnErasure")
    def _closed_on_erasure(self) -> None:
        pass

    def release_erased_mentor(self) -> None:
        """The proposed or matched mentor is erased: no blame, the case returns to matching."""
        _require_system()
        self._require(*OPEN_PROPOSAL, Stage.MATCHED)
        self._mentor_erased()

    @event("MentorErased")
    def _mentor_erased(self) -> None:
        self.proposed_mentor = None
        self.partnership_id = None

    # -- guards ---------------------------------------------------------------------------
    def _require(self, *stages: Stage) -> None:
        if self.stage is Stage.CLOSED:
            raise NotAllowed(f"case {self.id} is closed")
        if self.stage not in stages:
            raise NotAllowed(f"case {self.id} is at stage {self.stage.value}")

    def _require_party_or_admin(self) -> None:
        """The administrator, the mentee, or the mentor currently proposed or matched."""
        who = actor()
        if who.role is Role.MENTOR and self.proposed_mentor is not None:
            if mentor_id(self.programme_id, who.id) == self.proposed_mentor:
                return
        self._require_mentee_or_admin()

    def _require_mentee_or_admin(self) -> None:
        who = actor()
        if who.role is Role.ADMINISTRATOR:
            return
        if who.role is Role.MENTEE and who.id == self.mentee_id:
            return
        raise NotAllowed("only the case's mentee or an administrator may do this")


def _require_system() -> None:
    actor().require(Role.SYSTEM)


# -- the stage machine ---------------------------------------------------------------------
_STAGE_AFTER: dict[type, Stage] = {
    Case.ClosedOnErasure: Stage.CLOSED,
    Case.MentorErased: Stage.AWAITING_MATCH,
    Case.LineManagerDeclined: Stage.CLOSED,
    Case.MatchingRequestSubmitted: Stage.AWAITING_MATCH,
    Case.MatchProposed: Stage.MATCH_PROPOSED,
    Case.DiscoveryCallHeld: Stage.DISCOVERY_CALL_HELD,
    Case.MatchConfirmed: Stage.MATCHED,
    Case.RematchRequested: Stage.AWAITING_MATCH,
    Case.Withdrawn: Stage.CLOSED,
    Case.CaseClosed: Stage.CLOSED,
}
_CLOSED_REASON: dict[type, ClosedReason] = {
    Case.ClosedOnErasure: ClosedReason.ERASED,
    Case.LineManagerDeclined: ClosedReason.DECLINED,
    Case.Withdrawn: ClosedReason.WITHDRAWN,
    Case.CaseClosed: ClosedReason.PARTNERSHIP_ENDED,
}


def ready_for_matching(matching: Matching | str) -> Stage:
    """Where a case goes once no line manager stands before matching."""
    if Matching(matching) is Matching.SELF_SELECTED:
        return Stage.AWAITING_MATCHING_REQUEST
    return Stage.AWAITING_MATCH


def stage_after(event: object, matching: Matching | str | None) -> Stage | None:
    """The stage a case is at after `event`, or None for an event that leaves it where it was.
    `matching` is the case's matching style (needed after a line manager's approval)."""
    if isinstance(event, Case.EOISubmitted):
        return Stage.AWAITING_LINE_MANAGER if event.line_manager_id else ready_for_matching(event.matching)
    if isinstance(event, Case.LineManagerApproved):
        return ready_for_matching(matching or Matching.SELF_SELECTED)
    return _STAGE_AFTER.get(type(event))


def closed_reason_after(event: object) -> ClosedReason | None:
    return _CLOSED_REASON.get(type(event))
