"""A Hypothesis state machine over the whole lifecycle, checking the invariants after every step.

Mentors with small capacities, several cases, and random commands by random actors — many
of which the domain must refuse. Every refusal must write nothing; every invariant of
DESIGN.md must hold after every step.
"""

from __future__ import annotations

import sys
from datetime import date

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from api.bootstrap import build_app
from api.settings import Settings
from domain import (
    Actor, Case, Mentor, MentorStatus, Partnership, PartnershipStatus, Programme, Role, Stage, TrellisError,
)
from domain.case import OPEN_PROPOSAL
from lifecycle import ADMIN, World, unique

MAX_CASES = 6
CONFIGS = [
    {"line_manager_approval": True, "matching": "self_selected", "exploratory_conversations": 1},
    {"line_manager_approval": False, "matching": "self_selected", "exploratory_conversations": 0},
    {"line_manager_approval": False, "matching": "allocated", "exploratory_conversations": 0},
]
index = st.integers(min_value=0, max_value=99)
who = st.sampled_from(["own", "admin", "other-mentor", "stranger"])


class Lifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.app = build_app(Settings(environment="test", persistence="memory"))
        self.mentors: list[tuple] = []  # (mentor id, mentor actor)
        self.cases: list[dict] = []
        self.partnerships: list = []
        self.closed_versions: dict = {}

    def teardown(self) -> None:
        self.app.close()

    # -- set-up ------------------------------------------------------------------------------
    @initialize(
        config=st.sampled_from(CONFIGS),
        capacities=st.lists(st.integers(1, 2), min_size=2, max_size=3),
        cases=st.integers(2, 4),
    )
    def programme_mentors_and_cases(self, config, capacities, cases):
        self.world = World.create(self.app, default_duration_months=12, max_duration_months=15, **config)
        self.mentors = [self.world.mentor(capacity=c) for c in capacities]
        self.cases = [self.world.case("eoi") for _ in range(cases)]

    # -- helpers -------------------------------------------------------------------------------
    def attempt(self, command, must_refuse: bool = False, label: str = "") -> bool:
        rule_name = label or sys._getframe(1).f_code.co_name  # for --hypothesis-show-statistics
        before = self.app.recorder.max_notification_id()
        try:
            command()
        except TrellisError:
            assert self.app.recorder.max_notification_id() == before, "a refused command wrote events"
            event(f"{rule_name}: refused")
            return False
        assert not must_refuse, "a command that breaks an invariant was accepted"
        event(f"{rule_name}: accepted")
        return True

    def case(self, i: int, *stages: Stage) -> dict:
        """Mostly a case at one of `stages` (so the lifecycle moves on), otherwise any case."""
        fitting = [c for c in self.cases if self.load_case(c).stage in stages]
        pool = fitting if fitting and i % 4 else self.cases
        return pool[i % len(pool)]

    def partnership(self, p: int, *statuses: PartnershipStatus) -> tuple:
        fitting = [x for x in self.partnerships if self.app.load(Partnership, x[0]).status in statuses]
        pool = fitting if fitting and p % 4 else self.partnerships
        return pool[p % len(pool)]

    def mentor(self, i: int) -> tuple:
        return self.mentors[i % len(self.mentors)]

    def load_case(self, c: dict) -> Case:
        return self.app.load(Case, c["case_id"])

    def actor_for(self, c: dict, kind: str, party: str = "mentee") -> Actor:
        if kind == "admin":
            return ADMIN
        if kind == "own":
            if party == "mentor":
                case = self.load_case(c)
                mentor = next((a for m, a in self.mentors if m == case.proposed_mentor), None)
                return mentor or ADMIN
            return c[party]
        if kind == "other-mentor":
            return self.mentors[-1][1]
        return Actor(unique("stranger"), Role.MENTEE)

    # -- the natural next step for a case, so runs reach deep into the lifecycle ---------
    @rule(i=index, m=index, steps=st.integers(1, 8))
    def advance(self, i, m, steps):
        for _ in range(steps):
            self.advance_case(self.cases[i % len(self.cases)], m)

    def advance_case(self, c, m):
        case = self.load_case(c)
        step = {
            Stage.AWAITING_LINE_MANAGER: lambda: self.app.approve_eoi(c["case_id"], c["manager"], priority=bool(m % 2)),
            Stage.AWAITING_MATCHING_REQUEST: lambda: self.app.submit_matching_request(
                c["case_id"], [self.mentor(m)[0]], "goals", c["mentee"]
            ),
            Stage.AWAITING_MATCH: lambda: self.propose_to(c, self.mentor(m)[0]),
            Stage.MATCH_PROPOSED: lambda: self.app.record_discovery_call(c["case_id"], date.today(), c["mentee"]),
            Stage.DISCOVERY_CALL_HELD: lambda: self.confirm_case(c),
        }.get(case.stage)
        if case.stage is Stage.MATCHED:
            self.advance_partnership(case.partnership_id, c, m)
        elif step is not None:
            self.attempt(step)

    def advance_partnership(self, pid, c, m):
        partnership = self.app.load(Partnership, pid)
        if partnership.status is PartnershipStatus.AWAITING_SIGNATURES:
            party = "mentor" if "mentee" in partnership.signed else "mentee"
            self.attempt(lambda: self.app.sign_agreement(pid, party, ADMIN), label="advance: sign")
        elif partnership.extension_pending is not None:
            self.grant_or_decline(pid, grant=bool(m % 2))
        elif m % 4 == 1:
            too_long = partnership.planned_months + 2 > partnership.max_months
            self.attempt(
                lambda: self.app.request_extension(pid, 2, c["mentee"]), must_refuse=too_long, label="advance: extension"
            )
        elif m % 4 == 2:
            self.attempt(lambda: self.app.end_partnership(pid, "completed", ADMIN), label="advance: end")
        else:
            self.attempt(
                lambda: self.app.record_session(pid, date.today(), 60, "in_person", "n", "a", c["mentee"]),
                label="advance: session",
            )

    # -- cases ------------------------------------------------------------------------------------
    @precondition(lambda self: len(self.cases) < MAX_CASES)
    @rule()
    def submit_eoi(self):
        self.cases.append(self.world.case("eoi"))

    @rule(i=index, approve=st.sampled_from([True, True, False]), own=st.booleans(), priority=st.booleans())
    def line_manager_decides(self, i, approve, own, priority):
        c = self.case(i, Stage.AWAITING_LINE_MANAGER)
        manager = c["manager"] if own else Actor(unique("manager"), Role.LINE_MANAGER)
        if approve:
            self.attempt(lambda: self.app.approve_eoi(c["case_id"], manager, priority=priority), must_refuse=not own)
        else:
            self.attempt(lambda: self.app.decline_eoi(c["case_id"], manager, reason="not now"), must_refuse=not own)

    @rule(i=index, picks=st.lists(index, min_size=1, max_size=3, unique=True), special=st.booleans(), consent=st.booleans())
    def matching_request(self, i, picks, special, consent):
        c = self.case(i, Stage.AWAITING_MATCHING_REQUEST)
        preferences = list(dict.fromkeys(self.mentor(p)[0] for p in picks))
        answers = {"ethnicity": "answer"} if special else None
        self.attempt(
            lambda: self.app.submit_matching_request(
                c["case_id"], preferences, "goals", c["mentee"], special=answers, consent=consent
            ),
            must_refuse=special and not consent,
        )

    @rule(i=index, m=index)
    def exploratory_conversation(self, i, m):
        c = self.case(i, Stage.AWAITING_MATCHING_REQUEST)
        self.attempt(lambda: self.app.record_exploratory_conversation(c["case_id"], self.mentor(m)[0], date.today(), c["mentee"]))

    @rule(i=index, m=index)
    def propose(self, i, m):
        self.propose_to(self.case(i, Stage.AWAITING_MATCH), self.mentor(m)[0])

    def propose_to(self, c, mid):
        mentor = self.app.load(Mentor, mid)
        unavailable = mentor.free <= 0 or mentor.status is not MentorStatus.IN_POOL
        self.attempt(lambda: self.app.propose_match(c["case_id"], mid, "reasons", ADMIN), must_refuse=unavailable)

    @rule(i=index, by=who)
    def discovery_call(self, i, by):
        c = self.case(i, Stage.MATCH_PROPOSED)
        self.attempt(lambda: self.app.record_discovery_call(c["case_id"], date.today(), self.actor_for(c, by, "mentor")))

    @rule(i=index)
    def confirm(self, i):
        self.confirm_case(self.case(i, *OPEN_PROPOSAL))

    def confirm_case(self, c):
        result = []
        if self.attempt(lambda: result.append(self.app.confirm_match(c["case_id"], ADMIN))):
            self.partnerships.append((result[0], c))

    @rule(i=index, by=who)
    def rematch(self, i, by):
        c = self.case(i, *OPEN_PROPOSAL, Stage.MATCHED)
        self.attempt(lambda: self.app.request_rematch(c["case_id"], self.actor_for(c, by, "mentor"), reason="no blame"))

    @rule(i=index, by=st.sampled_from(["own", "other-mentor", "stranger"]))
    def withdraw(self, i, by):
        c = self.case(i)
        self.attempt(lambda: self.app.withdraw_case(c["case_id"], self.actor_for(c, by), reason="moving on"))

    # -- partnerships -------------------------------------------------------------------------
    @precondition(lambda self: self.partnerships)
    @rule(p=index, party=st.sampled_from(["mentee", "mentor"]), by=st.sampled_from(["own", "own", "other-mentor", "stranger"]))
    def sign(self, p, party, by):
        pid, c = self.partnership(p, PartnershipStatus.AWAITING_SIGNATURES)
        actor = self.actor_for(c, by, party)
        self.attempt(lambda: self.app.sign_agreement(pid, party, actor))

    @precondition(lambda self: self.partnerships)
    @rule(p=index, by=who)
    def session(self, p, by):
        pid, c = self.partnership(p, PartnershipStatus.ACTIVE)
        inactive = self.app.load(Partnership, pid).status is not PartnershipStatus.ACTIVE
        self.attempt(
            lambda: self.app.record_session(pid, date.today(), 45, "video", "notes", "actions", self.actor_for(c, by)),
            must_refuse=inactive,
        )

    @precondition(lambda self: self.partnerships)
    @rule(p=index, months=st.integers(1, 4))
    def request_extension(self, p, months):
        pid, c = self.partnership(p, PartnershipStatus.ACTIVE)
        too_long = self.app.load(Partnership, pid).planned_months + months > 15
        self.attempt(lambda: self.app.request_extension(pid, months, c["mentee"]), must_refuse=too_long)

    @precondition(lambda self: self.partnerships)
    @rule(p=index, grant=st.booleans())
    def decide_extension(self, p, grant):
        pid, _ = self.partnership(p, PartnershipStatus.ACTIVE)
        self.grant_or_decline(pid, grant)

    def grant_or_decline(self, pid, grant):
        if not grant:
            self.attempt(lambda: self.app.decline_extension(pid, ADMIN))
            return
        partnership = self.app.load(Partnership, pid)
        crowded = (
            self.app.load(Mentor, partnership.mentor_id).free <= 0
            and self.app.load(Programme, self.world.programme_id).others_waiting() > 0
        )
        self.attempt(lambda: self.app.grant_extension(pid, ADMIN), must_refuse=crowded)

    @precondition(lambda self: self.partnerships)
    @rule(p=index, reason=st.sampled_from(["completed", "not_extended", "other"]))
    def end(self, p, reason):
        pid, c = self.partnership(p, PartnershipStatus.ACTIVE, PartnershipStatus.AWAITING_SIGNATURES)
        self.attempt(lambda: self.app.end_partnership(pid, reason, c["mentee"]))

    # -- mentors ---------------------------------------------------------------------------------
    @rule(m=index, capacity=st.integers(0, 3), action=st.sampled_from(["pause_mentor", "resume_mentor", "leave_pool"]))
    def mentor_changes(self, m, capacity, action):
        mid, actor = self.mentor(m)
        if m % 2:
            below = capacity < self.app.load(Mentor, mid).used
            self.attempt(lambda: self.app.change_mentor_capacity(mid, capacity, actor), must_refuse=below)
        else:
            self.attempt(lambda: getattr(self.app, action)(mid, actor))

    # -- invariants ------------------------------------------------------------------------------
    def loaded_cases(self) -> list[Case]:
        return [self.load_case(c) for c in self.cases]

    @invariant()
    def slots_equal_the_cases_proposed_or_matched_and_never_exceed_capacity(self):
        cases = self.loaded_cases()
        for mid, _ in self.mentors:
            mentor = self.app.load(Mentor, mid)
            assert mentor.used <= mentor.capacity
            assert sorted(mentor.held) == sorted(
                c.id for c in cases if c.stage in OPEN_PROPOSAL and c.proposed_mentor == mid
            )
            assert sorted(mentor.confirmed) == sorted(
                c.id for c in cases if c.stage is Stage.MATCHED and c.proposed_mentor == mid
            )

    @invariant()
    def a_closed_case_never_changes(self):
        for case in self.loaded_cases():
            if case.stage is Stage.CLOSED:
                assert self.closed_versions.setdefault(case.id, case.version) == case.version

    @invariant()
    def partnership_status_follows_the_signatures(self):
        for pid, c in self.partnerships:
            p = self.app.load(Partnership, pid)
            assert len(set(p.signed)) == len(p.signed)
            if p.status is PartnershipStatus.AWAITING_SIGNATURES:
                assert len(p.signed) < 2 and p.sessions == 0 and p.started_on is None
            elif p.status is PartnershipStatus.ACTIVE:
                assert set(p.signed) == {"mentee", "mentor"} and p.started_on is not None
            else:
                assert p.end_reason is not None and p.extension_pending is None
            assert p.planned_months <= p.max_months
            if self.load_case(c).partnership_id != pid:
                assert p.status is PartnershipStatus.ENDED

    @invariant()
    def the_programme_queue_is_the_cases_waiting_for_a_match(self):
        waiting = self.app.load(Programme, self.world.programme_id).waiting
        assert len(waiting) == len(set(waiting))
        assert set(waiting) == {c.id for c in self.loaded_cases() if c.is_waiting_for_match}


Lifecycle.TestCase.settings = settings(
    max_examples=100, stateful_step_count=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestLifecycleInvariants = Lifecycle.TestCase
