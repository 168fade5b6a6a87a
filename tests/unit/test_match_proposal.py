"""Proposing a match, the discovery call and confirmation, on the case itself."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import Invalid, NotAllowed, Role, recording
from domain_support import ADMIN, AT, DAY, as_mentor, form_partnership, mentor, person, refuses, scene, triggered


class TestProposingAMatch:
    def test_a_preferred_mentor_is_proposed_with_the_reasons(self):
        s = scene("requested")
        with recording(ADMIN, AT):
            s.case.propose_match(s.mentor.id, "Same phase")
        (event,) = triggered(s.case)
        assert (type(event).__name__, event.mentor_id, event.from_preferences) == ("MatchProposed", s.mentor.id, True)
        assert (event.reasons.value, event.reasons.owner) == ("Same phase", s.mentee.id)
        assert (s.case.stage, s.case.proposed_mentor) == ("match_proposed", s.mentor.id)

    def test_an_alternative_to_the_preferences_is_marked_as_such(self):
        s = scene("requested")
        alternative = uuid4()
        with recording(ADMIN, AT):
            s.case.propose_match(alternative, "Preferred mentor is full")
        (event,) = triggered(s.case)
        assert (event.mentor_id, event.from_preferences) == (alternative, False)

    def test_only_an_administrator_proposes(self):
        s = scene("requested")
        for actor in (s.mentor_actor, s.mentee, s.manager):
            with recording(actor, AT), refuses(s.case, NotAllowed):
                s.case.propose_match(s.mentor.id, "r")

    def test_not_before_the_matching_request(self):
        s = scene("approved")
        with recording(ADMIN, AT), refuses(s.case, NotAllowed, match="awaiting_matching_request"):
            s.case.propose_match(s.mentor.id, "r")

    def test_not_while_a_proposal_is_open(self):
        s = scene("proposed")
        with recording(ADMIN, AT), refuses(s.case, NotAllowed, match="match_proposed"):
            s.case.propose_match(uuid4(), "r")

    def test_allocated_programmes_propose_without_a_request(self):
        s = scene("eoi", matching="allocated", line_manager_approval=False)
        with recording(ADMIN, AT):
            s.case.propose_match(s.mentor.id, "Induction coordinator's choice")
        (event,) = triggered(s.case)
        assert (event.from_preferences, s.case.stage) == (False, "match_proposed")


class TestDiscoveryCall:
    @pytest.mark.parametrize("who", ["mentor", "mentee", "admin"])
    def test_is_recorded_by_either_party_or_the_administrator(self, who):
        s = scene("proposed")
        actor = {"mentor": s.mentor_actor, "mentee": s.mentee, "admin": ADMIN}[who]
        with recording(actor, AT):
            s.case.record_discovery_call(DAY)
        (event,) = triggered(s.case)
        assert (type(event).__name__, event.held_on, event.actor_id) == ("DiscoveryCallHeld", "2026-06-01", actor.id)
        assert s.case.stage == "discovery_call_held"

    def test_a_mentor_not_proposed_cannot_record_it(self):
        s = scene("proposed")
        other = mentor(programme_id=s.case.programme_id)
        with recording(as_mentor(other), AT), refuses(s.case, NotAllowed):
            s.case.record_discovery_call(DAY)

    def test_outsiders_cannot_record_it(self):
        s = scene("proposed")
        for actor in (s.manager, person(Role.MENTEE), person(Role.MENTOR)):
            with recording(actor, AT), refuses(s.case, NotAllowed):
                s.case.record_discovery_call(DAY)

    def test_needs_a_proposal(self):
        s = scene("requested")
        with recording(ADMIN, AT), refuses(s.case, NotAllowed, match="awaiting_match"):
            s.case.record_discovery_call(DAY)

    def test_the_day_must_be_a_date(self):
        s = scene("proposed")
        with recording(ADMIN, AT), refuses(s.case, Invalid, match="date"):
            s.case.record_discovery_call("yesterday")


class TestConfirmingAMatch:
    def test_names_the_next_partnership_for_the_case(self):
        s = scene("called")
        with recording(ADMIN, AT):
            first = s.case.confirm_match()
        (event,) = triggered(s.case)
        assert (type(event).__name__, event.mentor_id, event.partnership_id) == ("MatchConfirmed", s.mentor.id, first)
        assert (s.case.stage, s.case.partnership_id, s.case.matches) == ("matched", first, 1)

    def test_self_selected_matches_need_the_discovery_call(self):
        s = scene("proposed")
        with recording(ADMIN, AT), refuses(s.case, NotAllowed, match="match_proposed"):
            s.case.confirm_match()

    @pytest.mark.parametrize("stage", ["proposed", "called"])
    def test_allocated_matches_may_be_confirmed_with_or_without_the_call(self, stage):
        s = scene(stage, matching="allocated", line_manager_approval=False)
        with recording(ADMIN, AT):
            s.case.confirm_match()
        assert s.case.stage == "matched"

    def test_only_an_administrator_confirms(self):
        s = scene("called")
        for actor in (s.mentor_actor, s.mentee, person(Role.DPO)):
            with recording(actor, AT), refuses(s.case, NotAllowed):
                s.case.confirm_match()

    @pytest.mark.parametrize(("stage", "says"), [("requested", "awaiting_match"), ("matched", "matched")])
    def test_needs_an_open_proposal(self, stage, says):
        s = scene(stage)
        with recording(ADMIN, AT), refuses(s.case, NotAllowed, match=says):
            s.case.confirm_match()


class TestFormingThePartnership:
    def test_pairs_the_cases_mentee_and_mentor_for_the_programmes_default_duration(self):
        s = scene("called", default_duration_months=10, max_duration_months=14)
        with recording(ADMIN, AT):
            pid = s.case.confirm_match()
            partnership = form_partnership(s.case, s.mentor, s.settings)
        (event,) = triggered(partnership)
        assert (type(event).__name__, partnership.id) == ("PartnershipFormed", pid)
        assert (partnership.case_id, partnership.mentee_id, partnership.mentor_id, partnership.mentor_person_id) == (
            s.case.id, s.mentee.id, s.mentor.id, s.mentor_actor.id,
        )
        assert (partnership.status, partnership.planned_months, partnership.max_months) == (
            "awaiting_signatures", 10, 14,
        )
        assert (partnership.signed, partnership.started_on, partnership.sessions) == ([], None, 0)

    def test_needs_a_confirmed_match_with_that_mentor(self):
        s = scene("called")
        with recording(ADMIN, AT), pytest.raises(NotAllowed, match="no confirmed match"):
            form_partnership(s.case, s.mentor, s.settings)
        other = mentor(programme_id=s.case.programme_id)
        with recording(ADMIN, AT):
            s.case.confirm_match()
            with pytest.raises(NotAllowed, match="no confirmed match"):
                form_partnership(s.case, other, s.settings)
