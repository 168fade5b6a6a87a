"""Feedback from both parties once the partnership has ended and the administrator asked for it."""

from __future__ import annotations

import pytest

from domain import Invalid, NotAllowed, Role, recording
from domain_support import ADMIN, AT, person, refuses, scene, triggered


def ended(feedback_requested: bool = False):
    s = scene("active")
    with recording(ADMIN, AT):
        s.partnership.end("completed")
        if feedback_requested:
            s.partnership.request_feedback()
    triggered(s.partnership)
    return s


class TestRequestingFeedback:
    def test_the_administrator_requests_it_once_the_partnership_has_ended(self):
        s = ended()
        with recording(ADMIN, AT):
            s.partnership.request_feedback()
        assert [type(e).__name__ for e in triggered(s.partnership)] == ["FeedbackRequested"]
        assert s.partnership.feedback_requested is True

    def test_not_before_the_end(self):
        s = scene("active")
        with recording(ADMIN, AT), refuses(s.partnership, NotAllowed, match="active"):
            s.partnership.request_feedback()

    def test_requested_once_and_only_by_the_administrator(self):
        s = ended()
        with recording(s.mentee, AT), refuses(s.partnership, NotAllowed):
            s.partnership.request_feedback()
        with recording(ADMIN, AT):
            s.partnership.request_feedback()
            with refuses(s.partnership, NotAllowed, match="already been requested"):
                s.partnership.request_feedback()


class TestGivingFeedback:
    def test_both_parties_give_feedback_kept_for_the_one_who_wrote_it(self):
        s = ended(feedback_requested=True)
        with recording(s.mentee, AT):
            s.partnership.submit_feedback(5, "Transformative")
        with recording(s.mentor_actor, AT):
            s.partnership.submit_feedback(4, "")
        mentee_says, mentor_says = triggered(s.partnership)
        assert (mentee_says.party, mentee_says.comments.value, mentee_says.comments.owner) == (
            "mentee", "Transformative", s.mentee.id,
        )
        assert (mentee_says.rating.value, mentee_says.rating.owner) == (5, s.mentee.id)
        assert (mentor_says.party, mentor_says.comments.owner) == ("mentor", s.mentor_actor.id)
        assert (mentor_says.rating.value, mentor_says.rating.owner) == (4, s.mentor_actor.id)
        assert s.partnership.feedback_from == ["mentee", "mentor"]

    def test_not_before_it_is_requested(self):
        s = ended()
        with recording(s.mentee, AT), refuses(s.partnership, NotAllowed, match="not been requested"):
            s.partnership.submit_feedback(5, "")

    def test_each_party_once_and_nobody_else(self):
        s = ended(feedback_requested=True)
        with recording(s.mentor_actor, AT):
            s.partnership.submit_feedback(3, "")
            with refuses(s.partnership, NotAllowed, match="already given"):
                s.partnership.submit_feedback(3, "")
        for actor in (ADMIN, s.manager, person(Role.MENTEE)):
            with recording(actor, AT), refuses(s.partnership, NotAllowed):
                s.partnership.submit_feedback(3, "")

    @pytest.mark.parametrize("rating", [0, 6, "5", None])
    def test_a_rating_is_from_1_to_5(self, rating):
        s = ended(feedback_requested=True)
        with recording(s.mentee, AT), refuses(s.partnership, Invalid, match="rating"):
            s.partnership.submit_feedback(rating, "")
