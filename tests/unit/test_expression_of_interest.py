"""A mentee's expression of interest and the line manager's decision on it."""

from __future__ import annotations

import pytest

from domain import Actor, Case, ClosedReason, Invalid, NotAllowed, PersonDetails, Programme, Role, Stage
from domain_support import ADMIN, World, assert_recorded, events_of, stranger, unique


def submit(app, world, mentee=None, manager_id="manager-1", statement="I want to lead well"):
    mentee = mentee or Actor(unique("mentee"), Role.MENTEE)
    return app.submit_eoi(
        world.programme_id, mentee.id, PersonDetails("Mo Mentee", "mo@example.org", "Head of year", "Oak School"),
        statement, mentee, line_manager_id=manager_id,
    ).id


class TestSubmittingAnEOI:
    def test_waits_for_the_line_manager(self, memory_app, world):
        mentee = Actor(unique("mentee"), Role.MENTEE)
        case_id = submit(memory_app, world, mentee)
        case = memory_app.load(Case, case_id)
        assert (case.stage, case.line_manager_id) == (Stage.AWAITING_LINE_MANAGER, "manager-1")
        assert case.details["job_title"].value == "Head of year"
        assert_recorded(memory_app, case_id, "EOISubmitted", mentee)
        assert case_id not in memory_app.load(Programme, world.programme_id).waiting

    def test_without_line_manager_approval_goes_straight_to_matching(self, memory_app):
        world = World.create(memory_app, line_manager_approval=False)
        case_id = submit(memory_app, world, manager_id=None)
        assert memory_app.load(Case, case_id).stage is Stage.AWAITING_MATCHING_REQUEST
        assert memory_app.load(Programme, world.programme_id).waiting == [case_id]

    def test_in_an_allocated_programme_waits_for_a_match(self, memory_app):
        world = World.create(memory_app, line_manager_approval=False, matching="allocated")
        case_id = submit(memory_app, world, manager_id=None)
        assert memory_app.load(Case, case_id).stage is Stage.AWAITING_MATCH

    def test_needs_a_line_manager_when_the_programme_asks_for_approval(self, memory_app, world, refused):
        with refused(Invalid, match="line manager"):
            submit(memory_app, world, manager_id=None)

    def test_a_mentee_cannot_be_their_own_line_manager(self, memory_app, world, refused):
        mentee = Actor(unique("mentee"), Role.MENTEE)
        with refused(Invalid):
            submit(memory_app, world, mentee, manager_id=mentee.id)

    def test_only_the_mentee_or_an_administrator_submits(self, memory_app, world, refused):
        with refused(NotAllowed):
            memory_app.submit_eoi(
                world.programme_id, "mentee-x", PersonDetails("A", "a@example.org"), "s",
                stranger(Role.MENTEE), line_manager_id="m",
            )
        case_id = memory_app.submit_eoi(
            world.programme_id, "mentee-y", PersonDetails("A", "a@example.org"), "s", ADMIN, line_manager_id="m"
        ).id
        assert_recorded(memory_app, case_id, "EOISubmitted", ADMIN)


class TestLineManagerApproval:
    def test_the_own_line_manager_approves_with_priority(self, memory_app, world):
        case = world.case("eoi")
        memory_app.approve_eoi(case["case_id"], case["manager"], priority=True)
        loaded = memory_app.load(Case, case["case_id"])
        assert (loaded.stage, loaded.priority) == (Stage.AWAITING_MATCHING_REQUEST, True)
        assert assert_recorded(memory_app, case["case_id"], "LineManagerApproved", case["manager"]).priority is True
        assert case["case_id"] in memory_app.load(Programme, world.programme_id).waiting

    def test_approval_without_priority_is_recorded_as_such(self, memory_app, world):
        case = world.case("eoi")
        memory_app.approve_eoi(case["case_id"], case["manager"])
        assert memory_app.load(Case, case["case_id"]).priority is False

    @pytest.mark.parametrize(
        "actor",
        [
            stranger(Role.LINE_MANAGER),
            ADMIN,
            Actor("mentee-as-manager", Role.MENTEE),
            Actor("auditor", Role.AUDITOR),
        ],
        ids=["another-line-manager", "administrator", "mentee", "auditor"],
    )
    def test_nobody_but_the_cases_own_line_manager_decides(self, memory_app, world, refused, actor):
        case = world.case("eoi")
        with refused(NotAllowed, match="own line manager"):
            memory_app.approve_eoi(case["case_id"], actor)
        with refused(NotAllowed, match="own line manager"):
            memory_app.decline_eoi(case["case_id"], actor)

    def test_the_own_line_manager_with_another_role_is_refused(self, memory_app, world, refused):
        case = world.case("eoi")
        with refused(NotAllowed):
            memory_app.approve_eoi(case["case_id"], Actor(case["manager"].id, Role.ADMINISTRATOR))

    def test_a_decision_is_made_once(self, memory_app, world, refused):
        case = world.case("approved")
        with refused(NotAllowed):
            memory_app.approve_eoi(case["case_id"], case["manager"])
        with refused(NotAllowed):
            memory_app.decline_eoi(case["case_id"], case["manager"])

    def test_a_programme_without_approval_has_nothing_to_decide(self, memory_app, refused):
        world = World.create(memory_app, line_manager_approval=False)
        case = world.case("eoi")
        with refused(NotAllowed):
            memory_app.approve_eoi(case["case_id"], case["manager"])


class TestLineManagerDecline:
    def test_closes_the_case_with_the_reason_kept_for_the_mentee(self, memory_app, world):
        case = world.case("eoi")
        memory_app.decline_eoi(case["case_id"], case["manager"], reason="Not this year")
        loaded = memory_app.load(Case, case["case_id"])
        assert (loaded.stage, loaded.closed_reason) == (Stage.CLOSED, ClosedReason.DECLINED)
        event = assert_recorded(memory_app, case["case_id"], "LineManagerDeclined", case["manager"])
        assert (event.reason.owner, event.reason.value) == (case["mentee"].id, "Not this year")
        assert case["case_id"] not in memory_app.load(Programme, world.programme_id).waiting

    def test_an_overlong_reason_is_invalid(self, memory_app, world, refused):
        case = world.case("eoi")
        with refused(Invalid):
            memory_app.decline_eoi(case["case_id"], case["manager"], reason="x" * 2001)
        assert len(events_of(memory_app, case["case_id"])) == 1
