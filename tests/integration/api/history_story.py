"""A programme's history over three months, told through the services with the clock moved on
between steps, for the history tests: several cases through matching, a rematch, sessions,
a review, an extension, an ending, a mentor pausing and changing capacity, a programme
reconfigured, and administrators recording steps for the people who take them.

Every confidential, special-category and free-text field carries a marker of its own, so the
tests can show that no timeline, as-of state or board ever answers one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from domain import PersonDetails, ProgrammeSettings, Role
from lifecycle import identity_of, person, unique

MARK = uuid4().hex[:8]
NOTES, ACTIONS, REVIEW_NOTES = f"NOTES-{MARK}", f"ACTIONS-{MARK}", f"REVIEWNOTES-{MARK}"
STATEMENT, GOALS, REASONS = f"STATEMENT-{MARK}", f"GOALS-{MARK}", f"REASONS-{MARK}"
REMATCH, WITHDRAWAL, DECLINE = f"REMATCHWHY-{MARK}", f"WITHDRAWWHY-{MARK}", f"DECLINEWHY-{MARK}"
SPECIAL, FEEDBACK, BIO = f"SPECIAL-{MARK}", f"FEEDBACK-{MARK}", f"BIO-{MARK}"
NEVER_SHOWN = (NOTES, ACTIONS, REVIEW_NOTES, STATEMENT, GOALS, REASONS, REMATCH, WITHDRAWAL, DECLINE, SPECIAL, FEEDBACK)

# the story's days, each a moment the tests look back at
DAYS = {
    "registered": datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    "first match": datetime(2026, 3, 5, 14, 30, tzinfo=UTC),
    "sessions": datetime(2026, 3, 20, 10, 0, tzinfo=UTC),
    "rematch": datetime(2026, 4, 10, 11, 15, tzinfo=UTC),
    "review": datetime(2026, 5, 1, 16, 0, tzinfo=UTC),
    "extension": datetime(2026, 5, 20, 8, 45, tzinfo=UTC),
    "ended": datetime(2026, 6, 1, 9, 30, tzinfo=UTC),
}


@dataclass
class Story:
    trellis: Any
    clock: Any
    people: dict[str, Any] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)

    def on(self, day: str) -> None:
        self.clock.set(DAYS[day])

    @property
    def today(self):
        return self.clock().date()

    def mentor(self, key: str, capacity: int, name: str, by_admin: bool = False) -> None:
        t, admin = self.trellis, self.people["admin"]
        me = self.people[key] = person(t, Role.MENTOR)
        details = PersonDetails(name, f"{identity_of(me)}@example.org")
        mentor_id = self.ids[key] = t.express_mentor_interest(
            self.ids["programme"], me.id, details, admin if by_admin else me).id
        t.complete_mentor_training(mentor_id, self.today, admin)
        t.join_pool(mentor_id, capacity, {"headline": "Deputy head", "bio": BIO, "expertise": ["maths"]}, me,
                    special={"lived_experience": SPECIAL}, consent=True)

    def eoi(self, key: str, name: str, by_admin: bool = False) -> None:
        t = self.trellis
        mentee = self.people[key] = person(t, Role.MENTEE)
        manager = self.people[f"{key} manager"] = person(t, Role.LINE_MANAGER, "manager")
        self.ids[key] = t.submit_eoi(
            self.ids["programme"], mentee.id, PersonDetails(name, f"{identity_of(mentee)}@example.org"), STATEMENT,
            self.people["admin"] if by_admin else mentee, line_manager_id=manager.id,
        ).id


def tell(trellis: Any, clock: Any, moment: Any) -> Story:
    """Runs the story, calling `moment(story, day)` at the end of each day."""
    s = Story(trellis, clock)
    t = trellis
    s.on("registered")
    admin = s.people["admin"] = person(t, Role.ADMINISTRATOR, "admin")
    s.people["auditor"] = person(t, Role.AUDITOR)
    settings = ProgrammeSettings(name=unique("History programme"), default_duration_months=6, max_duration_months=12,
                                 exploratory_conversations=1)
    s.ids["settings"] = settings
    s.ids["programme"] = t.register_programme(settings, admin).id
    s.mentor("mentor A", 2, "Avery Okafor", by_admin=True)
    s.mentor("mentor B", 1, "Bea Lindqvist")
    s.mentor("mentor C", 2, "Cal Moreno")
    s.eoi("case 1", "Dana First", by_admin=True)
    s.eoi("case 2", "Eli Second")
    s.eoi("case 3", "Fen Third")
    moment(s, "registered")

    s.on("first match")
    t.approve_eoi(s.ids["case 1"], s.people["case 1 manager"], priority=True)
    t.approve_eoi(s.ids["case 2"], s.people["case 2 manager"])
    t.submit_matching_request(s.ids["case 1"], [s.ids["mentor B"], s.ids["mentor A"]], GOALS, admin)
    t.submit_matching_request(s.ids["case 2"], [s.ids["mentor C"]], GOALS, s.people["case 2"],
                              special={"ethnicity": SPECIAL}, consent=True)
    t.propose_match(s.ids["case 1"], s.ids["mentor A"], REASONS, admin)
    t.record_discovery_call(s.ids["case 1"], s.today, s.people["mentor A"])
    p1 = s.ids["partnership 1"] = t.confirm_match(s.ids["case 1"], admin).id
    t.sign_agreement(p1, "mentee", admin)
    t.sign_agreement(p1, "mentor", s.people["mentor A"])
    moment(s, "first match")

    s.on("sessions")
    t.record_session(p1, s.today, 50, "video", NOTES, ACTIONS, s.people["case 1"])
    t.pause_mentor(s.ids["mentor B"], admin)  # recorded for the mentor by an administrator
    t.record_exploratory_conversation(s.ids["case 2"], s.ids["mentor B"], s.today, s.people["case 2"])
    moment(s, "sessions")

    s.on("rematch")
    t.request_rematch(s.ids["case 1"], s.people["case 1"], reason=REMATCH)
    t.propose_match(s.ids["case 2"], s.ids["mentor C"], REASONS, admin)
    t.change_mentor_capacity(s.ids["mentor A"], 3, s.people["mentor A"])
    t.reconfigure_programme(s.ids["programme"], ProgrammeSettings(
        name=settings.name, default_duration_months=6, max_duration_months=12, exploratory_conversations=1,
        typical_sessions=8), admin)
    t.propose_match(s.ids["case 1"], s.ids["mentor C"], REASONS, admin)
    t.record_discovery_call(s.ids["case 1"], s.today, admin)
    p2 = s.ids["partnership 2"] = t.confirm_match(s.ids["case 1"], admin).id
    t.sign_agreement(p2, "mentee", s.people["case 1"])
    t.sign_agreement(p2, "mentor", s.people["mentor C"])
    moment(s, "rematch")

    s.on("review")
    t.record_session(p2, DAYS["rematch"].date(), 40, "in_person", NOTES, ACTIONS, s.people["mentor C"])
    t.review_progress(p2, "extend", REVIEW_NOTES, s.people["mentor C"])
    t.request_extension(p2, 3, s.people["case 1"])
    t.withdraw_case(s.ids["case 2"], s.people["case 2"], reason=WITHDRAWAL)
    moment(s, "review")

    s.on("extension")
    t.grant_extension(p2, admin)
    t.resume_mentor(s.ids["mentor B"], s.people["mentor B"])
    t.decline_eoi(s.ids["case 3"], s.people["case 3 manager"], DECLINE)
    moment(s, "extension")

    s.on("ended")
    t.end_partnership(p2, "completed", s.people["case 1"])
    t.request_feedback(p2, admin)
    t.submit_feedback(p2, 4, FEEDBACK, s.people["case 1"])
    moment(s, "ended")
    return s
