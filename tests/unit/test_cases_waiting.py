"""Which of a programme's cases wait for a match: counted from the events, per programme."""

from __future__ import annotations

from app_support import ADMIN, World


class TestCasesWaiting:
    def test_a_case_waits_from_approval_until_a_proposal_and_again_after_a_rematch(self, memory_app, world):
        mid, _ = world.mentor()
        case = world.case("eoi")
        assert memory_app.cases_waiting(world.programme_id) == 0
        memory_app.approve_eoi(case["case_id"], case["manager"])
        assert memory_app.cases_waiting(world.programme_id) == 1
        memory_app.submit_matching_request(case["case_id"], [mid], "g", case["mentee"])
        assert memory_app.cases_waiting(world.programme_id) == 1
        memory_app.propose_match(case["case_id"], mid, "r", ADMIN)
        assert memory_app.cases_waiting(world.programme_id) == 0
        memory_app.request_rematch(case["case_id"], case["mentee"])
        assert memory_app.cases_waiting(world.programme_id) == 1
        memory_app.withdraw_case(case["case_id"], case["mentee"])
        assert memory_app.cases_waiting(world.programme_id) == 0

    def test_without_line_manager_approval_a_case_waits_from_its_eoi(self, memory_app):
        world = World.create(memory_app, line_manager_approval=False)
        world.case("eoi")
        world.case("eoi")
        assert memory_app.cases_waiting(world.programme_id) == 2

    def test_a_declined_case_never_waits(self, memory_app, world):
        case = world.case("eoi")
        memory_app.decline_eoi(case["case_id"], case["manager"])
        assert memory_app.cases_waiting(world.programme_id) == 0

    def test_counts_each_programme_apart(self, memory_app, world):
        other = World.create(memory_app)
        world.case("approved")
        other.case("approved")
        other.case("approved")
        assert (memory_app.cases_waiting(world.programme_id), memory_app.cases_waiting(other.programme_id)) == (1, 2)
