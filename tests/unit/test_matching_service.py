"""Through the services: a proposal holds the mentor's slot and a confirmation forms the partnership."""

from __future__ import annotations

from uuid import uuid4

from domain import Case, Mentor, NotAllowed, NotFound, Partnership
from app_support import ADMIN, TODAY, World, assert_recorded, last_event, written_since


class TestProposingAMatch:
    def test_holds_a_slot_of_the_mentor_in_the_same_save(self, memory_app, world):
        mid, _ = world.mentor(capacity=2)
        case = world.case("requested", mentor_id=mid)
        before = memory_app.recorder.max_notification_id()
        memory_app.propose_match(case["case_id"], mid, "Same phase", ADMIN)
        assert sorted(type(e).__name__ for e in written_since(memory_app, before)) == ["MatchProposed", "SlotHeld"]
        assert assert_recorded(memory_app, case["case_id"], "MatchProposed", ADMIN).mentor_id == mid
        assert assert_recorded(memory_app, mid, "SlotHeld", ADMIN).case_id == case["case_id"]
        mentor = memory_app.load(Mentor, mid)
        assert (mentor.held, mentor.free) == ([case["case_id"]], 1)

    def test_open_proposals_count_against_capacity(self, memory_app, world, refused):
        mid, _ = world.mentor(capacity=1)
        world.case("proposed", mentor_id=mid)
        waiting = world.case("requested", mentor_id=mid)
        with refused(NotAllowed, match="no free capacity"):
            memory_app.propose_match(waiting["case_id"], mid, "r", ADMIN)
        assert memory_app.load(Case, waiting["case_id"]).stage == "awaiting_match"

    def test_confirmed_partnerships_count_against_capacity(self, memory_app, world, refused):
        mid, _ = world.mentor(capacity=1)
        world.case("matched", mentor_id=mid)
        waiting = world.case("requested", mentor_id=mid)
        with refused(NotAllowed, match="no free capacity"):
            memory_app.propose_match(waiting["case_id"], mid, "r", ADMIN)

    def test_a_paused_mentor_cannot_be_proposed(self, memory_app, world, refused):
        mid, mentor = world.mentor()
        case = world.case("requested", mentor_id=mid)
        memory_app.pause_mentor(mid, mentor)
        with refused(NotAllowed, match="paused"):
            memory_app.propose_match(case["case_id"], mid, "Good fit", ADMIN)

    def test_a_mentor_of_another_programme_or_none_at_all_is_not_found(self, memory_app, world, refused):
        foreign, _ = World.create(memory_app).mentor()
        case = world.case("approved")
        for mentor_id in (foreign, uuid4()):
            with refused(NotFound):
                memory_app.propose_match(case["case_id"], mentor_id, "r", ADMIN)

    def test_allocated_programmes_propose_without_a_request(self, memory_app):
        world = World.create(memory_app, matching="allocated", line_manager_approval=False)
        mid, _ = world.mentor()
        case = world.case("eoi")
        memory_app.propose_match(case["case_id"], mid, "Induction coordinator's choice", ADMIN)
        assert memory_app.load(Case, case["case_id"]).stage == "match_proposed"
        assert memory_app.load(Mentor, mid).held == [case["case_id"]]


class TestConfirmingAMatch:
    def test_forms_a_partnership_awaiting_both_signatures_and_confirms_the_slot(self, memory_app, world):
        mid, mentor = world.mentor(capacity=2)
        case = world.case("called", mentor_id=mid)
        before = memory_app.recorder.max_notification_id()
        pid = memory_app.confirm_match(case["case_id"], ADMIN).id
        assert sorted(type(e).__name__ for e in written_since(memory_app, before)) == [
            "MatchConfirmed", "PartnershipFormed", "SlotConfirmed",
        ]
        loaded = memory_app.load(Case, case["case_id"])
        assert (loaded.stage, loaded.partnership_id) == ("matched", pid)
        assert assert_recorded(memory_app, case["case_id"], "MatchConfirmed", ADMIN).partnership_id == pid
        partnership = memory_app.load(Partnership, pid)
        assert (partnership.status, partnership.mentee_id, partnership.mentor_person_id) == (
            "awaiting_signatures", case["mentee"].id, mentor.id,
        )
        assert (partnership.planned_months, partnership.max_months) == (12, 18)
        slots = memory_app.load(Mentor, mid)
        assert (slots.held, slots.confirmed, slots.free) == ([], [case["case_id"]], 1)

    def test_a_case_without_a_proposal_writes_nothing(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("requested", mentor_id=mid)
        with refused(NotAllowed, match="awaiting_match"):
            memory_app.confirm_match(case["case_id"], ADMIN)

    def test_the_discovery_call_is_recorded_through_the_services(self, memory_app, world):
        mid, mentor = world.mentor()
        case = world.case("proposed", mentor_id=mid)
        memory_app.record_discovery_call(case["case_id"], TODAY, mentor)
        assert last_event(memory_app, case["case_id"]).held_on == "2026-06-01"
