"""A demo programme with mentors and cases in every stage, loaded once (`trellis demo`).

Every person is fictional. The ids are fixed so that the printed sign-in tokens stay
valid across restarts, and loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from api.application import Trellis
from domain import Actor, NotFound, PersonDetails, ProgrammeSettings, Role
from domain.programme import programme_id

PROGRAMME = ProgrammeSettings(
    name="Demo: middle leaders new in post",
    line_manager_approval=True,
    default_duration_months=12,
    max_duration_months=18,
    typical_sessions=6,
)
ADMIN = Actor("demo-admin", Role.ADMINISTRATOR)
MENTORS = [
    ("demo-mentor-1", "Avery Okafor", "Deputy head, primary", "primary", "East", ["curriculum", "maths"], 4),
    ("demo-mentor-2", "Bea Lindqvist", "Head of English", "secondary", "North", ["literacy", "coaching"], 4),
    ("demo-mentor-3", "Chidi Mensah", "SENCo", "special", "East", ["inclusion", "send"], 3),
    ("demo-mentor-4", "Dana Kowalski", "Assistant head", "secondary", "West", ["behaviour", "pastoral"], 4),
    ("demo-mentor-5", "Eli Haddad", "Trust school improvement lead", "all-through", "North", ["leadership"], 5),
]
LINE_MANAGER = Actor("demo-line-manager", Role.LINE_MANAGER)

# (stage the case is driven to, how many such cases)
CASES = [
    ("awaiting_line_manager", 2), ("declined", 1), ("awaiting_matching_request", 2),
    ("awaiting_match", 2), ("match_proposed", 2), ("discovery_call_held", 1),
    ("matched", 2), ("active", 3), ("extension_requested", 1), ("ended", 2),
    ("feedback_submitted", 5), ("withdrawn", 1), ("rematched", 1),
]
STEPS = ["awaiting_line_manager", "awaiting_matching_request", "awaiting_match", "match_proposed",
         "discovery_call_held", "matched", "active", "ended", "feedback_submitted"]


@dataclass
class Demo:
    programme_id: UUID
    people: dict[str, list[str]] = field(default_factory=dict)  # role → person ids
    cases: dict[str, list[UUID]] = field(default_factory=dict)  # stage → case ids
    pairs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # stage → (mentee, mentor person)


def load_demo(app: Trellis) -> Demo:
    """Loads the demo unless it is there already; returns who and what it holds."""
    demo = Demo(programme_id(PROGRAMME.name))
    demo.people = {
        "administrator": [ADMIN.id], "line_manager": [LINE_MANAGER.id],
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
    app.register_programme(PROGRAMME, ADMIN)
    mentors = [_mentor(app, demo.programme_id, *m) for m in MENTORS]
    n = 0
    for stage, count in CASES:
        for _ in range(count):
            n += 1
            mentee = Actor(f"demo-mentee-{n}", Role.MENTEE)
            mentor = mentors[n % len(mentors)]
            demo.cases.setdefault(stage, []).append(_case(app, demo.programme_id, mentee, mentor, stage, n))
    return demo


def _mentor(app: Trellis, prog: UUID, person: str, name: str, title: str, sector: str,
            region: str, expertise: list[str], capacity: int) -> UUID:
    actor = Actor(person, Role.MENTOR)
    first = name.split()[0].lower()
    mid = app.express_mentor_interest(prog, person, PersonDetails(name, f"{first}@demo.invalid", title), actor)
    app.complete_mentor_training(mid, date.today() - timedelta(days=60), ADMIN)
    profile = {"headline": title, "bio": f"{title}; mentors new middle leaders.", "expertise": expertise,
               "sector": sector, "region": region}
    app.join_pool(mid, capacity, profile, actor)
    return mid


def _case(app: Trellis, prog: UUID, mentee: Actor, mentor: UUID, stage: str, n: int) -> UUID:
    details = PersonDetails(f"Demo Mentee {n}", f"mentee{n}@demo.invalid", "Head of department")
    case_id = app.submit_eoi(prog, mentee.id, details, "New to middle leadership; wants support with a team.",
                             mentee, line_manager_id=LINE_MANAGER.id)
    if stage == "declined":
        app.decline_eoi(case_id, LINE_MANAGER, "Not this term")
        return case_id
    target = STEPS.index({"extension_requested": "active", "withdrawn": "awaiting_match",
                          "rematched": "discovery_call_held"}.get(stage, stage))
    today = date.today()
    partnership = None
    for step in STEPS[1 : target + 1]:
        if step == "awaiting_matching_request":
            app.approve_eoi(case_id, LINE_MANAGER, priority=n % 3 == 0)
        elif step == "awaiting_match":
            app.submit_matching_request(case_id, [mentor], "Lead my team through a curriculum change", mentee)
        elif step == "match_proposed":
            app.propose_match(case_id, mentor, "Same phase and a shared focus", ADMIN)
        elif step == "discovery_call_held":
            app.record_discovery_call(case_id, today, ADMIN)
        elif step == "matched":
            partnership = app.confirm_match(case_id, ADMIN)
        elif step == "active":
            app.sign_agreement(partnership, "mentee", mentee)
            app.sign_agreement(partnership, "mentor", ADMIN)
            app.record_session(partnership, today, 60, "video", "Demo notes (confidential)", "Demo actions", mentee)
        elif step == "ended":
            app.end_partnership(partnership, "completed", mentee)
        elif step == "feedback_submitted":
            app.request_feedback(partnership, ADMIN)
            app.submit_feedback(partnership, 3 + n % 3, "Helpful", mentee)
    if stage == "extension_requested":
        app.request_extension(partnership, 3, mentee)
    elif stage == "withdrawn":
        app.withdraw_case(case_id, mentee, "Changed role")
    elif stage == "rematched":
        app.request_rematch(case_id, mentee, "Different focus")
    return case_id
