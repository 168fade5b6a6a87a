"""A Hypothesis state machine over the whole lifecycle, checked against the test's own model.

Random commands by random actors on one programme (each of the three configurations), its
mentors (capacity 1 or 2) and cases. `lifecycle_model` predicts, for every command, whether
it must be accepted or refused: an accepted command must be one the model accepts, a refused
one must be one it refuses and must write nothing. After every step the application's
cases, mentors, partnerships and matching queue must be exactly what the model says.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from api.bootstrap import build_app
from api.services import ManualClock
from api.settings import Settings
from domain import Actor, Case, Mentor, Partnership, PersonDetails, ProgrammeSettings, Role, TrellisError
from lifecycle import ADMIN, NOW, TODAY, unique
from lifecycle_model import PROPOSED, WAITING, CaseModel, MentorModel, Model, PartnershipModel, Prediction

MAX_CASES = 8
MAX_MENTORS = 4
CONFIGS = [
    {"line_manager_approval": True, "matching": "self_selected", "exploratory_conversations": 1},
    {"line_manager_approval": False, "matching": "self_selected", "exploratory_conversations": 2},
    {"line_manager_approval": False, "matching": "allocated", "exploratory_conversations": 0},
]
DURATIONS = [(12, 15), (12, 15), (6, 12), (12, 12)]  # default and maximum months
PROFILE = {"headline": "Head of maths", "expertise": ["maths"]}
index = st.integers(min_value=0, max_value=99)
offsets = st.sampled_from([0, 0, 0, -1, -30, 1])  # days from the model's today
capacity = st.sampled_from([1, 1, 2, 2, 0])


def actors(natural: str, *others: str) -> st.SearchStrategy[str]:
    """Mostly the actor who naturally does this, sometimes someone else."""
    return st.sampled_from([natural] * 3 + list(others or ("admin", "other-mentor", "stranger", "wrong-manager")))


def details(person: str) -> PersonDetails:
    return PersonDetails("Person Name", f"{person}@example.org")


class Lifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(NOW)
        self.app = build_app(Settings(environment="test", persistence="memory"), clock=self.clock)
        self.closed_versions: dict = {}

    def teardown(self) -> None:
        self.app.close()

    # -- set-up ------------------------------------------------------------------------------
    @initialize(
        config=st.sampled_from(CONFIGS), durations=st.sampled_from(DURATIONS),
        capacities=st.lists(st.sampled_from([1, 1, 2]), min_size=2, max_size=3), cases=st.integers(3, 5),
    )
    def programme_mentors_and_cases(self, config, durations, capacities, cases):
        default, maximum = durations
        programme = ProgrammeSettings(
            name=unique("programme"), default_duration_months=default, max_duration_months=maximum, **config,
        )
        self.programme_id = self.app.register_programme(programme, ADMIN).id
        self.model = Model(
            config["line_manager_approval"], config["matching"], config["exploratory_conversations"],
            default, maximum, TODAY,
        )
        for places in capacities:
            mentor = self.new_mentor("self")
            self.check("set-up: training", self.model.complete_training(mentor, ADMIN, TODAY),
                       lambda m=mentor: self.app.complete_mentor_training(m.id, TODAY, ADMIN))
            self.check("set-up: joining", self.model.join_pool(mentor, mentor.actor, places, False, False),
                       lambda m=mentor, c=places: self.app.join_pool(m.id, c, PROFILE, m.actor))
        for _ in range(cases):
            self.new_case("mentee", names_manager=True)

    # -- the one way a command is tried ------------------------------------------------------
    def check(self, label: str, prediction: Prediction, command):
        """Runs `command`; its outcome must be the model's prediction. Accepted: the model follows."""
        before = self.app.recorder.max_notification_id()
        try:
            recorded = command()
        except TrellisError as error:
            if not prediction.refusals:
                raise AssertionError(f"{label}: the model expected it to be accepted, but: {error!r}") from error
            assert self.app.recorder.max_notification_id() == before, f"{label}: a refused command wrote events"
            event(f"{label}: refused ({prediction.refusals[0]})")
            return None
        assert not prediction.refusals, f"{label} was accepted; the model refuses it: {prediction.refusals}"
        head = self.app.recorder.max_notification_id()
        assert recorded.position == head > (before or 0), f"{label}: its answer is not the log's new head"
        prediction.then(recorded)
        event(f"{label}: accepted")
        return recorded

    def day(self, offset: int):
        return self.model.today + timedelta(days=offset)

    # -- picking what to act on, mostly something the command fits ---------------------------
    def pick_case(self, i: int, *stages: str) -> CaseModel:
        cases = list(self.model.cases.values())
        fitting = [c for c in cases if c.stage in stages]
        pool = fitting if fitting and i % 4 else cases
        return pool[i % len(pool)]

    def pick_partnership(self, p: int, *statuses: str) -> PartnershipModel:
        partnerships = list(self.model.partnerships.values())
        fitting = [x for x in partnerships if x.status in statuses]
        pool = fitting if fitting and p % 4 else partnerships
        return pool[p % len(pool)]

    def pick_mentor(self, m: int, *statuses: str) -> MentorModel:
        mentors = list(self.model.mentors.values())
        fitting = [x for x in mentors if x.status in statuses]
        pool = fitting if fitting and m % 4 else mentors
        return pool[m % len(pool)]

    def actor(self, kind: str, mentee: Actor | None = None, mentor: MentorModel | None = None,
              manager: Actor | None = None) -> Actor:
        """`kind` among: admin, mentee, mentor (the one concerned), other-mentor, manager,
        wrong-manager, stranger."""
        if kind == "admin":
            return ADMIN
        if kind == "mentee" and mentee is not None:
            return mentee
        if kind == "manager" and manager is not None:
            return manager
        if kind == "mentor" and mentor is not None:
            return mentor.actor
        if kind in ("mentor", "other-mentor"):
            others = [m for m in self.model.mentors.values() if m is not mentor]
            return others[-1].actor if others else Actor(unique("mentor"), Role.MENTOR)
        if kind == "wrong-manager":
            return Actor(unique("manager"), Role.LINE_MANAGER)
        return Actor(unique("stranger"), Role.MENTEE)

    def case_actor(self, case: CaseModel, kind: str) -> Actor:
        mentor = self.model.mentors.get(case.proposed) if case.proposed else None
        return self.actor(kind, case.mentee, mentor, case.manager)

    def partnership_actor(self, partnership: PartnershipModel, kind: str) -> Actor:
        return self.actor(kind, partnership.mentee, partnership.mentor)

    # -- commands: the model's prediction, then the service ----------------------------------
    def new_mentor(self, kind: str, person: Actor | None = None) -> MentorModel | None:
        person = person or Actor(unique("mentor"), Role.MENTOR)
        who = person if kind == "self" else self.actor(kind)
        recorded = self.check("express interest", self.model.express_interest(who, person), lambda: (
            self.app.express_mentor_interest(self.programme_id, person.id, details(person.id), who)))
        return None if recorded is None else self.model.mentors[recorded.id]

    def new_case(self, kind: str, names_manager: bool) -> None:
        mentee, manager = Actor(unique("mentee"), Role.MENTEE), Actor(unique("manager"), Role.LINE_MANAGER)
        who = mentee if kind == "mentee" else self.actor(kind)
        self.check("submit EOI", self.model.submit_eoi(who, mentee, manager, names_manager), lambda: (
            self.app.submit_eoi(self.programme_id, mentee.id, details(mentee.id), "I want to grow", who,
                                line_manager_id=manager.id if names_manager else None)))

    def decide_eoi(self, case: CaseModel, who: Actor, approve: bool, priority: bool) -> None:
        command = (lambda: self.app.approve_eoi(case.id, who, priority=priority)) if approve else (
            lambda: self.app.decline_eoi(case.id, who, reason="not now"))
        self.check("approve EOI" if approve else "decline EOI",
                   self.model.line_manager_decides(case, who, approve, priority), command)

    def request_matching(self, case: CaseModel, who: Actor, preferences: list, special: bool, consent: bool) -> None:
        answers = {"ethnicity": "an answer"} if special else None
        self.check("matching request", self.model.submit_matching_request(case, who, preferences, special, consent),
                   lambda: self.app.submit_matching_request(case.id, preferences, "goals", who, special=answers,
                                                            consent=consent))

    def explore(self, case: CaseModel, who: Actor, mentor: MentorModel, offset: int) -> None:
        held_on = self.day(offset)
        self.check("exploratory conversation", self.model.hold_exploratory_conversation(case, who, mentor, held_on),
                   lambda: self.app.record_exploratory_conversation(case.id, mentor.id, held_on, who))

    def propose_to(self, case: CaseModel, who: Actor, mentor: MentorModel) -> None:
        self.check("propose", self.model.propose_match(case, who, mentor),
                   lambda: self.app.propose_match(case.id, mentor.id, "shared phase", who))

    def hold_discovery_call(self, case: CaseModel, who: Actor, offset: int) -> None:
        held_on = self.day(offset)
        self.check("discovery call", self.model.record_discovery_call(case, who, held_on),
                   lambda: self.app.record_discovery_call(case.id, held_on, who))

    def confirm_case(self, case: CaseModel, who: Actor) -> None:
        self.check("confirm", self.model.confirm_match(case, who), lambda: self.app.confirm_match(case.id, who))

    def sign_for(self, partnership: PartnershipModel, who: Actor, party: str) -> None:
        self.check("sign", self.model.sign_agreement(partnership, who, party),
                   lambda: self.app.sign_agreement(partnership.id, party, who))

    def hold_session(self, partnership: PartnershipModel, who: Actor, offset: int, minutes: int = 60) -> None:
        held_on = self.day(offset)
        self.check("session", self.model.record_session(partnership, who, held_on, minutes),
                   lambda: self.app.record_session(partnership.id, held_on, minutes, "video", "notes", "actions", who))

    def ask_extension(self, partnership: PartnershipModel, who: Actor, months: int) -> None:
        self.check("request extension", self.model.request_extension(partnership, who, months),
                   lambda: self.app.request_extension(partnership.id, months, who))

    def weigh_extension(self, partnership: PartnershipModel, who: Actor, grant: bool) -> None:
        command = self.app.grant_extension if grant else self.app.decline_extension
        self.check("grant extension" if grant else "decline extension",
                   self.model.decide_extension(partnership, who, grant), lambda: command(partnership.id, who))

    def end_partnership(self, partnership: PartnershipModel, who: Actor, reason: str) -> None:
        self.check("end", self.model.end(partnership, who, reason),
                   lambda: self.app.end_partnership(partnership.id, reason, who))

    def request_feedback(self, partnership: PartnershipModel, who: Actor) -> None:
        self.check("request feedback", self.model.request_feedback(partnership, who),
                   lambda: self.app.request_feedback(partnership.id, who))

    def give_feedback(self, partnership: PartnershipModel, who: Actor, rating: int) -> None:
        self.check("give feedback", self.model.submit_feedback(partnership, who, rating),
                   lambda: self.app.submit_feedback(partnership.id, rating, "useful", who))

    # -- the natural next step, so runs reach deep into the lifecycle ------------------------
    @rule(i=index, m=index, steps=st.integers(1, 8))
    def advance(self, i, m, steps):
        case = self.pick_case(i, "awaiting_line_manager", *WAITING, *PROPOSED, "matched")
        for step in range(steps):
            self.advance_case(case, m + step)

    @precondition(lambda self: self.model.partnerships)
    @rule(p=index, m=index, steps=st.integers(1, 8))
    def advance_a_partnership(self, p, m, steps):
        partnership = self.pick_partnership(p, "awaiting_signatures", "active")
        for step in range(steps):
            self.advance_partnership(partnership, m + step)

    def advance_case(self, case: CaseModel, m: int) -> None:
        model = self.model
        if case.stage == "awaiting_line_manager":
            self.decide_eoi(case, case.manager, approve=True, priority=bool(m % 2))
        elif case.stage == "awaiting_matching_request" and m % 3 == 0 and len(case.explored) < model.exploratory_limit:
            self.explore(case, case.mentee, self.pick_mentor(m), 0)
        elif case.stage == "awaiting_matching_request":
            self.request_matching(case, case.mentee, [self.pick_mentor(m).id], special=False, consent=False)
        elif case.stage == "awaiting_match":
            free = [x for x in model.mentors.values() if x.status == "in_pool" and x.free > 0]
            self.propose_to(case, ADMIN, free[m % len(free)] if free else self.pick_mentor(m))
        elif case.stage == "match_proposed" and not (case.matching == "allocated" and m % 2):
            self.hold_discovery_call(case, self.case_actor(case, ("mentee", "mentor")[m % 2]), 0)
        elif case.stage in PROPOSED:
            self.confirm_case(case, ADMIN)
        elif case.partnership is not None:
            self.advance_partnership(model.partnerships[case.partnership], m)

    def advance_partnership(self, partnership: PartnershipModel, m: int) -> None:
        own = self.partnership_actor(partnership, ("mentee", "mentor")[m % 2])
        if partnership.status == "awaiting_signatures":
            party = "mentor" if "mentee" in partnership.signed else "mentee"
            self.sign_for(partnership, self.partnership_actor(partnership, party), party)
        elif partnership.status == "ended" and not partnership.feedback_requested:
            self.request_feedback(partnership, ADMIN)
        elif partnership.status == "ended":
            self.give_feedback(partnership, own, 1 + m % 5)
        elif partnership.pending is not None:
            self.weigh_extension(partnership, ADMIN, grant=m % 3 != 0)
        elif m % 6 in (1, 4):
            self.ask_extension(partnership, own, 1 + m % 3)
        elif m % 6 == 2:
            self.check("review", self.model.review_progress(partnership, own),
                       lambda: self.app.review_progress(partnership.id, "continue", "going well", own))
        elif m % 6 == 5:
            self.end_partnership(partnership, own, "completed")
        else:
            self.hold_session(partnership, own, 0)

    # -- cases ---------------------------------------------------------------------------------
    @precondition(lambda self: len(self.model.cases) < MAX_CASES)
    @rule(by=actors("mentee", "admin", "stranger"), names_manager=st.sampled_from([True, True, True, False]))
    def submit_eoi(self, by, names_manager):
        self.new_case(by, names_manager)

    @rule(i=index, approve=st.sampled_from([True, True, False]), priority=st.booleans(),
          by=actors("manager", "wrong-manager", "admin", "mentee"))
    def line_manager_decides(self, i, approve, priority, by):
        case = self.pick_case(i, "awaiting_line_manager")
        self.decide_eoi(case, self.case_actor(case, by), approve, priority)

    @rule(i=index, picks=st.lists(index, min_size=0, max_size=3), special=st.booleans(), consent=st.booleans(),
          by=actors("mentee", "admin", "mentor", "stranger"))
    def matching_request(self, i, picks, special, consent, by):
        case = self.pick_case(i, *WAITING)
        preferences = [self.pick_mentor(p).id for p in picks]  # may repeat a mentor: refused
        self.request_matching(case, self.case_actor(case, by), preferences, special, consent)

    @rule(i=index, m=index, offset=offsets, by=actors("mentee", "admin", "mentor", "stranger"))
    def exploratory_conversation(self, i, m, offset, by):
        case = self.pick_case(i, *WAITING)
        self.explore(case, self.case_actor(case, by), self.pick_mentor(m), offset)

    @rule(i=index, m=index, by=actors("admin", "mentee", "mentor"))
    def propose(self, i, m, by):
        case = self.pick_case(i, "awaiting_match")
        self.propose_to(case, self.case_actor(case, by), self.pick_mentor(m, "in_pool"))

    @rule(i=index, offset=offsets, by=actors("mentor", "mentee", "admin", "other-mentor", "stranger"))
    def discovery_call(self, i, offset, by):
        case = self.pick_case(i, "match_proposed")
        self.hold_discovery_call(case, self.case_actor(case, by), offset)

    @rule(i=index, by=actors("admin", "mentee", "mentor"))
    def confirm(self, i, by):
        case = self.pick_case(i, *PROPOSED)
        self.confirm_case(case, self.case_actor(case, by))

    @rule(i=index, by=st.sampled_from(["mentee", "mentor", "admin", "other-mentor", "stranger", "manager"]))
    def rematch(self, i, by):
        case = self.pick_case(i, *PROPOSED, "matched")
        self.check("rematch", self.model.request_rematch(case, who := self.case_actor(case, by)),
                   lambda: self.app.request_rematch(case.id, who, reason="no blame"))

    @rule(i=index, by=st.sampled_from(["mentee", "admin", "mentor", "stranger", "manager"]))
    def withdraw(self, i, by):
        case = self.pick_case(i, "awaiting_line_manager", *WAITING, *PROPOSED, "matched")
        self.check("withdraw", self.model.withdraw(case, who := self.case_actor(case, by)),
                   lambda: self.app.withdraw_case(case.id, who, reason="moving on"))

    # -- partnerships --------------------------------------------------------------------------
    @precondition(lambda self: self.model.partnerships)
    @rule(p=index, party=st.sampled_from(["mentee", "mentor"]), by=st.sampled_from(
        ["own", "own", "own", "admin", "other-party", "other-mentor", "stranger"]))
    def sign(self, p, party, by):
        partnership = self.pick_partnership(p, "awaiting_signatures")
        kind = {"own": party, "other-party": "mentor" if party == "mentee" else "mentee"}.get(by, by)
        self.sign_for(partnership, self.partnership_actor(partnership, kind), party)

    @precondition(lambda self: self.model.partnerships)
    @rule(p=index, offset=offsets, minutes=st.sampled_from([45, 60, 90, 0, 481]),
          by=actors("mentee", "mentor", "admin", "other-mentor", "stranger"))
    def session(self, p, offset, minutes, by):
        partnership = self.pick_partnership(p, "active")
        self.hold_session(partnership, self.partnership_actor(partnership, by), offset, minutes)

    @precondition(lambda self: self.model.partnerships)
    @rule(p=index, outcome=st.sampled_from(["continue", "extend", "end"]),
          by=actors("mentor", "mentee", "admin", "other-mentor", "stranger"))
    def review(self, p, outcome, by):
        partnership = self.pick_partnership(p, "active")
        self.check("review", self.model.review_progress(partnership, who := self.partnership_actor(partnership, by)),
                   lambda: self.app.review_progress(partnership.id, outcome, "going well", who))

    @precondition(lambda self: self.model.partnerships)
    @rule(p=index, months=st.integers(0, 4), by=actors("mentee", "mentor", "admin", "other-mentor", "stranger"))
    def request_extension(self, p, months, by):
        partnership = self.pick_partnership(p, "active")
        self.ask_extension(partnership, self.partnership_actor(partnership, by), months)

    @precondition(lambda self: self.model.partnerships)
    @rule(p=index, grant=st.booleans(), by=actors("admin", "mentee", "mentor"))
    def decide_extension(self, p, grant, by):
        pending = [x for x in self.model.partnerships.values() if x.pending is not None]
        partnership = pending[p % len(pending)] if pending and p % 4 else self.pick_partnership(p, "active")
        self.weigh_extension(partnership, self.partnership_actor(partnership, by), grant)

    @precondition(lambda self: self.model.partnerships)
    @rule(p=index, reason=st.sampled_from(["completed", "not_extended", "other"]),
          by=actors("mentee", "mentor", "admin", "other-mentor", "stranger"))
    def end(self, p, reason, by):
        partnership = self.pick_partnership(p, "active", "awaiting_signatures")
        self.end_partnership(partnership, self.partnership_actor(partnership, by), reason)

    @precondition(lambda self: self.model.partnerships)
    @rule(p=index, rating=st.sampled_from([1, 4, 5, 0]),
          by=st.sampled_from(["admin", "admin", "mentee", "mentor", "mentee", "mentor", "stranger"]))
    def feedback(self, p, rating, by):
        partnership = self.pick_partnership(p, "ended")
        who = self.partnership_actor(partnership, by)
        if by == "admin":
            self.request_feedback(partnership, who)
        else:
            self.give_feedback(partnership, who, rating)

    # -- mentors and the calendar --------------------------------------------------------------
    @precondition(lambda self: len(self.model.mentors) < MAX_MENTORS)
    @rule(by=actors("self", "admin", "other-mentor", "stranger"), again=st.sampled_from([False, False, False, True]))
    def mentor_expresses_interest(self, by, again):
        person = next(iter(self.model.mentors.values())).actor if again else None
        self.new_mentor(by, person)

    @rule(m=index, offset=offsets, places=capacity, special=st.booleans(), consent=st.booleans(),
          by=actors("self", "admin", "other-mentor", "stranger"))
    def mentor_trains_and_joins(self, m, offset, places, special, consent, by):
        mentor = self.pick_mentor(m, "interested", "trained")
        who = mentor.actor if by == "self" else self.actor(by, mentor=mentor)
        if mentor.status == "interested" or m % 5 == 0:
            completed_on = self.day(offset)
            self.check("training", self.model.complete_training(mentor, who, completed_on),
                       lambda: self.app.complete_mentor_training(mentor.id, completed_on, who))
        else:
            answers = {"disability": "an answer"} if special else None
            self.check("join pool", self.model.join_pool(mentor, who, places, special, consent),
                       lambda: self.app.join_pool(mentor.id, places, PROFILE, who, special=answers, consent=consent))

    @rule(m=index, change=st.sampled_from([-1, -1, 1, 1]),
          action=st.sampled_from(["capacity", "capacity", "pause", "resume", "leave"]),
          by=actors("self", "admin", "other-mentor", "stranger"))
    def mentor_changes(self, m, change, action, by):
        mentor = self.pick_mentor(m, "in_pool", "paused")
        who = mentor.actor if by == "self" else self.actor(by, mentor=mentor)
        if action == "capacity":
            places = mentor.capacity + change
            self.check("change capacity", self.model.change_capacity(mentor, who, places),
                       lambda: self.app.change_mentor_capacity(mentor.id, places, who))
            return
        command = {"pause": self.app.pause_mentor, "resume": self.app.resume_mentor, "leave": self.app.leave_pool}
        self.check(action, self.model.move_mentor(mentor, who, action), lambda: command[action](mentor.id, who))

    @rule(days=st.integers(1, 10))
    def days_pass(self, days):
        self.model.today += timedelta(days=days)
        self.clock.set(self.clock() + timedelta(days=days))

    # -- invariants: the application is what the model says ------------------------------------
    @invariant()
    def cases_are_as_the_model_says(self):
        for expected in self.model.cases.values():
            case = self.app.load(Case, expected.id)
            assert (case.stage, case.closed_reason) == (expected.stage, expected.closed_reason), expected.id
            assert (case.proposed_mentor, case.partnership_id) == (expected.proposed, expected.partnership)
            assert (case.line_manager_id, case.matching, case.priority) == (
                expected.line_manager_id, expected.matching, expected.priority)
            assert case.exploratory_mentors == expected.explored
            if expected.stage == "closed":  # a closed case never changes
                assert self.closed_versions.setdefault(expected.id, case.version) == case.version

    @invariant()
    def mentors_hold_exactly_the_slots_of_their_cases(self):
        cases = self.model.cases.values()
        for expected in self.model.mentors.values():
            mentor = self.app.load(Mentor, expected.id)
            assert (mentor.status, mentor.capacity) == (expected.status, expected.capacity), expected.id
            assert sorted(mentor.held) == sorted(expected.held)
            assert sorted(mentor.confirmed) == sorted(expected.confirmed)
            assert len(mentor.held) + len(mentor.confirmed) <= mentor.capacity
            # the model's own bookkeeping: a slot for each case proposed to or matched with the mentor
            assert expected.held == {c.id for c in cases if c.stage in PROPOSED and c.proposed == expected.id}
            assert expected.confirmed == {c.id for c in cases if c.stage == "matched" and c.proposed == expected.id}

    @invariant()
    def partnerships_are_as_the_model_says(self):
        for expected in self.model.partnerships.values():
            p = self.app.load(Partnership, expected.id)
            assert (p.case_id, p.mentor_id, p.status, p.end_reason) == (
                expected.case_id, expected.mentor.id, expected.status, expected.end_reason), expected.id
            assert sorted(p.signed) == sorted(expected.signed)
            assert p.started_on == (expected.started_on and expected.started_on.isoformat())
            assert (p.planned_months, p.max_months, p.extension_pending, p.sessions) == (
                expected.planned, expected.max_months, expected.pending, expected.sessions)
            assert (p.feedback_requested, sorted(p.feedback_from)) == (
                expected.feedback_requested, sorted(expected.feedback_from))

    @invariant()
    def the_cases_waiting_for_a_match_are_the_models(self):
        assert self.app.cases_waiting(self.programme_id) == self.model.cases_waiting()


Lifecycle.TestCase.settings = settings(
    max_examples=100, stateful_step_count=50, deadline=None, suppress_health_check=[HealthCheck.too_slow],
)
TestLifecycleInvariants = Lifecycle.TestCase
