"""Progress review and extensions, weighed against the maximum and the mentor's capacity."""

from __future__ import annotations

import pytest

from domain import Invalid, NotAllowed, Role, recording
from domain_support import ADMIN, AT, mentor, person, refuses, scene, triggered


def requested(months: int, capacity: int = 1, **changes):
    s = scene("active", capacity=capacity, **changes)
    with recording(s.mentee, AT):
        s.partnership.request_extension(months)
    triggered(s.partnership)
    return s


class TestProgressReview:
    @pytest.mark.parametrize("who", ["mentee", "mentor", "admin"])
    def test_records_the_outcome_as_the_mentees_and_the_notes_as_the_pairs(self, who):
        s = scene("active")
        actor = {"mentee": s.mentee, "mentor": s.mentor_actor, "admin": ADMIN}[who]
        with recording(actor, AT):
            s.partnership.review_progress("extend", "Going well")
        (event,) = triggered(s.partnership)
        assert (type(event).__name__, event.notes.value, event.notes.owner) == (
            "ProgressReviewed", "Going well", str(s.partnership.id),
        )
        assert (type(event.outcome).__name__, event.outcome.value, event.outcome.owner) == (
            "Personal", "extend", s.mentee.id,
        )

    def test_outsiders_may_not(self):
        s = scene("active")
        for actor in (s.manager, person(Role.MENTOR), person(Role.AUDITOR)):
            with recording(actor, AT), refuses(s.partnership, NotAllowed):
                s.partnership.review_progress("continue", "")

    def test_an_unknown_outcome_is_invalid(self):
        s = scene("active")
        with recording(ADMIN, AT), refuses(s.partnership, Invalid, match="outcome"):
            s.partnership.review_progress("celebrate", "")

    def test_only_while_active(self):
        s = scene("matched")
        with recording(ADMIN, AT), refuses(s.partnership, NotAllowed, match="awaiting_signatures"):
            s.partnership.review_progress("continue", "")


class TestExtensionRequest:
    def test_is_recorded_and_pending(self):
        s = scene("active")
        with recording(s.mentee, AT):
            s.partnership.request_extension(6)
        (event,) = triggered(s.partnership)
        assert (type(event).__name__, event.months, s.partnership.extension_pending) == ("ExtensionRequested", 6, 6)

    def test_never_beyond_the_programmes_maximum(self):
        s = scene("active")  # 12 months planned, 18 at most
        with recording(s.mentee, AT), refuses(s.partnership, NotAllowed, match="maximum of 18 months"):
            s.partnership.request_extension(7)

    @pytest.mark.parametrize("months", [0, -3, True, "6"])
    def test_months_must_be_a_whole_positive_number(self, months):
        s = scene("active")
        with recording(s.mentee, AT), refuses(s.partnership, Invalid, match="months"):
            s.partnership.request_extension(months)

    def test_one_request_at_a_time(self):
        s = requested(2)
        with recording(s.mentor_actor, AT), refuses(s.partnership, NotAllowed, match="already pending"):
            s.partnership.request_extension(2)

    def test_outsiders_may_not_ask(self):
        s = scene("active")
        with recording(s.manager, AT), refuses(s.partnership, NotAllowed):
            s.partnership.request_extension(2)

    def test_not_before_the_partnership_starts(self):
        s = scene("matched")
        with recording(ADMIN, AT), refuses(s.partnership, NotAllowed, match="awaiting_signatures"):
            s.partnership.request_extension(2)


class TestExtensionDecision:
    @pytest.mark.parametrize(("capacity", "waiting"), [(1, 0), (2, 3), (2, 0)], ids=["full-nobody-waits",
                                                                                   "room-others-wait", "room"])
    def test_granted_when_the_mentor_has_room_or_nobody_waits(self, capacity, waiting):
        s = requested(6, capacity=capacity)
        with recording(ADMIN, AT):
            s.partnership.grant_extension(s.mentor, waiting)
        (event,) = triggered(s.partnership)
        assert (type(event).__name__, event.months) == ("ExtensionGranted", 6)
        assert (s.partnership.planned_months, s.partnership.extension_pending) == (18, None)

    def test_refused_when_the_mentor_is_at_capacity_and_others_wait(self):
        s = requested(3, capacity=1)
        with recording(ADMIN, AT), refuses(s.partnership, NotAllowed, match="at capacity and 1 cases are waiting"):
            s.partnership.grant_extension(s.mentor, 1)
        assert s.partnership.planned_months == 12

    def test_declined_leaves_the_plan_as_it_was(self):
        s = requested(3)
        with recording(ADMIN, AT):
            s.partnership.decline_extension()
        assert [type(e).__name__ for e in triggered(s.partnership)] == ["ExtensionDeclined"]
        assert (s.partnership.planned_months, s.partnership.extension_pending) == (12, None)

    def test_weighed_against_this_partnerships_own_mentor(self):
        s = requested(3)
        with recording(ADMIN, AT), refuses(s.partnership, Invalid, match="not this partnership's mentor"):
            s.partnership.grant_extension(mentor(capacity=5), 0)

    def test_a_second_extension_cannot_pass_the_maximum(self):
        s = requested(4)
        with recording(ADMIN, AT):
            s.partnership.grant_extension(s.mentor, 0)
        with recording(s.mentee, AT), refuses(s.partnership, NotAllowed, match="maximum"):
            s.partnership.request_extension(3)
        with recording(s.mentee, AT):
            s.partnership.request_extension(2)
        assert s.partnership.extension_pending == 2

    def test_nothing_to_decide_without_a_request(self):
        s = scene("active")
        with recording(ADMIN, AT):
            with refuses(s.partnership, NotAllowed, match="no extension request"):
                s.partnership.grant_extension(s.mentor, 0)
            with refuses(s.partnership, NotAllowed, match="no extension request"):
                s.partnership.decline_extension()

    def test_only_the_administrator_decides(self):
        s = requested(3)
        for actor in (s.mentee, s.mentor_actor, s.manager):
            with recording(actor, AT):
                with refuses(s.partnership, NotAllowed):
                    s.partnership.grant_extension(s.mentor, 0)
                with refuses(s.partnership, NotAllowed):
                    s.partnership.decline_extension()

    def test_ending_the_partnership_drops_a_pending_request(self):
        s = requested(3)
        with recording(ADMIN, AT):
            s.partnership.end("completed")
            assert s.partnership.extension_pending is None
            with refuses(s.partnership, NotAllowed, match="ended"):
                s.partnership.grant_extension(s.mentor, 0)
