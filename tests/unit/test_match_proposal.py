"""Proposing a match, the discovery call and confirmation — within the mentor's capacity."""

from __future__ import annotations

from datetime import timedelta

from domain import Case, Invalid, Mentor, NotAllowed, Partnership, PartnershipStatus, Programme, Role, Stage
from domain_support import ADMIN, TODAY, World, assert_recorded, last_event, stranger


class TestProposingAMatch:
    def test_holds_a_slot_and_takes_the_case_off_the_queue(self, memory_app, world):
        mid, _ = world.mentor(capacity=2)
        case = world.case("requested", mentor_id=mid)
        memory_app.propose_match(case["case_id"], mid, "Same phase", ADMIN)
        loaded = memory_app.load(Case, case["case_id"])
        assert (loaded.stage, loaded.proposed_mentor) == (Stage.MATCH_PROPOSED, mid)
        event = assert_recorded(memory_app, case["case_id"], "MatchProposed", ADMIN)
        assert (event.from_preferences, event.reasons.value) == (True, "Same phase")
        assert memory_app.load(Mentor, mid).held == [case["case_id"]]
        assert case["case_id"] not in memory_app.load(Programme, world.programme_id).waiting

    def test_an_alternative_to_the_preferences_is_marked_as_such(self, memory_app, world):
        preferred, _ = world.mentor()
        alternative, _ = world.mentor()
        case = world.case("requested", mentor_id=preferred)
        memory_app.propose_match(case["case_id"], alternative, "Preferred mentor is full", ADMIN)
        assert last_event(memory_app, case["case_id"]).from_preferences is False

    def test_open_proposals_count_against_capacity(self, memory_app, world, refused):
        mid, _ = world.mentor(capacity=1)
        world.case("proposed", mentor_id=mid)
        waiting = world.case("requested", mentor_id=mid)
        with refused(NotAllowed, match="no free capacity"):
            memory_app.propose_match(waiting["case_id"], mid, "r", ADMIN)
        assert memory_app.load(Case, waiting["case_id"]).stage is Stage.AWAITING_MATCH

    def test_confirmed_partnerships_count_against_capacity(self, memory_app, world, refused):
        mid, _ = world.mentor(capacity=1)
        world.case("matched", mentor_id=mid)
        waiting = world.case("requested", mentor_id=mid)
        with refused(NotAllowed, match="no free capacity"):
            memory_app.propose_match(waiting["case_id"], mid, "r", ADMIN)

    def test_only_an_administrator_proposes(self, memory_app, world, refused):
        mid, mentor = world.mentor()
        case = world.case("requested", mentor_id=mid)
        for actor in (mentor, case["mentee"], case["manager"]):
            with refused(NotAllowed):
                memory_app.propose_match(case["case_id"], mid, "r", actor)

    def test_not_before_the_matching_request(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("approved")
        with refused(NotAllowed, match="awaiting_matching_request"):
            memory_app.propose_match(case["case_id"], mid, "r", ADMIN)

    def test_allocated_programmes_propose_without_a_request(self, memory_app):
        world = World.create(memory_app, matching="allocated", line_manager_approval=False)
        mid, _ = world.mentor()
        case = world.case("eoi")
        memory_app.propose_match(case["case_id"], mid, "Induction coordinator's choice", ADMIN)
        assert memory_app.load(Case, case["case_id"]).stage is Stage.MATCH_PROPOSED


class TestDiscoveryCall:
    def test_is_recorded_by_either_party_or_the_administrator(self, memory_app, world):
        mid, mentor = world.mentor(capacity=3)
        for actor in (mentor, ADMIN):
            case = world.case("proposed", mentor_id=mid)
            memory_app.record_discovery_call(case["case_id"], TODAY, actor)
            assert memory_app.load(Case, case["case_id"]).stage is Stage.DISCOVERY_CALL_HELD
            assert assert_recorded(memory_app, case["case_id"], "DiscoveryCallHeld", actor).held_on == TODAY.isoformat()
        case = world.case("proposed", mentor_id=mid)
        memory_app.record_discovery_call(case["case_id"], TODAY, case["mentee"])

    def test_a_mentor_not_proposed_cannot_record_it(self, memory_app, world, refused):
        mid, _ = world.mentor()
        _, other_mentor = world.mentor()
        case = world.case("proposed", mentor_id=mid)
        with refused(NotAllowed):
            memory_app.record_discovery_call(case["case_id"], TODAY, other_mentor)

    def test_needs_a_proposal(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("requested", mentor_id=mid)
        with refused(NotAllowed):
            memory_app.record_discovery_call(case["case_id"], TODAY, ADMIN)

    def test_a_future_date_is_invalid(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("proposed", mentor_id=mid)
        with refused(Invalid):
            memory_app.record_discovery_call(case["case_id"], TODAY + timedelta(days=1), ADMIN)


class TestConfirmingAMatch:
    def test_forms_a_partnership_awaiting_both_signatures(self, memory_app, world):
        mid, mentor = world.mentor(capacity=2)
        case = world.case("called", mentor_id=mid)
        pid = memory_app.confirm_match(case["case_id"], ADMIN).id
        loaded = memory_app.load(Case, case["case_id"])
        assert (loaded.stage, loaded.partnership_id) == (Stage.MATCHED, pid)
        assert assert_recorded(memory_app, case["case_id"], "MatchConfirmed", ADMIN).mentor_id == mid
        partnership = memory_app.load(Partnership, pid)
        assert (partnership.status, partnership.mentee_id, partnership.mentor_person_id) == (
            PartnershipStatus.AWAITING_SIGNATURES, case["mentee"].id, mentor.id,
        )
        assert (partnership.planned_months, partnership.max_months) == (12, 18)
        slots = memory_app.load(Mentor, mid)
        assert (slots.held, slots.confirmed, slots.free) == ([], [case["case_id"]], 1)

    def test_self_selected_matches_need_the_discovery_call(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("proposed", mentor_id=mid)
        with refused(NotAllowed, match="match_proposed"):
            memory_app.confirm_match(case["case_id"], ADMIN)

    def test_allocated_matches_may_be_confirmed_straight_after_the_proposal(self, memory_app):
        world = World.create(memory_app, matching="allocated", line_manager_approval=False)
        mid, _ = world.mentor()
        case = world.case("proposed", mentor_id=mid)
        assert memory_app.confirm_match(case["case_id"], ADMIN).id is not None

    def test_only_an_administrator_confirms(self, memory_app, world, refused):
        mid, mentor = world.mentor()
        case = world.case("called", mentor_id=mid)
        for actor in (mentor, case["mentee"], stranger(Role.DPO)):
            with refused(NotAllowed):
                memory_app.confirm_match(case["case_id"], actor)

    def test_a_case_without_a_proposal_cannot_be_confirmed(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("requested", mentor_id=mid)
        with refused(NotAllowed, match="awaiting_match"):
            memory_app.confirm_match(case["case_id"], ADMIN)

    def test_a_confirmed_match_cannot_be_confirmed_again(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("matched", mentor_id=mid)
        with refused(NotAllowed, match="matched"):
            memory_app.confirm_match(case["case_id"], ADMIN)
