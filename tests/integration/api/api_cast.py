"""Scenes for the authorisation matrix: one object at the stage a command needs, and its people.

`Stager(api.trellis).scene(stage)` builds, through the services, a fresh mentor, case or
partnership at `stage` in the stager's programme (which allows self-selected matching, line
managers' approval and two exploratory conversations), and the people of every role around
it: the case's mentee and line manager, the mentor, and an administrator, an auditor and a
DPO of their own. Each scene's ids are unique, so a command on one leaves every other valid.

Stages of a case, in order: awaiting_line_manager, approved, requested, proposed, called,
matched, active, extension_pending, ended, feedback_requested. The scene's mentor (capacity
3) is the one preferred, proposed and matched, so an extension can be granted.
Stages of a mentor (no case): interested, trained, in_pool (no slots used), paused.
Neither: newcomer (people with no record anywhere; the stager's programme) and programme
(a programme of its own, for commands that change a programme).
The DPO's stages: answers_given (a case whose mentee gave special-category answers with
their consent), mentor_answers_given (a mentor in the pool who did), erasure_requested (an
open erasure request about a mentee whose only case is closed, so it can be carried out),
access_requested (an open subject-access request about the mentee of an active partnership)
and held (a legal hold standing on a case). `Stager.with_dpo_records(scene)` adds both kinds
of open request about a scene's mentee and a hold on its case, for the routes that read them.

`STAGE_FOR` names the stage at which each command is valid, and `body_for` writes it a
valid body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain import Actor, PersonDetails, Role
from lifecycle import ADMIN, TODAY, World, identity_of, unique
from lifecycle import person as new_person

CASE_STAGES = (
    "awaiting_line_manager", "approved", "requested", "proposed", "called", "matched", "active",
    "extension_pending", "ended", "feedback_requested",
)
MENTOR_STAGES = ("interested", "trained", "in_pool", "paused")
DPO_STAGES = ("answers_given", "mentor_answers_given", "erasure_requested", "access_requested", "held")
OTHER_STAGES = ("newcomer", "programme")
ANSWERS = {"lived_experience": "first in the family at university"}
PROFILE = {"headline": "Head of maths", "expertise": ["maths"]}
# World.case's names for the stages it drives a case to
WORLD_STAGE = {"awaiting_line_manager": "eoi", "approved": "approved", "requested": "requested",
               "proposed": "proposed", "called": "called", "matched": "matched", "active": "active"}


@dataclass
class Scene:
    world: World
    people: dict[Role, Actor]
    mentor_id: Any = None
    case_id: Any = None
    partnership_id: Any = None
    requests: dict[str, Any] = field(default_factory=dict)  # "erasure" / "access" → an open request's id
    hold_id: Any = None

    @property
    def programme_id(self) -> Any:
        return self.world.programme_id


class Stager:
    def __init__(self, trellis: Any) -> None:
        self.trellis = trellis
        self.world = World.create(trellis, exploratory_conversations=2)

    def scene(self, stage: str) -> Scene:
        if stage in CASE_STAGES:
            return self._case(stage)
        if stage in MENTOR_STAGES:
            return self._mentor(stage)
        if stage in DPO_STAGES:
            return self._data_protection(stage)
        if stage == "newcomer":
            return Scene(self.world, _people(self.trellis))
        if stage == "programme":
            return Scene(World.create(self.trellis), _people(self.trellis))
        raise ValueError(f"no such stage {stage!r}")

    def _mentor(self, stage: str) -> Scene:
        t = self.trellis
        person = new_person(t, Role.MENTOR)
        mentor_id = t.express_mentor_interest(
            self.world.programme_id, person.id, PersonDetails("Mentor Name", f"{identity_of(person)}@example.org"), person,
        ).id
        steps = MENTOR_STAGES.index(stage)
        if steps >= 1:
            t.complete_mentor_training(mentor_id, TODAY, ADMIN)
        if steps >= 2:
            t.join_pool(mentor_id, 3, PROFILE, person)
        if steps >= 3:
            t.pause_mentor(mentor_id, person)
        return Scene(self.world, _people(self.trellis, mentor=person), mentor_id=mentor_id)

    def _case(self, stage: str) -> Scene:
        mentor_id, mentor = self.world.mentor(capacity=3)
        order = CASE_STAGES.index(stage)
        case = self.world.case(WORLD_STAGE[CASE_STAGES[min(order, CASE_STAGES.index("active"))]], mentor_id)
        partnership_id = case["partnership_id"]
        t = self.trellis
        if stage == "extension_pending":
            t.request_extension(partnership_id, 1, ADMIN)
        if order >= CASE_STAGES.index("ended"):
            t.end_partnership(partnership_id, "completed", ADMIN)
        if stage == "feedback_requested":
            t.request_feedback(partnership_id, ADMIN)
        people = _people(self.trellis, mentor=mentor, mentee=case["mentee"], line_manager=case["manager"])
        return Scene(self.world, people, mentor_id=mentor_id, case_id=case["case_id"], partnership_id=partnership_id)


    def _data_protection(self, stage: str) -> Scene:
        t = self.trellis
        if stage == "mentor_answers_given":
            s = self._mentor("trained")
            t.join_pool(s.mentor_id, 3, PROFILE, s.people[Role.MENTOR], special=ANSWERS, consent=True)
            return s
        s = self._case({"answers_given": "approved", "access_requested": "active"}.get(stage, "awaiting_line_manager"))
        mentee, dpo = s.people[Role.MENTEE], s.people[Role.DPO]
        if stage == "answers_given":
            t.submit_matching_request(s.case_id, [s.mentor_id], "Grow", mentee, special=ANSWERS, consent=True)
        if stage == "erasure_requested":
            t.withdraw_case(s.case_id, mentee)
            self.request(s, "erasure")
        if stage == "access_requested":
            self.request(s, "access")
        if stage == "held":
            s.hold_id = t.place_hold("case", str(s.case_id), "Tribunal claim 2026/17", dpo).id
        return s

    def request(self, s: Scene, kind: str) -> None:
        """An open request of `kind` about the scene's mentee, received by its DPO."""
        s.requests[kind] = self.trellis.receive_request(
            kind, s.people[Role.DPO], TODAY, person_id=s.people[Role.MENTEE].id,
        ).id

    def with_dpo_records(self, s: Scene) -> Scene:
        for kind in ("erasure", "access"):
            self.request(s, kind)
        s.hold_id = self.trellis.place_hold("case", str(s.case_id), "Tribunal claim 2026/17", s.people[Role.DPO]).id
        return s


def _people(
    trellis, mentor: Actor | None = None, mentee: Actor | None = None, line_manager: Actor | None = None,
) -> dict[Role, Actor]:
    return {
        Role.ADMINISTRATOR: new_person(trellis, Role.ADMINISTRATOR, "admin"),
        Role.LINE_MANAGER: line_manager or new_person(trellis, Role.LINE_MANAGER, "manager"),
        Role.MENTOR: mentor or new_person(trellis, Role.MENTOR),
        Role.MENTEE: mentee or new_person(trellis, Role.MENTEE),
        Role.AUDITOR: new_person(trellis, Role.AUDITOR),
        Role.DPO: new_person(trellis, Role.DPO),
    }


STAGE_FOR = {
    "POST /programmes": "newcomer",
    "POST /programmes/{programme_id}/reconfigure": "programme",
    "POST /mentors": "newcomer",
    "POST /mentors/{mentor_id}/training": "interested",
    "POST /mentors/{mentor_id}/join-pool": "trained",
    "POST /mentors/{mentor_id}/capacity": "in_pool",
    "POST /mentors/{mentor_id}/pause": "in_pool",
    "POST /mentors/{mentor_id}/resume": "paused",
    "POST /mentors/{mentor_id}/leave": "in_pool",
    "POST /cases": "newcomer",
    "POST /cases/{case_id}/approve": "awaiting_line_manager",
    "POST /cases/{case_id}/decline": "awaiting_line_manager",
    "POST /cases/{case_id}/matching-request": "approved",
    "POST /cases/{case_id}/exploratory-conversations": "approved",
    "POST /cases/{case_id}/match-proposal": "requested",
    "POST /cases/{case_id}/discovery-call": "proposed",
    "POST /cases/{case_id}/confirm-match": "called",
    "POST /cases/{case_id}/rematch": "matched",
    "POST /cases/{case_id}/withdraw": "awaiting_line_manager",
    "POST /partnerships/{partnership_id}/signatures": "matched",
    "POST /partnerships/{partnership_id}/sessions": "active",
    "POST /partnerships/{partnership_id}/review": "active",
    "POST /partnerships/{partnership_id}/extension-request": "active",
    "POST /partnerships/{partnership_id}/extension-grant": "extension_pending",
    "POST /partnerships/{partnership_id}/extension-decline": "extension_pending",
    "POST /partnerships/{partnership_id}/end": "active",
    "POST /partnerships/{partnership_id}/feedback-request": "ended",
    "POST /partnerships/{partnership_id}/feedback": "feedback_requested",
    "POST /cases/{case_id}/special-category-consent/withdraw": "answers_given",
    "POST /mentors/{mentor_id}/special-category-consent/withdraw": "mentor_answers_given",
    "POST /retention/erasure-requests": "newcomer",
    "POST /retention/erasure-requests/{request_id}/execute": "erasure_requested",
    "POST /retention/erasure-requests/{request_id}/refuse": "erasure_requested",
    "POST /retention/subject-access-requests": "newcomer",
    "POST /retention/subject-access-requests/{request_id}/complete": "access_requested",
    "POST /retention/legal-holds": "awaiting_line_manager",
    "POST /retention/legal-holds/{hold_id}/lift": "held",
    "POST /retention/schedule/run": "newcomer",
    "POST /retention/statistics-floor": "newcomer",
    "POST /audit/verification": "newcomer",
}


def body_for(key: str, s: Scene, role: Role, subject: str) -> dict[str, Any] | None:
    """A valid body for the command on `s`, as `role` would send it; `subject` is the person
    a body that names one names (POST /mentors, POST /cases)."""
    today = TODAY.isoformat()
    details = {"name": "Pat Example", "email": "pat@example.org"}
    bodies = {
        "POST /programmes": {"name": unique("Programme")},
        "POST /programmes/{programme_id}/reconfigure": {"name": s.world.settings.name, "typical_sessions": 8},
        "POST /mentors": {"programme_id": str(s.programme_id), "person_id": subject, "details": details},
        "POST /mentors/{mentor_id}/training": {"completed_on": today},
        "POST /mentors/{mentor_id}/join-pool": {"capacity": 2, "profile": {"headline": "Head"}},
        "POST /mentors/{mentor_id}/capacity": {"capacity": 4},
        "POST /cases": {"programme_id": str(s.programme_id), "mentee_id": subject, "details": details,
                        "statement": "Keen", "line_manager_id": unique("manager")},
        "POST /cases/{case_id}/approve": {"priority": True},
        "POST /cases/{case_id}/decline": {"reason": "Not now"},
        "POST /cases/{case_id}/matching-request": {"preferences": [str(s.mentor_id)], "goals": "Grow"},
        "POST /cases/{case_id}/exploratory-conversations": {"mentor_id": str(s.mentor_id), "held_on": today},
        "POST /cases/{case_id}/match-proposal": {"mentor_id": str(s.mentor_id), "reasons": "Fit"},
        "POST /cases/{case_id}/discovery-call": {"held_on": today},
        "POST /cases/{case_id}/rematch": {"reason": ""},
        "POST /cases/{case_id}/withdraw": {"reason": ""},
        # each party signs for themselves; an administrator records either
        "POST /partnerships/{partnership_id}/signatures": {"party": "mentor" if role is Role.MENTOR else "mentee"},
        "POST /partnerships/{partnership_id}/sessions": {"held_on": today, "minutes": 45, "medium": "video",
                                                         "notes": "n", "actions": "a"},
        "POST /partnerships/{partnership_id}/review": {"outcome": "continue", "notes": "n"},
        "POST /partnerships/{partnership_id}/extension-request": {"months": 1},
        "POST /partnerships/{partnership_id}/end": {"reason": "completed"},
        "POST /partnerships/{partnership_id}/feedback": {"rating": 4, "comments": ""},
        # the DPO names a request's subject by the identity they gave, or by the opaque id Trellis shows
        "POST /retention/erasure-requests": {"identity": identity_of(s.people[Role.MENTEE]), "received_on": today},
        "POST /retention/subject-access-requests": {"person_id": s.people[Role.MENTEE].id, "received_on": today},
        "POST /retention/erasure-requests/{request_id}/refuse": {"lawful_basis": "legal_claims"},
        "POST /retention/legal-holds": {"target": "case", "target_id": str(s.case_id), "reason": "Claim 2026/17"},
        "POST /retention/statistics-floor": {"floor": 5},  # the lowest it may be: no other test's statistics change
    }
    return bodies.get(key, {} if key.startswith("POST") else None)
