"""A mentee's expression of interest and the line manager's decision on it."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import Actor, Case, Invalid, NotAllowed, PersonDetails, Role, recording
from domain_support import ADMIN, AT, person, refuses, scene, settings, triggered


def submit(actor, mentee_id, manager_id="manager-1", config=None, statement="I want to lead well"):
    with recording(actor, AT):
        return Case.submit_eoi(
            uuid4(), config or settings(), mentee_id,
            PersonDetails("Mo Mentee", "mo@example.org", "Head of year", "Oak School"), statement, manager_id,
        )


class TestSubmittingAnEOI:
    def test_waits_for_the_line_manager(self):
        mentee = person(Role.MENTEE)
        case = submit(mentee, mentee.id)
        (event,) = triggered(case)
        assert (type(event).__name__, event.mentee_id, event.line_manager_id) == (
            "EOISubmitted", mentee.id, "manager-1",
        )
        assert (case.stage, case.line_manager_id, case.priority) == ("awaiting_line_manager", "manager-1", False)
        assert case.details["job_title"].value == "Head of year"
        assert (case.details["name"].owner, event.statement.owner, event.statement.value) == (
            mentee.id, mentee.id, "I want to lead well",
        )

    def test_without_line_manager_approval_goes_straight_to_matching(self):
        mentee = person(Role.MENTEE)
        case = submit(mentee, mentee.id, manager_id=None, config=settings(line_manager_approval=False))
        assert (case.stage, case.line_manager_id) == ("awaiting_matching_request", None)

    def test_a_manager_named_where_no_approval_is_needed_is_not_kept(self):
        mentee = person(Role.MENTEE)
        case = submit(mentee, mentee.id, manager_id="manager-1", config=settings(line_manager_approval=False))
        assert (case.stage, case.line_manager_id) == ("awaiting_matching_request", None)

    def test_in_an_allocated_programme_waits_for_a_match(self):
        mentee = person(Role.MENTEE)
        config = settings(line_manager_approval=False, matching="allocated")
        assert submit(mentee, mentee.id, manager_id=None, config=config).stage == "awaiting_match"

    def test_needs_a_line_manager_when_the_programme_asks_for_approval(self):
        mentee = person(Role.MENTEE)
        with pytest.raises(Invalid, match="line manager"):
            submit(mentee, mentee.id, manager_id=None)

    def test_a_mentee_cannot_be_their_own_line_manager(self):
        mentee = person(Role.MENTEE)
        with pytest.raises(Invalid, match="own line manager"):
            submit(mentee, mentee.id, manager_id=mentee.id)

    def test_an_overlong_statement_is_invalid(self):
        mentee = person(Role.MENTEE)
        with pytest.raises(Invalid, match="statement"):
            submit(mentee, mentee.id, statement="x" * 4001)

    @pytest.mark.parametrize("role", [Role.MENTEE, Role.LINE_MANAGER, Role.MENTOR])
    def test_nobody_else_submits_for_a_mentee(self, role):
        with pytest.raises(NotAllowed):
            submit(person(role), "mentee-x")

    def test_an_administrator_may_submit_it_for_them(self):
        case = submit(ADMIN, "mentee-y")
        (event,) = triggered(case)
        assert (event.actor_id, event.mentee_id, case.mentee_id) == (ADMIN.id, "mentee-y", "mentee-y")


class TestLineManagerApproval:
    @pytest.mark.parametrize("priority", [True, False])
    def test_the_own_line_manager_approves_with_or_without_priority(self, priority):
        s = scene("eoi")
        with recording(s.manager, AT):
            s.case.approve(priority=priority)
        (event,) = triggered(s.case)
        assert (type(event).__name__, event.priority, event.actor_id) == ("LineManagerApproved", priority, s.manager.id)
        assert (s.case.stage, s.case.priority) == ("awaiting_matching_request", priority)

    @pytest.mark.parametrize(
        "who",
        [lambda s: person(Role.LINE_MANAGER), lambda s: ADMIN, lambda s: s.mentee, lambda s: person(Role.AUDITOR),
         lambda s: Actor(s.manager.id, Role.ADMINISTRATOR), lambda s: Actor(s.manager.id, Role.MENTEE)],
        ids=["another-line-manager", "administrator", "the-mentee", "auditor", "own-manager-as-admin",
             "own-manager-as-mentee"],
    )
    def test_nobody_but_the_cases_own_line_manager_decides(self, who):
        s = scene("eoi")
        with recording(who(s), AT):
            with refuses(s.case, NotAllowed, match="own line manager"):
                s.case.approve()
            with refuses(s.case, NotAllowed, match="own line manager"):
                s.case.decline("no")
        assert s.case.stage == "awaiting_line_manager"

    def test_a_decision_is_made_once(self):
        s = scene("approved")
        with recording(s.manager, AT):
            with refuses(s.case, match="awaiting_matching_request"):
                s.case.approve()
            with refuses(s.case, match="awaiting_matching_request"):
                s.case.decline()

    def test_a_programme_without_approval_has_nothing_to_decide(self):
        s = scene("eoi", line_manager_approval=False)
        with recording(Actor("manager-1", Role.LINE_MANAGER), AT), refuses(s.case):
            s.case.approve()


class TestLineManagerDecline:
    def test_closes_the_case_with_the_reason_kept_for_the_mentee(self):
        s = scene("eoi")
        with recording(s.manager, AT):
            s.case.decline(reason="Not this year")
        (event,) = triggered(s.case)
        assert type(event).__name__ == "LineManagerDeclined"
        assert (event.reason.owner, event.reason.value) == (s.mentee.id, "Not this year")
        assert (s.case.stage, s.case.closed_reason) == ("closed", "declined")

    def test_an_overlong_reason_is_invalid(self):
        s = scene("eoi")
        with recording(s.manager, AT), refuses(s.case, Invalid, match="reason"):
            s.case.decline(reason="x" * 2001)
