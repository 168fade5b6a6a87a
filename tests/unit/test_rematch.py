"""No-blame rematch: the slot is released, no fault is recorded, the case returns to matching."""

from __future__ import annotations

from dataclasses import fields, is_dataclass

import pytest

from domain import Case, EndReason, Mentor, NotAllowed, Partnership, PartnershipStatus, Programme, Role, Stage
from domain_support import ADMIN, TODAY, assert_recorded, events_of, stranger

BLAME = ("fault", "blame", "culprit", "at_fault", "responsible")


def event_fields(event) -> set[str]:
    names = set(vars(event))
    if is_dataclass(event):
        names |= {f.name for f in fields(event)}
    return names


def events_written_since(app, before: int) -> list:
    notifications = app.recorder.select_notifications(start=before + 1, limit=100)
    return [app.mapper.to_domain_event(n) for n in notifications]


class TestRematch:
    @pytest.mark.parametrize("stage", ["proposed", "called", "matched", "active"])
    def test_releases_the_slot_and_returns_the_case_to_matching(self, memory_app, world, stage):
        mid, _ = world.mentor(capacity=1)
        case = world.case(stage, mentor_id=mid)
        memory_app.request_rematch(case["case_id"], case["mentee"], reason="We did not click")
        loaded = memory_app.load(Case, case["case_id"])
        assert (loaded.stage, loaded.proposed_mentor, loaded.partnership_id) == (Stage.AWAITING_MATCH, None, None)
        mentor = memory_app.load(Mentor, mid)
        assert (mentor.held, mentor.confirmed, mentor.free) == ([], [], 1)
        assert case["case_id"] in memory_app.load(Programme, world.programme_id).waiting
        assert assert_recorded(memory_app, case["case_id"], "RematchRequested", case["mentee"]).reason.value == (
            "We did not click"
        )

    @pytest.mark.parametrize("stage", ["matched", "active"])
    def test_ends_any_partnership_as_rematched(self, memory_app, world, stage):
        mid, mentor = world.mentor()
        case = world.case(stage, mentor_id=mid)
        memory_app.request_rematch(case["case_id"], mentor)
        partnership = memory_app.load(Partnership, case["partnership_id"])
        assert (partnership.status, partnership.end_reason) == (PartnershipStatus.ENDED, EndReason.REMATCHED)

    def test_records_no_fault_against_anyone(self, memory_app, world):
        mid, mentor = world.mentor()
        case = world.case("active", mentor_id=mid)
        before = memory_app.recorder.max_notification_id()
        memory_app.request_rematch(case["case_id"], ADMIN, reason="")
        written = events_written_since(memory_app, before)
        assert {type(e).__name__ for e in written} == {
            "RematchRequested", "PartnershipEnded", "SlotReleased", "CaseQueuedForMatch",
        }
        for event in written:
            assert not [name for name in event_fields(event) if any(word in name for word in BLAME)]
        rematch = next(e for e in written if type(e).__name__ == "RematchRequested")
        assert set(vars(rematch)) == {"originator_id", "originator_version", "timestamp", "reason", "actor_id", "actor_role"}
        named = {str(v) for v in vars(rematch).values()}
        assert not named & {str(mid), mentor.id, case["mentee"].id}, "the rematch names neither party"
        ended = next(e for e in written if type(e).__name__ == "PartnershipEnded")
        assert ended.reason == EndReason.REMATCHED.value

    def test_the_same_mentor_can_be_proposed_again_and_a_second_partnership_forms(self, memory_app, world):
        mid, _ = world.mentor(capacity=1)
        case = world.case("matched", mentor_id=mid)
        memory_app.request_rematch(case["case_id"], ADMIN)
        memory_app.propose_match(case["case_id"], mid, "Second try", ADMIN)
        memory_app.record_discovery_call(case["case_id"], TODAY, ADMIN)
        second = memory_app.confirm_match(case["case_id"], ADMIN).id
        assert second != case["partnership_id"]
        assert memory_app.load(Partnership, second).status is PartnershipStatus.AWAITING_SIGNATURES
        assert memory_app.load(Case, case["case_id"]).matches == 2

    def test_nothing_to_rematch_before_a_proposal(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("requested", mentor_id=mid)
        with refused(NotAllowed, match="awaiting_match"):
            memory_app.request_rematch(case["case_id"], case["mentee"])

    def test_outsiders_cannot_ask_for_a_rematch(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("active", mentor_id=mid)
        for actor in (stranger(Role.MENTOR), stranger(Role.MENTEE), case["manager"]):
            with refused(NotAllowed):
                memory_app.request_rematch(case["case_id"], actor)
        assert len(events_of(memory_app, case["partnership_id"])) == 4
