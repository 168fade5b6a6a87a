"""Withdrawal may end a case at any stage, releasing whatever it held."""

from __future__ import annotations

import pytest

from domain import Case, Mentor, NotAllowed, Partnership, Role, recording
from domain_support import ADMIN, AT, STAGES, person, refuses, scene, triggered
from app_support import assert_recorded, stranger

CASE_STAGES = [s for s in STAGES if s != "active"]


class TestWithdrawingACase:
    @pytest.mark.parametrize("stage", CASE_STAGES)
    def test_closes_the_case_at_any_stage_with_the_reason_kept_for_the_mentee(self, stage):
        s = scene(stage)
        with recording(s.mentee, AT):
            s.case.withdraw("New job")
        (event,) = triggered(s.case)
        assert (type(event).__name__, event.reason.value, event.reason.owner) == ("Withdrawn", "New job", s.mentee.id)
        assert (s.case.stage, s.case.closed_reason) == ("closed", "withdrawn")

    def test_an_administrator_may_record_it(self):
        s = scene("eoi")
        with recording(ADMIN, AT):
            s.case.withdraw()
        assert s.case.stage == "closed"

    def test_neither_the_mentor_nor_the_line_manager_withdraws_the_mentee(self):
        s = scene("matched")
        for actor in (s.mentor_actor, s.manager, person(Role.MENTEE)):
            with recording(actor, AT), refuses(s.case, NotAllowed, match="mentee or an administrator"):
                s.case.withdraw()
        assert s.case.stage == "matched"


class TestWithdrawalThroughTheServices:
    @pytest.mark.parametrize("stage", STAGES)
    def test_releases_whatever_the_case_held(self, memory_app, world, stage):
        mid, _ = world.mentor(capacity=1)
        case = world.case(stage, mentor_id=mid)
        memory_app.withdraw_case(case["case_id"], case["mentee"], reason="New job")
        assert_recorded(memory_app, case["case_id"], "Withdrawn", case["mentee"])
        assert memory_app.load(Case, case["case_id"]).stage == "closed"
        mentor = memory_app.load(Mentor, mid)
        assert (mentor.held, mentor.confirmed, mentor.free) == ([], [], 1)

    @pytest.mark.parametrize("stage", ["matched", "active"])
    def test_ends_the_partnership_as_withdrawn(self, memory_app, world, stage):
        mid, _ = world.mentor()
        case = world.case(stage, mentor_id=mid)
        memory_app.withdraw_case(case["case_id"], ADMIN)
        partnership = memory_app.load(Partnership, case["partnership_id"])
        assert (partnership.status, partnership.end_reason) == ("ended", "withdrawn")

    def test_a_refused_withdrawal_writes_nothing(self, memory_app, world, refused):
        mid, mentor = world.mentor()
        case = world.case("active", mentor_id=mid)
        for actor in (mentor, case["manager"], stranger(Role.MENTEE)):
            with refused(NotAllowed):
                memory_app.withdraw_case(case["case_id"], actor)
