"""Builders that drive the aggregates directly, inside `recording(...)` at a pinned moment.

No store and no service: build, call, assert (cosmicpython's tests/unit/test_product.py).
Every builder hands back aggregates with no pending events, so `triggered(...)` after a
test's command shows exactly what that command did.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from domain import Actor, Case, Mentor, NotAllowed, Partnership, PersonDetails, ProgrammeSettings, Role, recording
from lifecycle import unique

AT = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
DAY = date(2026, 6, 1)  # AT's day, written out
ADMIN = Actor("admin-domain", Role.ADMINISTRATOR)
PROFILE = {"headline": "Head of maths", "expertise": ["maths"]}
STAGES = ("eoi", "approved", "requested", "proposed", "called", "matched", "active")


def person(role: Role) -> Actor:
    return Actor(unique(role.value), role)


def details(who: str, name: str = "Sam Person") -> PersonDetails:
    return PersonDetails(name, f"{who}@example.org", "Head of year", "Oak School")


def settings(**changes) -> ProgrammeSettings:
    """A self-selected programme with line-manager approval unless told otherwise."""
    return ProgrammeSettings(name=changes.pop("name", unique("programme")), **changes)


def triggered(*aggregates) -> list:
    """The events the aggregates have triggered since they were built (or last asked)."""
    return [e for aggregate in aggregates for e in aggregate.collect_events()]


def names(events) -> list[str]:
    return [type(e).__name__ for e in events]


@contextmanager
def refuses(aggregate, error: type[Exception] = NotAllowed, match: str | None = None) -> Iterator[None]:
    """The command raises `error` and the aggregate triggers nothing and stays at its version."""
    version, pending = aggregate.version, list(aggregate.pending_events)
    with pytest.raises(error, match=match):
        yield
    assert list(aggregate.pending_events) == pending, "a refused command triggered events"
    assert aggregate.version == version


def as_mentor(mentor: Mentor) -> Actor:
    return Actor(mentor.person_id, Role.MENTOR)


# -- mentors -------------------------------------------------------------------------------
def mentor(status: str = "in_pool", capacity: int = 2, programme_id: UUID | None = None) -> Mentor:
    """A mentor driven to `status`: interested, trained or in_pool."""
    who = person(Role.MENTOR)
    with recording(who, AT):
        built = Mentor.express_interest(programme_id or uuid4(), who.id, details(who.id, "Ada Mentor"))
    if status in ("trained", "in_pool"):
        with recording(ADMIN, AT):
            built.complete_training(DAY)
    if status == "in_pool":
        with recording(who, AT):
            built.join_pool(capacity, PROFILE)
    triggered(built)
    return built


# -- a case, its mentor and its partnership --------------------------------------------------
@dataclass
class Scene:
    settings: ProgrammeSettings
    case: Case
    mentor: Mentor
    partnership: Partnership | None = None

    @property
    def mentee(self) -> Actor:
        return Actor(self.case.mentee_id, Role.MENTEE)

    @property
    def manager(self) -> Actor:
        return Actor(str(self.case.line_manager_id), Role.LINE_MANAGER)

    @property
    def mentor_actor(self) -> Actor:
        return as_mentor(self.mentor)


def scene(stage: str = "eoi", capacity: int = 2, **changes) -> Scene:
    """A case driven to `stage` (one of STAGES) with a mentor in its programme, the way the
    services drive them: a proposal holds the mentor's slot, a confirmation confirms it."""
    config = settings(**changes)
    programme_id = uuid4()
    pooled = mentor(capacity=capacity, programme_id=programme_id)
    mentee, manager = person(Role.MENTEE), person(Role.LINE_MANAGER)
    manager_id = manager.id if config.line_manager_approval else None
    with recording(mentee, AT):
        case = Case.submit_eoi(programme_id, config, mentee.id, details(mentee.id), "I want to grow", manager_id)
    built = Scene(config, case, pooled)
    for step in STAGES[1 : STAGES.index(stage) + 1]:
        _STEPS[step](built)
    triggered(built.case, built.mentor, *([built.partnership] if built.partnership else []))
    return built


def form_partnership(case: Case, mentor: Mentor, config: ProgrammeSettings) -> Partnership:
    """The one place the tests form a partnership from a confirmed match."""
    return case.form_partnership(mentor, config)


def _approve(s: Scene) -> None:
    if s.settings.line_manager_approval:
        with recording(s.manager, AT):
            s.case.approve()


def _request(s: Scene) -> None:
    if s.settings.matching == "self_selected":
        with recording(s.mentee, AT):
            s.case.submit_matching_request([s.mentor.id], "Lead a department")


def _propose(s: Scene) -> None:
    with recording(ADMIN, AT):
        s.case.propose_match(s.mentor.id, "Same phase")
        s.mentor.hold_slot(s.case.id)


def _call(s: Scene) -> None:
    with recording(ADMIN, AT):
        s.case.record_discovery_call(DAY)


def _match(s: Scene) -> None:
    with recording(ADMIN, AT):
        s.case.confirm_match()
        s.mentor.confirm_slot(s.case.id)
        s.partnership = form_partnership(s.case, s.mentor, s.settings)


def _activate(s: Scene) -> None:
    assert s.partnership is not None
    with recording(ADMIN, AT):
        s.partnership.sign_agreement("mentee")
        s.partnership.sign_agreement("mentor")


_STEPS = {
    "approved": _approve, "requested": _request, "proposed": _propose, "called": _call,
    "matched": _match, "active": _activate,
}
