"""Ending a partnership with a reason: it closes the case and frees the mentor's place."""

from __future__ import annotations

import pytest

from domain import Case, Invalid, Mentor, NotAllowed, Partnership, Role, recording
from domain_support import ADMIN, AT, person, refuses, scene, triggered
from app_support import assert_recorded, stranger, written_since

REASONS = ["completed", "withdrawn", "rematched", "not_extended", "other"]


class TestEndingAPartnership:
    @pytest.mark.parametrize("reason", REASONS)
    def test_ends_with_a_reason(self, reason):
        s = scene("active")
        with recording(s.mentee, AT):
            s.partnership.end(reason)
        (event,) = triggered(s.partnership)
        assert (type(event).__name__, event.reason) == ("PartnershipEnded", reason)
        assert (s.partnership.status, s.partnership.end_reason) == ("ended", reason)

    def test_a_partnership_still_awaiting_signatures_may_end(self):
        s = scene("matched")
        with recording(ADMIN, AT):
            s.partnership.end("other")
        assert s.partnership.status == "ended"

    def test_an_unknown_reason_is_invalid(self):
        s = scene("active")
        with recording(ADMIN, AT), refuses(s.partnership, Invalid, match="reason"):
            s.partnership.end("bored")

    def test_outsiders_cannot_end_it(self):
        s = scene("active")
        for actor in (s.manager, person(Role.MENTOR), person(Role.DPO)):
            with recording(actor, AT), refuses(s.partnership, NotAllowed):
                s.partnership.end("completed")

    def test_it_ends_once(self):
        s = scene("active")
        with recording(ADMIN, AT):
            s.partnership.end("completed")
            with refuses(s.partnership, NotAllowed, match="ended"):
                s.partnership.end("completed")


class TestEndingThroughTheServices:
    def test_closes_the_case_and_frees_the_mentors_place(self, memory_app, world):
        mid, _ = world.mentor(capacity=1)
        case = world.case("active", mentor_id=mid)
        before = memory_app.recorder.max_notification_id()
        memory_app.end_partnership(case["partnership_id"], "completed", case["mentee"])
        assert sorted(type(e).__name__ for e in written_since(memory_app, before)) == [
            "CaseClosed", "PartnershipEnded", "SlotReleased",
        ]
        ended = assert_recorded(memory_app, case["partnership_id"], "PartnershipEnded", case["mentee"])
        assert ended.reason == "completed"
        loaded = memory_app.load(Case, case["case_id"])
        assert (loaded.stage, loaded.closed_reason) == ("closed", "partnership_ended")
        mentor = memory_app.load(Mentor, mid)
        assert (mentor.confirmed, mentor.free) == ([], 1)

    def test_a_refused_end_writes_nothing(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("active", mentor_id=mid)
        for actor in (case["manager"], stranger(Role.MENTOR)):
            with refused(NotAllowed):
                memory_app.end_partnership(case["partnership_id"], "completed", actor)
        with refused(Invalid, match="reason"):
            memory_app.end_partnership(case["partnership_id"], "bored", case["mentee"])
        assert memory_app.load(Partnership, case["partnership_id"]).status == "active"
