"""The lifecycle state machine's own model of one programme: what every command must do.

Written from DESIGN.md's lifecycle, never read back from the aggregates under test: each
command is a `Prediction` — the reasons the model would refuse it (none: it must be
accepted) and what it changes once accepted. Stage, status and party names are the
test's own literals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain import Actor, Role

WAITING = ("awaiting_matching_request", "awaiting_match")
PROPOSED = ("match_proposed", "discovery_call_held")
PARTIES = ("mentee", "mentor")
LARGEST_CAPACITY = 20
LONGEST_SESSION = 8 * 60


@dataclass
class Prediction:
    refusals: list[str]
    then: Callable[[object], None]  # applied to the command's answer once it is accepted


def predict(checks: dict[str, bool], then: Callable[[object], None] = lambda _: None) -> Prediction:
    """`checks` names each reason to refuse and whether it holds."""
    return Prediction([reason for reason, holds in checks.items() if holds], then)


@dataclass
class MentorModel:
    id: UUID
    actor: Actor
    status: str = "interested"
    capacity: int = 0
    held: set[UUID] = field(default_factory=set)
    confirmed: set[UUID] = field(default_factory=set)

    @property
    def free(self) -> int:
        return self.capacity - len(self.held) - len(self.confirmed)

    def release(self, case_id: UUID) -> None:
        self.held.discard(case_id)
        self.confirmed.discard(case_id)


@dataclass
class CaseModel:
    id: UUID
    mentee: Actor
    manager: Actor
    line_manager_id: str | None
    matching: str
    stage: str
    priority: bool = False
    proposed: UUID | None = None
    partnership: UUID | None = None
    explored: list[UUID] = field(default_factory=list)
    closed_reason: str | None = None

    def close(self, reason: str) -> None:
        self.stage, self.closed_reason = "closed", reason


@dataclass
class PartnershipModel:
    id: UUID
    case_id: UUID
    mentee: Actor
    mentor: MentorModel
    planned: int
    max_months: int
    status: str = "awaiting_signatures"
    signed: set[str] = field(default_factory=set)
    started_on: date | None = None
    sessions: int = 0
    pending: int | None = None
    end_reason: str | None = None
    feedback_requested: bool = False
    feedback_from: set[str] = field(default_factory=set)

    def party_of(self, who: Actor) -> str | None:
        if who.role is Role.MENTEE and who.id == self.mentee.id:
            return "mentee"
        if who.role is Role.MENTOR and who.id == self.mentor.actor.id:
            return "mentor"
        return None

    def end(self, reason: str) -> None:
        self.status, self.end_reason, self.pending = "ended", reason, None


def is_admin(who: Actor) -> bool:
    return who.role is Role.ADMINISTRATOR


def first_stage(matching: str) -> str:
    """Where a case starts matching once no line manager stands before it."""
    return "awaiting_matching_request" if matching == "self_selected" else "awaiting_match"


@dataclass
class Model:
    """One programme as the test expects it to be."""

    line_manager_approval: bool
    matching: str
    exploratory_limit: int
    default_months: int
    max_months: int
    today: date
    mentors: dict[UUID, MentorModel] = field(default_factory=dict)
    cases: dict[UUID, CaseModel] = field(default_factory=dict)
    partnerships: dict[UUID, PartnershipModel] = field(default_factory=dict)

    def cases_waiting(self) -> int:
        return sum(1 for case in self.cases.values() if case.stage in WAITING)

    # -- who may act ----------------------------------------------------------------------
    @staticmethod
    def mentee_or_admin(who: Actor, case: CaseModel) -> bool:
        return is_admin(who) or (who.role is Role.MENTEE and who.id == case.mentee.id)

    def party_or_admin(self, who: Actor, case: CaseModel) -> bool:
        """The administrator, the mentee, or the mentor the case is proposed to or matched with."""
        mentor = self.mentors.get(case.proposed) if case.proposed else None
        own_mentor = mentor is not None and who.role is Role.MENTOR and who.id == mentor.actor.id
        return own_mentor or self.mentee_or_admin(who, case)

    @staticmethod
    def self_or_admin(who: Actor, person_id: str) -> bool:
        return is_admin(who) or (who.role is Role.MENTOR and who.id == person_id)

    # -- mentors ----------------------------------------------------------------------------
    def express_interest(self, who: Actor, person: Actor) -> Prediction:
        def then(recorded) -> None:
            self.mentors[recorded.id] = MentorModel(recorded.id, person)

        return predict({
            "only the mentor or an administrator": not self.self_or_admin(who, person.id),
            "this person has already expressed interest": any(m.actor.id == person.id for m in self.mentors.values()),
        }, then)

    def complete_training(self, mentor: MentorModel, who: Actor, day: date) -> Prediction:
        return predict({
            "only an administrator records training": not is_admin(who),
            f"the mentor is {mentor.status}": mentor.status != "interested",
            "the day is in the future": day > self.today,
        }, lambda _: setattr(mentor, "status", "trained"))

    def join_pool(self, mentor: MentorModel, who: Actor, capacity: int, special: bool, consent: bool) -> Prediction:
        def then(_) -> None:
            mentor.status, mentor.capacity = "in_pool", capacity

        return predict({
            "only the mentor or an administrator": not self.self_or_admin(who, mentor.actor.id),
            f"the mentor is {mentor.status}": mentor.status != "trained",
            "capacity out of range": not 1 <= capacity <= LARGEST_CAPACITY,
            "special-category answers from anyone but the mentor": special and who != mentor.actor,
            "special-category answers without consent": special and not consent,
        }, then)

    def change_capacity(self, mentor: MentorModel, who: Actor, capacity: int) -> Prediction:
        return predict({
            "only the mentor or an administrator": not self.self_or_admin(who, mentor.actor.id),
            f"the mentor is {mentor.status}": mentor.status not in ("in_pool", "paused"),
            "capacity out of range": not 1 <= capacity <= LARGEST_CAPACITY,
            "capacity below the places committed": capacity < len(mentor.held) + len(mentor.confirmed),
        }, lambda _: setattr(mentor, "capacity", capacity))

    def move_mentor(self, mentor: MentorModel, who: Actor, action: str) -> Prediction:
        """pause (in the pool → paused), resume (paused → in the pool), leave (either → left, if free of cases)."""
        before, after = {"pause": (("in_pool",), "paused"), "resume": (("paused",), "in_pool"),
                         "leave": (("in_pool", "paused"), "left")}[action]
        return predict({
            "only the mentor or an administrator": not self.self_or_admin(who, mentor.actor.id),
            f"the mentor is {mentor.status}": mentor.status not in before,
            "a mentor with cases cannot leave": action == "leave" and bool(mentor.held or mentor.confirmed),
        }, lambda _: setattr(mentor, "status", after))

    # -- cases ------------------------------------------------------------------------------
    def submit_eoi(self, who: Actor, mentee: Actor, manager: Actor, names_manager: bool) -> Prediction:
        needs_manager = self.line_manager_approval

        def then(recorded) -> None:
            stage = "awaiting_line_manager" if needs_manager else first_stage(self.matching)
            self.cases[recorded.id] = CaseModel(
                recorded.id, mentee, manager, manager.id if needs_manager else None, self.matching, stage,
            )

        return predict({
            "only the mentee or an administrator": not (is_admin(who) or who == mentee),
            "this programme needs the line manager": needs_manager and not names_manager,
        }, then)

    def line_manager_decides(self, case: CaseModel, who: Actor, approve: bool, priority: bool) -> Prediction:
        def then(_) -> None:
            if approve:
                case.stage, case.priority = first_stage(case.matching), priority
            else:
                case.close("declined")

        return predict({
            f"the case is {case.stage}": case.stage != "awaiting_line_manager",
            "only the case's own line manager": not (who.role is Role.LINE_MANAGER and who.id == case.line_manager_id),
        }, then)

    def submit_matching_request(
        self, case: CaseModel, who: Actor, preferences: list[UUID], special: bool, consent: bool,
    ) -> Prediction:
        return predict({
            "only the mentee or an administrator": not self.mentee_or_admin(who, case),
            f"the case is {case.stage}": case.stage not in WAITING,
            "mentors are allocated in this programme": case.matching == "allocated",
            "1 to 5 different preferences": not 1 <= len(set(preferences)) == len(preferences) <= 5,
            "special-category answers from anyone but the mentee": special and who != case.mentee,
            "special-category answers without consent": special and not consent,
        }, lambda _: setattr(case, "stage", "awaiting_match"))

    def hold_exploratory_conversation(self, case: CaseModel, who: Actor, mentor: MentorModel, day: date) -> Prediction:
        return predict({
            "only the mentee or an administrator": not self.mentee_or_admin(who, case),
            f"the case is {case.stage}": case.stage not in WAITING,
            "no exploratory conversation left": len(case.explored) >= self.exploratory_limit,
            "already held with this mentor": mentor.id in case.explored,
            "the day is in the future": day > self.today,
        }, lambda _: case.explored.append(mentor.id))

    def propose_match(self, case: CaseModel, who: Actor, mentor: MentorModel) -> Prediction:
        def then(_) -> None:
            case.stage, case.proposed = "match_proposed", mentor.id
            mentor.held.add(case.id)

        return predict({
            "only an administrator proposes": not is_admin(who),
            f"the case is {case.stage}": case.stage != "awaiting_match",
            f"the mentor is {mentor.status}": mentor.status != "in_pool",
            "the mentor has no free place": mentor.free <= 0,
        }, then)

    def record_discovery_call(self, case: CaseModel, who: Actor, day: date) -> Prediction:
        return predict({
            "only a party or an administrator": not self.party_or_admin(who, case),
            f"the case is {case.stage}": case.stage != "match_proposed",
            "the day is in the future": day > self.today,
        }, lambda _: setattr(case, "stage", "discovery_call_held"))

    def confirm_match(self, case: CaseModel, who: Actor) -> Prediction:
        ready = PROPOSED if case.matching == "allocated" else ("discovery_call_held",)

        def then(recorded) -> None:
            mentor = self.mentors[case.proposed]
            mentor.held.discard(case.id)
            mentor.confirmed.add(case.id)
            case.stage, case.partnership = "matched", recorded.id
            self.partnerships[recorded.id] = PartnershipModel(
                recorded.id, case.id, case.mentee, mentor, self.default_months, self.max_months,
            )

        return predict({
            "only an administrator confirms": not is_admin(who),
            f"the case is {case.stage}": case.stage not in ready,
        }, then)

    def request_rematch(self, case: CaseModel, who: Actor) -> Prediction:
        """No blame: any partnership ends as rematched, the slot is released, matching resumes."""
        def then(_) -> None:
            self.release(case, "rematched")
            case.stage, case.proposed, case.partnership = "awaiting_match", None, None

        return predict({
            "only a party or an administrator": not self.party_or_admin(who, case),
            f"the case is {case.stage}": case.stage not in (*PROPOSED, "matched"),
        }, then)

    def withdraw(self, case: CaseModel, who: Actor) -> Prediction:
        def then(_) -> None:
            self.release(case, "withdrawn")
            case.close("withdrawn")

        return predict({
            "only the mentee or an administrator": not self.mentee_or_admin(who, case),
            "the case is closed": case.stage == "closed",
        }, then)

    def release(self, case: CaseModel, end_reason: str) -> None:
        """The case's open partnership ends and its mentor's slot is freed."""
        partnership = self.partnerships.get(case.partnership) if case.partnership else None
        if partnership is not None and partnership.status != "ended":
            partnership.end(end_reason)
        if case.proposed is not None:
            self.mentors[case.proposed].release(case.id)

    # -- partnerships -------------------------------------------------------------------------
    def sign_agreement(self, partnership: PartnershipModel, who: Actor, party: str) -> Prediction:
        def then(_) -> None:
            partnership.signed.add(party)
            if partnership.signed == set(PARTIES):
                partnership.status, partnership.started_on = "active", self.today

        return predict({
            "a party signs for themselves, or an administrator": not is_admin(who)
            and partnership.party_of(who) != party,
            f"the partnership is {partnership.status}": partnership.status != "awaiting_signatures",
            f"the {party} has already signed": party in partnership.signed,
        }, then)

    def record_session(self, partnership: PartnershipModel, who: Actor, day: date, minutes: int) -> Prediction:
        return predict({
            "only the pair records sessions": partnership.party_of(who) is None,
            f"the partnership is {partnership.status}": partnership.status != "active",
            "the day is in the future": day > self.today,
            "the day is before the partnership started": partnership.started_on is not None
            and day < partnership.started_on,
            "minutes out of range": not 1 <= minutes <= LONGEST_SESSION,
        }, lambda _: setattr(partnership, "sessions", partnership.sessions + 1))

    def pair_or_admin(self, partnership: PartnershipModel, who: Actor) -> bool:
        return is_admin(who) or partnership.party_of(who) is not None

    def review_progress(self, partnership: PartnershipModel, who: Actor) -> Prediction:
        return predict({
            "only the pair or an administrator": not self.pair_or_admin(partnership, who),
            f"the partnership is {partnership.status}": partnership.status != "active",
        })

    def request_extension(self, partnership: PartnershipModel, who: Actor, months: int) -> Prediction:
        return predict({
            "only the pair or an administrator": not self.pair_or_admin(partnership, who),
            f"the partnership is {partnership.status}": partnership.status != "active",
            "an extension is already pending": partnership.pending is not None,
            "months out of range": not 1 <= months <= partnership.max_months,
            "beyond the programme's maximum": partnership.planned + months > partnership.max_months,
        }, lambda _: setattr(partnership, "pending", months))

    def decide_extension(self, partnership: PartnershipModel, who: Actor, grant: bool) -> Prediction:
        """Granting is refused while the mentor has no free place and anyone waits for a match."""
        def then(_) -> None:
            partnership.planned += partnership.pending if grant else 0
            partnership.pending = None

        return predict({
            "only an administrator decides": not is_admin(who),
            f"the partnership is {partnership.status}": partnership.status != "active",
            "no extension is pending": partnership.pending is None,
            "the mentor is full and cases are waiting": grant and partnership.mentor.free <= 0
            and self.cases_waiting() > 0,
        }, then)

    def end(self, partnership: PartnershipModel, who: Actor, reason: str) -> Prediction:
        """Ends the partnership, closes its case and frees the mentor's place."""
        def then(_) -> None:
            partnership.end(reason)
            self.cases[partnership.case_id].close("partnership_ended")
            partnership.mentor.release(partnership.case_id)

        return predict({
            "only the pair or an administrator": not self.pair_or_admin(partnership, who),
            f"the partnership is {partnership.status}": partnership.status == "ended",
        }, then)

    def request_feedback(self, partnership: PartnershipModel, who: Actor) -> Prediction:
        return predict({
            "only an administrator requests feedback": not is_admin(who),
            f"the partnership is {partnership.status}": partnership.status != "ended",
            "feedback was already requested": partnership.feedback_requested,
        }, lambda _: setattr(partnership, "feedback_requested", True))

    def submit_feedback(self, partnership: PartnershipModel, who: Actor, rating: int) -> Prediction:
        party = partnership.party_of(who)
        return predict({
            "only the pair gives feedback": party is None,
            "feedback was not requested": not partnership.feedback_requested,
            "this party already gave feedback": party in partnership.feedback_from,
            "rating out of range": not 1 <= rating <= 5,
        }, lambda _: partnership.feedback_from.add(party))
