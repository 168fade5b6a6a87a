"""What erasure does to the aggregates: the system alone closes an erased mentee's case,
releases a case from an erased mentor, ends their partnership and takes the mentor out of
the pool — with no free text, and never on anyone else's word."""

from __future__ import annotations

import pytest

from domain import SYSTEM, Actor, NotAllowed, Role, recording
from domain_support import ADMIN, AT, STAGES, mentor, person, refuses, scene, triggered

CASE_STAGES = [s for s in STAGES if s != "active"]
# every role but the system's (the parametrisation below checks none is missing)
OTHER_ROLES = ["administrator", "line_manager", "mentor", "mentee", "auditor", "dpo"]


def test_the_other_roles_are_every_role_but_the_systems():
    assert {*OTHER_ROLES, "system"} == {role.value for role in Role}


def someone(s, role: str) -> Actor:
    """The scene's own party in that role where it has one (the likeliest to be let through)."""
    own = {"administrator": ADMIN, "line_manager": s.manager, "mentor": s.mentor_actor, "mentee": s.mentee}
    return own.get(role) or person(Role(role))


def event_names(*aggregates) -> list[str]:
    return [type(e).__name__ for e in triggered(*aggregates)]


class TestClosingAnErasedMenteesCase:
    @pytest.mark.parametrize("stage", CASE_STAGES)
    def test_the_system_closes_it_at_any_open_stage(self, stage):
        s = scene(stage)
        with recording(SYSTEM, AT):
            s.case.close_on_erasure()
        (event,) = triggered(s.case)
        assert (type(event).__name__, event.actor_id, event.actor_role) == ("ClosedOnErasure", "system", "system")
        assert (s.case.stage, s.case.closed_reason) == ("closed", "erased")

    @pytest.mark.parametrize("role", OTHER_ROLES)
    def test_no_other_role_may(self, role):
        s = scene("matched")
        with recording(someone(s, role), AT), refuses(s.case, NotAllowed):
            s.case.close_on_erasure()
        assert s.case.stage == "matched"

    @pytest.mark.parametrize(("closed_by", "reason"), [("mentee", "withdrawn"), ("manager", "declined"),
                                                        ("system", "erased")])
    def test_a_closed_case_refuses(self, closed_by, reason):
        s = scene("eoi")
        close = {"mentee": (s.mentee, s.case.withdraw), "manager": (s.manager, s.case.decline),
                 "system": (SYSTEM, s.case.close_on_erasure)}
        who, command = close[closed_by]
        with recording(who, AT):
            command()
        triggered(s.case)
        with recording(SYSTEM, AT), refuses(s.case, NotAllowed, match="closed"):
            s.case.close_on_erasure()
        assert s.case.closed_reason == reason


class TestReleasingACaseFromAnErasedMentor:
    @pytest.mark.parametrize("stage", ["proposed", "called", "matched"])
    def test_the_case_returns_to_matching_with_no_mentor(self, stage):
        s = scene(stage)
        with recording(SYSTEM, AT):
            s.case.release_erased_mentor()
        assert event_names(s.case) == ["MentorErased"]
        assert (s.case.stage, s.case.proposed_mentor, s.case.partnership_id) == ("awaiting_match", None, None)
        assert s.case.closed_reason is None

    @pytest.mark.parametrize("role", OTHER_ROLES)
    def test_no_other_role_may(self, role):
        s = scene("proposed")
        with recording(someone(s, role), AT), refuses(s.case, NotAllowed):
            s.case.release_erased_mentor()
        assert s.case.proposed_mentor == s.mentor.id

    @pytest.mark.parametrize("stage", ["eoi", "approved", "requested"])
    def test_only_a_case_with_a_mentor_is_released(self, stage):
        s = scene(stage)
        with recording(SYSTEM, AT), refuses(s.case, NotAllowed, match="stage"):
            s.case.release_erased_mentor()

    def test_a_closed_case_refuses(self):
        s = scene("matched")
        with recording(ADMIN, AT):
            s.case.withdraw()
        triggered(s.case)
        with recording(SYSTEM, AT), refuses(s.case, NotAllowed, match="closed"):
            s.case.release_erased_mentor()


class TestEndingAPartnershipOnErasure:
    @pytest.mark.parametrize("stage", ["matched", "active"])
    def test_the_system_ends_it_as_erased(self, stage):
        s = scene(stage)
        with recording(SYSTEM, AT):
            s.partnership.end_on_erasure()
        (event,) = triggered(s.partnership)
        assert (type(event).__name__, event.reason) == ("PartnershipEnded", "erased")
        assert (s.partnership.status, s.partnership.end_reason) == ("ended", "erased")

    @pytest.mark.parametrize("role", OTHER_ROLES)
    def test_no_other_role_may(self, role):
        s = scene("active")
        with recording(someone(s, role), AT), refuses(s.partnership, NotAllowed):
            s.partnership.end_on_erasure()
        assert s.partnership.status == "active"

    def test_an_ended_partnership_refuses(self):
        s = scene("active")
        with recording(ADMIN, AT):
            s.partnership.end("completed")
        triggered(s.partnership)
        with recording(SYSTEM, AT), refuses(s.partnership, NotAllowed, match="ended"):
            s.partnership.end_on_erasure()
        assert s.partnership.end_reason == "completed"


class TestAnErasedMentorLeaves:
    @pytest.mark.parametrize("status", ["interested", "trained", "in_pool"])
    def test_the_system_takes_a_mentor_without_cases_out(self, status):
        m = mentor(status)
        with recording(SYSTEM, AT):
            m.leave_on_erasure()
        assert event_names(m) == ["LeftOnErasure"]
        assert m.status == "left"

    def test_a_paused_mentor_leaves_too(self):
        m = mentor("in_pool")
        with recording(Actor(m.person_id, Role.MENTOR), AT):
            m.pause()
        triggered(m)
        with recording(SYSTEM, AT):
            m.leave_on_erasure()
        assert m.status == "left"

    @pytest.mark.parametrize("role", OTHER_ROLES)
    def test_no_other_role_may(self, role):
        s = scene("eoi")
        with recording(someone(s, role), AT), refuses(s.mentor, NotAllowed):
            s.mentor.leave_on_erasure()
        assert s.mentor.status == "in_pool"

    @pytest.mark.parametrize("stage", ["proposed", "matched"])
    def test_refused_while_a_slot_is_held_until_the_system_releases_it(self, stage):
        s = scene(stage, capacity=2)
        with recording(SYSTEM, AT):
            with refuses(s.mentor, NotAllowed, match="slots are released"):
                s.mentor.leave_on_erasure()
            s.mentor.release_slot(s.case.id)
            s.mentor.leave_on_erasure()
        assert event_names(s.mentor) == ["SlotReleased", "LeftOnErasure"]
        assert (s.mentor.status, s.mentor.held, s.mentor.confirmed) == ("left", [], [])

    def test_a_mentor_who_has_left_refuses(self):
        m = mentor("in_pool")
        with recording(SYSTEM, AT):
            m.leave_on_erasure()
            with refuses(m, NotAllowed, match="left"):
                m.leave_on_erasure()
