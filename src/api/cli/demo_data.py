"""A demo programme with mentors and cases at every stage, loaded once (`trellis demo`).

Every person is fictional, known by an identity (`demo-admin`, `demo-mentee-1`, …) that the
printed tokens carry and that the person registry links to an opaque id. The history is recorded as it would have happened over about
seven months, step by step in time order, with the application's clock set to each
step's moment: the queues show real ages, and some active partnerships have gone more
than 30 days without a session. The ids are fixed so that the printed sign-in tokens
stay valid across restarts, and loading twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from uuid import UUID

from api.services import ManualClock, Trellis
from domain import Actor, NotFound, PersonDetails, ProgrammeSettings, Role
from domain.programme import programme_id

PROGRAMME = ProgrammeSettings(
    name="Demo: middle leaders new in post",
    line_manager_approval=True,
    default_duration_months=12,
    max_duration_months=18,
    typical_sessions=6,
)
ADMIN = "demo-admin"
MENTORS = [
    ("demo-mentor-1", "Avery Okafor", "Deputy head, primary", "primary", "East", ["curriculum", "maths"], 4),
    ("demo-mentor-2", "Bea Lindqvist", "Head of English", "secondary", "North", ["literacy", "coaching"], 4),
    ("demo-mentor-3", "Chidi Mensah", "SENCo", "special", "East", ["inclusion", "send"], 3),
    ("demo-mentor-4", "Dana Kowalski", "Assistant head", "secondary", "West", ["behaviour", "pastoral"], 4),
    ("demo-mentor-5", "Eli Haddad", "Trust school improvement lead", "all-through", "North", ["leadership"], 5),
]
LINE_MANAGER = "demo-line-manager"

# (stage the case is driven to, how many such cases)
CASES = [
    ("awaiting_line_manager", 2), ("declined", 1), ("awaiting_matching_request", 2),
    ("awaiting_match", 2), ("match_proposed", 2), ("discovery_call_held", 1),
    ("matched", 2), ("active", 3), ("extension_requested", 1), ("ended", 2),
    ("feedback_submitted", 5), ("withdrawn", 1), ("rematched", 1),
]
# each step of a case's journey, and how many days after the EOI it happens
STEPS = [
    ("awaiting_line_manager", 0), ("awaiting_matching_request", 3), ("awaiting_match", 7), ("match_proposed", 12),
    ("discovery_call_held", 16), ("matched", 19), ("active", 22), ("ended", 80), ("feedback_submitted", 85),
]
LAST_STEP = {"declined": ("awaiting_line_manager", 4), "extension_requested": ("active", 60),
             "withdrawn": ("awaiting_match", 10), "rematched": ("discovery_call_held", 20)}
MENTORS_JOIN_DAYS_AGO = 220


@dataclass
class Demo:
    programme_id: UUID
    people: dict[str, list[str]] = field(default_factory=dict)  # role → person ids
    cases: dict[str, list[UUID]] = field(default_factory=dict)  # stage → case ids
    pairs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # stage → (mentee, mentor person)


Step = tuple[datetime, int, Callable[[], None]]


def load_demo(app: Trellis, clock: ManualClock, now: datetime | None = None) -> Demo:
    """Loads the demo unless it is there already; returns who and what it holds. `clock` is
    the application's: set to each step's moment while loading, and released after."""
    demo = Demo(programme_id(PROGRAMME.name))
    demo.people = {
        "administrator": [ADMIN], "line_manager": [LINE_MANAGER],
        "mentor": [m[0] for m in MENTORS], "mentee": [],
        "auditor": ["demo-auditor"], "dpo": ["demo-dpo"],
    }
    stages = [stage for stage, count in CASES for _ in range(count)]
    for n, stage in enumerate(stages, start=1):  # known without loading, so also on a restart
        demo.people["mentee"].append(f"demo-mentee-{n}")
        demo.pairs.setdefault(stage, []).append((f"demo-mentee-{n}", MENTORS[n % len(MENTORS)][0]))
    try:
        app.programme_settings(demo.programme_id)
        return demo
    except NotFound:
        pass
    today = (now or clock()).date()
    admin = _person(app, ADMIN, Role.ADMINISTRATOR)

    def day(days_ago: float, hour: int = 9) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour), UTC)

    mentor_ids: list[UUID] = []
    steps: list[Step] = [(day(MENTORS_JOIN_DAYS_AGO + 1), 0, lambda: app.register_programme(PROGRAMME, admin))]
    for i, mentor in enumerate(MENTORS):
        steps += _mentor_steps(app, demo.programme_id, mentor, mentor_ids, day, i, admin)
    for n, stage in enumerate(stages, start=1):
        steps += _case_steps(app, demo, stage, n, mentor_ids, day, admin)
    try:
        for moment, _, step in sorted(steps, key=lambda s: (s[0], s[1])):
            clock.set(moment)
            step()
    finally:
        clock.set(None)
    return demo


def _person(app: Trellis, identity: str, role: Role) -> Actor:
    return Actor(app.people.person_for(identity), role)


def _mentor_steps(
    app: Trellis, prog: UUID, mentor: tuple, ids: list[UUID], day: Callable, i: int, admin: Actor,
) -> list[Step]:
    identity, name, title, sector, region, expertise, capacity = mentor
    actor = _person(app, identity, Role.MENTOR)
    first = name.split()[0].lower()
    profile = {"headline": title, "bio": f"{title}; mentors new middle leaders.", "expertise": expertise,
               "sector": sector, "region": region}

    def interest() -> None:
        ids.append(app.express_mentor_interest(prog, actor.id, PersonDetails(name, f"{first}@demo.invalid", title),
                                               actor).id)

    joined = MENTORS_JOIN_DAYS_AGO - i
    return [
        (day(joined), i, interest),
        (day(joined - 10), i, lambda: app.complete_mentor_training(ids[i], day(joined - 10).date(), admin)),
        (day(joined - 12), i, lambda: app.join_pool(ids[i], capacity, profile, actor)),
    ]


def _case_steps(
    app: Trellis, demo: Demo, stage: str, n: int, mentors: list[UUID], day: Callable, admin: Actor,
) -> list[Step]:
    mentee = _person(app, f"demo-mentee-{n}", Role.MENTEE)
    manager = _person(app, LINE_MANAGER, Role.LINE_MANAGER)
    final, final_offset = LAST_STEP[stage] if stage in LAST_STEP else (stage, dict(STEPS)[stage])
    slack = 3 + 11 * (n % 4)  # how long ago the case last moved: some queues have waited weeks
    start = final_offset + slack
    state: dict[str, UUID] = {}

    def mentor() -> UUID:
        return mentors[n % len(mentors)]

    def eoi() -> None:
        details = PersonDetails(f"Demo Mentee {n}", f"mentee{n}@demo.invalid", "Head of department")
        state["case"] = app.submit_eoi(demo.programme_id, mentee.id, details,
                                       "New to middle leadership; wants support with a team.", mentee,
                                       line_manager_id=manager.id).id
        demo.cases.setdefault(stage, []).append(state["case"])

    def signed() -> None:
        app.sign_agreement(state["partnership"], "mentee", mentee)

    def started() -> None:
        app.sign_agreement(state["partnership"], "mentor", admin)  # recorded for the mentor

    def confirmed() -> None:
        state["partnership"] = app.confirm_match(state["case"], admin).id

    actions: dict[str, list[tuple[int, Callable[[], object]]]] = {
        "awaiting_line_manager": [(0, eoi)],
        "awaiting_matching_request": [(0, lambda: app.approve_eoi(state["case"], manager, priority=n % 3 == 0))],
        "awaiting_match": [(0, lambda: app.submit_matching_request(
            state["case"], [mentor()], "Lead my team through a curriculum change", mentee))],
        "match_proposed": [(0, lambda: app.propose_match(state["case"], mentor(), "Same phase and a shared focus",
                                                         admin))],
        "discovery_call_held": [(0, lambda: app.record_discovery_call(state["case"], day(start - 16).date(), admin))],
        "matched": [(0, confirmed)],
        "active": [(0, signed), (1, started), (6, lambda: app.record_session(
            state["partnership"], day(start - 28).date(), 60, "video", "Demo notes (confidential)", "Demo actions",
            mentee))],
        "ended": [(0, lambda: app.end_partnership(state["partnership"], "completed", mentee))],
        "feedback_submitted": [(0, lambda: app.request_feedback(state["partnership"], admin)),
                               (2, lambda: app.submit_feedback(state["partnership"], 3 + n % 3, "Helpful", mentee))],
    }
    plan: list[Step] = []
    for name, offset in STEPS:
        for extra, action in actions[name]:
            plan.append((day(start - offset - extra, 9 + n % 8), n, action))
        if name == final:
            break
    last = day(start - final_offset, 10 + n % 7)
    if stage == "declined":
        plan.append((last, n, lambda: app.decline_eoi(state["case"], manager, "Not this term")))
    elif stage == "extension_requested":
        plan.append((last, n, lambda: app.request_extension(state["partnership"], 3, mentee)))
    elif stage == "withdrawn":
        plan.append((last, n, lambda: app.withdraw_case(state["case"], mentee, "Changed role")))
    elif stage == "rematched":
        plan.append((last, n, lambda: app.request_rematch(state["case"], mentee, "Different focus")))
    return plan
