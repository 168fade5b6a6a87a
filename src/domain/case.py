"""A mentee's case: from expression of interest to a confirmed match, or to its close."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.actors import Actor, Role
from domain.errors import Invalid, NotAllowed
from domain.mentor import mentor_id
from domain.partnership import partnership_id_for
from domain.checks import past_or_today, text
from domain.people import PersonDetails, special_category
from domain.programme import Matching, ProgrammeSettings
from domain.protected import Personal, SpecialCategory
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


WAITING_FOR_MATCH = (Stage.AWAITING_MATCHING_REQUEST, Stage.AWAITING_MATCH)
OPEN_PROPOSAL = (Stage.MATCH_PROPOSED, Stage.DISCOVERY_CALL_HELD)
MAX_PREFERENCES = 5


class Case(Aggregate):
    Snapshot = EnumSnapshot
    enum_fields: EnumFields = {"stage": Stage, "matching": Matching, "closed_reason": ClosedReason}  # noqa: RUF012

    @classmethod
    def submit_eoi(
        cls,
        programme_id: UUID,
        settings: ProgrammeSettings,
        mentee_id: str,
        details: PersonDetails,
        statement: str,
        actor: Actor,
        line_manager_id: str | None = None,
    ) -> Case:
        if not (actor.role is Role.ADMINISTRATOR or (actor.role is Role.MENTEE and actor.id == mentee_id)):
            raise NotAllowed("only the mentee or an administrator may submit an expression of interest")
        if settings.line_manager_approval and not line_manager_id:
            raise Invalid("this programme needs the mentee's line manager")
        if line_manager_id == mentee_id:
            raise Invalid("a mentee cannot be their own line manager")
        return cls(
            programme_id=programme_id,
            mentee_id=mentee_id,
            line_manager_id=line_manager_id if settings.line_manager_approval else None,
            details=details.protect(mentee_id),
            statement=Personal(mentee_id, text(statement, "statement", 4000)),
            matching=settings.matching.value,
            exploratory_limit=settings.exploratory_conversations,
            actor_id=actor.id,
            actor_role=actor.role,
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
        actor_id: str,
        actor_role: str,
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
        self.stage = Stage.AWAITING_LINE_MANAGER if line_manager_id else self._ready_for_matching()

    def _ready_for_matching(self) -> Stage:
        if self.matching is Matching.SELF_SELECTED:
            return Stage.AWAITING_MATCHING_REQUEST
        return Stage.AWAITING_MATCH

    @property
    def is_waiting_for_match(self) -> bool:
        return self.stage in WAITING_FOR_MATCH

    # -- the line manager's decision ----------------------------------------------------
    def approve(self, actor: Actor, priority: bool = False) -> None:
        self._require_line_manager(actor)
        self._approved(priority=bool(priority), actor_id=actor.id, actor_role=actor.role)

    @event("LineManagerApproved")
    def _approved(self, priority: bool, actor_id: str, actor_role: str) -> None:
        self.priority = priority
        self.stage = self._ready_for_matching()

    def decline(self, actor: Actor, reason: str = "") -> None:
        self._require_line_manager(actor)
        self._declined(
            reason=Personal(self.mentee_id, text(reason, "reason", 2000)),
            actor_id=actor.id,
            actor_role=actor.role,
        )

    @event("LineManagerDeclined")
    def _declined(self, reason: Personal, actor_id: str, actor_role: str) -> None:
        self.stage = Stage.CLOSED
        self.closed_reason = ClosedReason.DECLINED

    def _require_line_manager(self, actor: Actor) -> None:
        self._require(Stage.AWAITING_LINE_MANAGER)
        if actor.role is not Role.LINE_MANAGER or actor.id != self.line_manager_id:
            raise NotAllowed("only the case's own line manager decides its expression of interest")

    # -- matching -----------------------------------------------------------------------
    def submit_matching_request(
        self,
        preferences: list[UUID],
        goals: str,
        actor: Actor,
        special: dict[str, str] | None = None,
        consent: bool = False,
    ) -> None:
        self._require_mentee_or_admin(actor)
        self._require(*WAITING_FOR_MATCH)
        if self.matching is Matching.ALLOCATED:
            raise NotAllowed("mentors are allocated in this programme, not chosen")
        if not 1 <= len(preferences) <= MAX_PREFERENCES or len(set(preferences)) != len(preferences):
            raise Invalid(f"name 1 to {MAX_PREFERENCES} different preferred mentors, in order")
        self._matching_requested(
            preferences=Personal(self.mentee_id, [str(p) for p in preferences]),
            goals=Personal(self.mentee_id, text(goals, "goals", 4000)),
            special=special_category(self.mentee_id, special, consent),
            actor_id=actor.id,
            actor_role=actor.role,
        )

    @event("MatchingRequestSubmitted")
    def _matching_requested(
        self, preferences: Personal, goals: Personal, special: SpecialCategory | None,
        actor_id: str, actor_role: str,
    ) -> None:
        self.preferences = preferences
        self.special = special
        self.stage = Stage.AWAITING_MATCH

    def hold_exploratory_conversation(self, mentor_id: UUID, held_on: date, actor: Actor) -> None:
        self._require_mentee_or_admin(actor)
        self._require(*WAITING_FOR_MATCH)
        if len(self.exploratory_mentors) >= self.exploratory_limit:
            raise NotAllowed(
                f"this programme allows {self.exploratory_limit} exploratory conversations"
            )
        if mentor_id in self.exploratory_mentors:
            raise NotAllowed("an exploratory conversation with this mentor was already held")
        past_or_today(held_on, "held_on")
        self._exploratory_held(
            mentor_id=mentor_id, held_on=held_on.isoformat(), actor_id=actor.id, actor_role=actor.role
        )

    @event("ExploratoryConversationHeld")
    def _exploratory_held(self, mentor_id: UUID, held_on: str, actor_id: str, actor_role: str) -> None:
        self.exploratory_mentors.append(mentor_id)

    def propose_match(self, mentor_id: UUID, reasons: str, actor: Actor) -> None:
        actor.require(Role.ADMINISTRATOR)
        self._require(Stage.AWAITING_MATCH)
        preferred = self.preferences is not None and str(mentor_id) in (self.preferences.value or [])
        self._proposed(
            mentor_id=mentor_id,
            from_preferences=preferred,
            reasons=Personal(self.mentee_id, text(reasons, "reasons", 2000)),
            actor_id=actor.id,
            actor_role=actor.role,
        )

    @event("MatchProposed")
    def _proposed(
        self, mentor_id: UUID, from_preferences: bool, reasons: Personal, actor_id: str, actor_role: str
    ) -> None:
        self.proposed_mentor = mentor_id
        self.stage = Stage.MATCH_PROPOSED

    def record_discovery_call(self, held_on: date, actor: Actor) -> None:
        self._require_party_or_admin(actor)
        self._require(Stage.MATCH_PROPOSED)
        past_or_today(held_on, "held_on")
        self._discovery_call(held_on=held_on.isoformat(), actor_id=actor.id, actor_role=actor.role)

    @event("DiscoveryCallHeld")
    def _discovery_call(self, held_on: str, actor_id: str, actor_role: str) -> None:
        self.stage = Stage.DISCOVERY_CALL_HELD

    def confirm_match(self, actor: Actor) -> UUID:
        actor.require(Role.ADMINISTRATOR)
        if self.matching is Matching.ALLOCATED:
            self._require(*OPEN_PROPOSAL)
        else:
            self._require(Stage.DISCOVERY_CALL_HELD)
        partnership_id = partnership_id_for(self.id, self.matches + 1)
        self._confirmed(
            mentor_id=self.proposed_mentor,
            partnership_id=partnership_id,
            actor_id=actor.id,
            actor_role=actor.role,
        )
        return partnership_id

    @event("MatchConfirmed")
    def _confirmed(self, mentor_id: UUID, partnership_id: UUID, actor_id: str, actor_role: str) -> None:
        self.partnership_id = partnership_id
        self.matches += 1
        self.stage = Stage.MATCHED

    def request_rematch(self, actor: Actor, reason: str = "") -> None:
        """No blame: no fault is recorded, the mentor's slot is released, matching resumes."""
        self._require_party_or_admin(actor)
        self._require(*OPEN_PROPOSAL, Stage.MATCHED)
        self._rematch(
            reason=Personal(self.mentee_id, text(reason, "reason", 2000)),
            actor_id=actor.id,
            actor_role=actor.role,
        )

    @event("RematchRequested")
    def _rematch(self, reason: Personal, actor_id: str, actor_role: str) -> None:
        self.proposed_mentor = None
        self.partnership_id = None
        self.stage = Stage.AWAITING_MATCH

    # -- closing --------------------------------------------------------------------------
    def withdraw(self, actor: Actor, reason: str = "") -> None:
        self._require_mentee_or_admin(actor)
        self._require(*(s for s in Stage if s is not Stage.CLOSED))
        self._withdrawn(
            reason=Personal(self.mentee_id, text(reason, "reason", 2000)),
            actor_id=actor.id,
            actor_role=actor.role,
        )

    @event("Withdrawn")
    def _withdrawn(self, reason: Personal, actor_id: str, actor_role: str) -> None:
        self.stage = Stage.CLOSED
        self.closed_reason = ClosedReason.WITHDRAWN

    def close_after_partnership(self, actor: Actor) -> None:
        self._require(Stage.MATCHED)
        self._closed(actor_id=actor.id, actor_role=actor.role)

    @event("CaseClosed")
    def _closed(self, actor_id: str, actor_role: str) -> None:
        self.stage = Stage.CLOSED
        self.closed_reason = ClosedReason.PARTNERSHIP_ENDED

    # -- guards ---------------------------------------------------------------------------
    def _require(self, *stages: Stage) -> None:
        if self.stage is Stage.CLOSED:
            raise NotAllowed(f"case {self.id} is closed")
        if self.stage not in stages:
            raise NotAllowed(f"case {self.id} is at stage {self.stage.value}")

    def _require_party_or_admin(self, actor: Actor) -> None:
        """The administrator, the mentee, or the mentor currently proposed or matched."""
        if actor.role is Role.MENTOR and self.proposed_mentor is not None:
            if mentor_id(self.programme_id, actor.id) == self.proposed_mentor:
                return
        self._require_mentee_or_admin(actor)

    def _require_mentee_or_admin(self, actor: Actor) -> None:
        if actor.role is Role.ADMINISTRATOR:
            return
        if actor.role is Role.MENTEE and actor.id == self.mentee_id:
            return
        raise NotAllowed("only the case's mentee or an administrator may do this")


