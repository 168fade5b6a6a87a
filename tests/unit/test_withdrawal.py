"""Withdrawal may end a case at any stage, releasing whatever it held."""

from __future__ import annotations

import pytest

from domain import Case, ClosedReason, EndReason, Mentor, NotAllowed, Partnership, PartnershipStatus, Programme, Role, Stage
from domain_support import ADMIN, assert_recorded, stranger

STAGES = ["eoi", "approved", "requested", "proposed", "called", "matched", "active"]


class TestWithdrawal:
    @pytest.mark.parametrize("stage", STAGES)
    def test_closes_the_case_at_any_stage(self, memory_app, world, stage):
        mid, _ = world.mentor(capacity=1)
        case = world.case(stage, mentor_id=mid)
        memory_app.withdraw_case(case["case_id"], case["mentee"], reason="New job")
        loaded = memory_app.load(Case, case["case_id"])
        assert (loaded.stage, loaded.closed_reason) == (Stage.CLOSED, ClosedReason.WITHDRAWN)
        event = assert_recorded(memory_app, case["case_id"], "Withdrawn", case["mentee"])
        assert event.reason.value == "New job"
        assert memory_app.load(Mentor, mid).free == 1
        assert case["case_id"] not in memory_app.load(Programme, world.programme_id).waiting

    @pytest.mark.parametrize("stage", ["matched", "active"])
    def test_ends_the_partnership_as_withdrawn(self, memory_app, world, stage):
        mid, _ = world.mentor()
        case = world.case(stage, mentor_id=mid)
        memory_app.withdraw_case(case["case_id"], ADMIN)
        partnership = memory_app.load(Partnership, case["partnership_id"])
        assert (partnership.status, partnership.end_reason) == (PartnershipStatus.ENDED, EndReason.WITHDRAWN)

    def test_an_administrator_may_record_it(self, memory_app, world):
        case = world.case("eoi")
        memory_app.withdraw_case(case["case_id"], ADMIN)
        assert_recorded(memory_app, case["case_id"], "Withdrawn", ADMIN)

    def test_neither_the_mentor_nor_the_line_manager_withdraws_the_mentee(self, memory_app, world, refused):
        mid, mentor = world.mentor()
        case = world.case("active", mentor_id=mid)
        for actor in (mentor, case["manager"], stranger(Role.MENTEE)):
            with refused(NotAllowed):
                memory_app.withdraw_case(case["case_id"], actor)
        assert memory_app.load(Case, case["case_id"]).stage is Stage.MATCHED
