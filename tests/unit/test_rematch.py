"""No-blame rematch: the slot is released, no fault is recorded, the case returns to matching."""

from __future__ import annotations

import pytest

from domain import Case, Mentor, NotAllowed, Partnership, Role, recording
from domain_support import AT, person, refuses, scene, triggered
from app_support import ADMIN, TODAY, assert_recorded, events_of, stranger, written_since

BLAME = ("fault", "blame", "culprit", "at_fault", "responsible")


class TestRematchOnTheCase:
    @pytest.mark.parametrize("stage", ["proposed", "called", "matched"])
    def test_returns_the_case_to_matching_with_the_reason_kept_for_the_mentee(self, stage):
        s = scene(stage)
        with recording(s.mentee, AT):
            s.case.request_rematch("We did not click")
        (event,) = triggered(s.case)
        assert (type(event).__name__, event.reason.value, event.reason.owner) == (
            "RematchRequested", "We did not click", s.mentee.id,
        )
        assert (s.case.stage, s.case.proposed_mentor, s.case.partnership_id) == ("awaiting_match", None, None)

    def test_records_no_fault_and_names_neither_party(self):
        s = scene("matched")
        with recording(ADMIN, AT):
            s.case.request_rematch("")
        (event,) = triggered(s.case)
        assert set(vars(event)) == {
            "originator_id", "originator_version", "timestamp", "actor_id", "actor_role", "on_behalf_of", "reason",
        }
        assert not [name for name in vars(event) if any(word in name for word in BLAME)]
        named = {str(v) for v in vars(event).values()}
        assert not named & {str(s.mentor.id), s.mentor_actor.id, s.mentee.id}, "the rematch names neither party"

    @pytest.mark.parametrize("who", ["mentee", "mentor", "admin"])
    def test_either_party_or_the_administrator_may_ask(self, who):
        s = scene("matched")
        actor = {"mentee": s.mentee, "mentor": s.mentor_actor, "admin": ADMIN}[who]
        with recording(actor, AT):
            s.case.request_rematch("")
        assert s.case.stage == "awaiting_match"

    def test_outsiders_cannot_ask_for_a_rematch(self):
        s = scene("matched")
        for actor in (person(Role.MENTOR), person(Role.MENTEE), s.manager):
            with recording(actor, AT), refuses(s.case, NotAllowed):
                s.case.request_rematch("")

    @pytest.mark.parametrize(("stage", "says"), [("requested", "awaiting_match"), ("eoi", "awaiting_line_manager")])
    def test_nothing_to_rematch_before_a_proposal(self, stage, says):
        s = scene(stage)
        with recording(s.mentee, AT), refuses(s.case, NotAllowed, match=says):
            s.case.request_rematch("")


class TestRematchThroughTheServices:
    @pytest.mark.parametrize("stage", ["proposed", "called", "matched", "active"])
    def test_releases_the_mentors_capacity(self, memory_app, world, stage):
        mid, _ = world.mentor(capacity=1)
        case = world.case(stage, mentor_id=mid)
        memory_app.request_rematch(case["case_id"], case["mentee"], reason="We did not click")
        assert_recorded(memory_app, case["case_id"], "RematchRequested", case["mentee"])
        mentor = memory_app.load(Mentor, mid)
        assert (mentor.held, mentor.confirmed, mentor.free) == ([], [], 1)
        assert memory_app.load(Case, case["case_id"]).stage == "awaiting_match"

    @pytest.mark.parametrize("stage", ["matched", "active"])
    def test_ends_any_partnership_as_rematched(self, memory_app, world, stage):
        mid, mentor = world.mentor()
        case = world.case(stage, mentor_id=mid)
        memory_app.request_rematch(case["case_id"], mentor)
        partnership = memory_app.load(Partnership, case["partnership_id"])
        assert (partnership.status, partnership.end_reason) == ("ended", "rematched")

    def test_writes_the_rematch_the_end_and_the_release_and_nothing_else(self, memory_app, world):
        mid, _ = world.mentor()
        case = world.case("active", mentor_id=mid)
        before = memory_app.recorder.max_notification_id()
        memory_app.request_rematch(case["case_id"], ADMIN, reason="")
        written = written_since(memory_app, before)
        by_name = {type(e).__name__: e for e in written}
        assert (len(written), set(by_name)) == (3, {"RematchRequested", "PartnershipEnded", "SlotReleased"})
        for event in written:
            assert not [name for name in vars(event) if any(word in name for word in BLAME)]
        assert by_name["PartnershipEnded"].reason == "rematched"

    def test_the_same_mentor_can_be_proposed_again_and_a_second_partnership_forms(self, memory_app, world):
        mid, _ = world.mentor(capacity=1)
        case = world.case("matched", mentor_id=mid)
        memory_app.request_rematch(case["case_id"], ADMIN)
        memory_app.propose_match(case["case_id"], mid, "Second try", ADMIN)
        memory_app.record_discovery_call(case["case_id"], TODAY, ADMIN)
        second = memory_app.confirm_match(case["case_id"], ADMIN).id
        assert second != case["partnership_id"]
        assert memory_app.load(Partnership, second).status == "awaiting_signatures"
        assert memory_app.load(Partnership, case["partnership_id"]).status == "ended"
        assert memory_app.load(Case, case["case_id"]).matches == 2

    def test_a_refused_rematch_writes_nothing(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("active", mentor_id=mid)
        for actor in (stranger(Role.MENTOR), stranger(Role.MENTEE), case["manager"]):
            with refused(NotAllowed):
                memory_app.request_rematch(case["case_id"], actor)
        assert len(events_of(memory_app, case["partnership_id"])) == 4
