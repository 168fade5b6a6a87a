"""Ending a partnership with a reason, then feedback from both parties."""

from __future__ import annotations

import pytest

from domain import Case, ClosedReason, EndReason, Invalid, Mentor, NotAllowed, Partnership, PartnershipStatus, Role, Stage
from domain_support import ADMIN, assert_recorded, stranger


@pytest.fixture
def pair(memory_app, world):
    mid, mentor = world.mentor(capacity=1)
    return world.case("active", mentor_id=mid) | {"mentor": mentor, "mentor_id": mid}


@pytest.fixture
def ended(memory_app, pair):
    memory_app.end_partnership(pair["partnership_id"], "completed", pair["mentee"])
    return pair


class TestEndingAPartnership:
    @pytest.mark.parametrize("reason", [r for r in EndReason])
    def test_ends_with_a_reason_closes_the_case_and_frees_the_slot(self, memory_app, pair, reason):
        memory_app.end_partnership(pair["partnership_id"], reason, pair["mentee"])
        partnership = memory_app.load(Partnership, pair["partnership_id"])
        assert (partnership.status, partnership.end_reason) == (PartnershipStatus.ENDED, reason)
        assert assert_recorded(memory_app, pair["partnership_id"], "PartnershipEnded", pair["mentee"]).reason == reason.value
        case = memory_app.load(Case, pair["case_id"])
        assert (case.stage, case.closed_reason) == (Stage.CLOSED, ClosedReason.PARTNERSHIP_ENDED)
        assert memory_app.load(Mentor, pair["mentor_id"]).free == 1

    def test_a_partnership_still_awaiting_signatures_may_end(self, memory_app, world):
        mid, _ = world.mentor()
        case = world.case("matched", mentor_id=mid)
        memory_app.end_partnership(case["partnership_id"], "other", ADMIN)
        assert memory_app.load(Partnership, case["partnership_id"]).status is PartnershipStatus.ENDED

    def test_an_unknown_reason_is_invalid(self, memory_app, pair, refused):
        with refused(Invalid, match="reason"):
            memory_app.end_partnership(pair["partnership_id"], "bored", ADMIN)

    def test_outsiders_cannot_end_it(self, memory_app, pair, refused):
        for actor in (pair["manager"], stranger(Role.MENTOR), stranger(Role.DPO)):
            with refused(NotAllowed):
                memory_app.end_partnership(pair["partnership_id"], "completed", actor)

    def test_it_ends_once(self, memory_app, ended, refused):
        with refused(NotAllowed, match="ended"):
            memory_app.end_partnership(ended["partnership_id"], "completed", ADMIN)


class TestFeedback:
    def test_both_parties_give_feedback_once_requested(self, memory_app, ended):
        memory_app.request_feedback(ended["partnership_id"], ADMIN)
        assert_recorded(memory_app, ended["partnership_id"], "FeedbackRequested", ADMIN)
        memory_app.submit_feedback(ended["partnership_id"], 5, "Transformative", ended["mentee"])
        event = assert_recorded(memory_app, ended["partnership_id"], "FeedbackSubmitted", ended["mentee"])
        assert (event.party, event.rating, event.comments.value, event.comments.owner) == (
            "mentee", 5, "Transformative", ended["mentee"].id,
        )
        memory_app.submit_feedback(ended["partnership_id"], 4, "", ended["mentor"])
        assert memory_app.load(Partnership, ended["partnership_id"]).feedback_from == ["mentee", "mentor"]

    def test_not_requested_before_the_end(self, memory_app, pair, refused):
        with refused(NotAllowed, match="active"):
            memory_app.request_feedback(pair["partnership_id"], ADMIN)

    def test_requested_once_by_the_administrator(self, memory_app, ended, refused):
        with refused(NotAllowed):
            memory_app.request_feedback(ended["partnership_id"], ended["mentee"])
        memory_app.request_feedback(ended["partnership_id"], ADMIN)
        with refused(NotAllowed, match="already been requested"):
            memory_app.request_feedback(ended["partnership_id"], ADMIN)

    def test_not_submitted_before_it_is_requested(self, memory_app, ended, refused):
        with refused(NotAllowed, match="not been requested"):
            memory_app.submit_feedback(ended["partnership_id"], 5, "", ended["mentee"])

    def test_each_party_once_and_nobody_else(self, memory_app, ended, refused):
        memory_app.request_feedback(ended["partnership_id"], ADMIN)
        memory_app.submit_feedback(ended["partnership_id"], 3, "", ended["mentor"])
        with refused(NotAllowed, match="already given"):
            memory_app.submit_feedback(ended["partnership_id"], 3, "", ended["mentor"])
        for actor in (ADMIN, ended["manager"], stranger(Role.MENTEE)):
            with refused(NotAllowed):
                memory_app.submit_feedback(ended["partnership_id"], 3, "", actor)

    @pytest.mark.parametrize("rating", [0, 6, "5", None])
    def test_a_rating_is_from_1_to_5(self, memory_app, ended, refused, rating):
        memory_app.request_feedback(ended["partnership_id"], ADMIN)
        with refused(Invalid, match="rating"):
            memory_app.submit_feedback(ended["partnership_id"], rating, "", ended["mentee"])
