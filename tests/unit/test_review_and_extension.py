"""Progress review and extensions, weighed against the maximum and the mentor's capacity."""

from __future__ import annotations

import pytest

from domain import EndReason, Invalid, NotAllowed, Partnership, Role
from domain_support import ADMIN, World, assert_recorded, stranger


@pytest.fixture
def pair(memory_app, world):
    mid, mentor = world.mentor(capacity=1)
    return world.case("active", mentor_id=mid) | {"mentor": mentor, "mentor_id": mid}


class TestProgressReview:
    def test_records_the_outcome_with_confidential_notes(self, memory_app, pair):
        memory_app.review_progress(pair["partnership_id"], "extend", "Going well", pair["mentee"])
        event = assert_recorded(memory_app, pair["partnership_id"], "ProgressReviewed", pair["mentee"])
        assert (event.outcome, event.notes.value, event.notes.owner) == ("extend", "Going well", str(pair["partnership_id"]))

    def test_the_administrator_may_record_it(self, memory_app, pair):
        memory_app.review_progress(pair["partnership_id"], "continue", "", ADMIN)
        assert_recorded(memory_app, pair["partnership_id"], "ProgressReviewed", ADMIN)

    def test_outsiders_may_not(self, memory_app, pair, refused):
        for actor in (pair["manager"], stranger(Role.MENTOR), stranger(Role.AUDITOR)):
            with refused(NotAllowed):
                memory_app.review_progress(pair["partnership_id"], "continue", "", actor)

    def test_an_unknown_outcome_is_invalid(self, memory_app, pair, refused):
        with refused(Invalid, match="outcome"):
            memory_app.review_progress(pair["partnership_id"], "celebrate", "", ADMIN)

    def test_only_while_active(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("matched", mentor_id=mid)
        with refused(NotAllowed):
            memory_app.review_progress(case["partnership_id"], "continue", "", ADMIN)


class TestExtensionRequest:
    def test_is_recorded_and_pending(self, memory_app, pair):
        memory_app.request_extension(pair["partnership_id"], 6, pair["mentee"])
        assert memory_app.load(Partnership, pair["partnership_id"]).extension_pending == 6
        assert assert_recorded(memory_app, pair["partnership_id"], "ExtensionRequested", pair["mentee"]).months == 6

    def test_never_beyond_the_programmes_maximum(self, memory_app, pair, refused):
        with refused(NotAllowed, match="maximum of 18 months"):
            memory_app.request_extension(pair["partnership_id"], 7, pair["mentee"])

    @pytest.mark.parametrize("months", [0, -3, True, "6"])
    def test_months_must_be_a_whole_positive_number(self, memory_app, pair, refused, months):
        with refused(Invalid, match="months"):
            memory_app.request_extension(pair["partnership_id"], months, pair["mentee"])

    def test_one_request_at_a_time(self, memory_app, pair, refused):
        memory_app.request_extension(pair["partnership_id"], 2, pair["mentee"])
        with refused(NotAllowed, match="already pending"):
            memory_app.request_extension(pair["partnership_id"], 2, pair["mentor"])

    def test_outsiders_may_not_ask(self, memory_app, pair, refused):
        with refused(NotAllowed):
            memory_app.request_extension(pair["partnership_id"], 2, pair["manager"])

    def test_not_before_the_partnership_starts(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("matched", mentor_id=mid)
        with refused(NotAllowed):
            memory_app.request_extension(case["partnership_id"], 2, ADMIN)


class TestExtensionDecision:
    def test_granted_when_nobody_is_waiting(self, memory_app, pair):
        memory_app.request_extension(pair["partnership_id"], 6, pair["mentee"])
        memory_app.grant_extension(pair["partnership_id"], ADMIN)
        partnership = memory_app.load(Partnership, pair["partnership_id"])
        assert (partnership.planned_months, partnership.extension_pending) == (18, None)
        assert assert_recorded(memory_app, pair["partnership_id"], "ExtensionGranted", ADMIN).months == 6

    def test_refused_when_the_mentor_is_at_capacity_and_others_wait(self, memory_app, world, pair, refused):
        world.case("approved")  # waits in the programme's matching queue
        memory_app.request_extension(pair["partnership_id"], 3, pair["mentee"])
        with refused(NotAllowed, match="at capacity and 1 cases are waiting"):
            memory_app.grant_extension(pair["partnership_id"], ADMIN)
        memory_app.decline_extension(pair["partnership_id"], ADMIN)
        partnership = memory_app.load(Partnership, pair["partnership_id"])
        assert (partnership.planned_months, partnership.extension_pending) == (12, None)
        assert_recorded(memory_app, pair["partnership_id"], "ExtensionDeclined", ADMIN)

    def test_granted_when_others_wait_but_the_mentor_has_room(self, memory_app, world):
        mid, _ = world.mentor(capacity=2)
        case = world.case("active", mentor_id=mid)
        world.case("approved")
        memory_app.request_extension(case["partnership_id"], 3, case["mentee"])
        memory_app.grant_extension(case["partnership_id"], ADMIN)
        assert memory_app.load(Partnership, case["partnership_id"]).planned_months == 15

    def test_granted_when_the_mentor_is_full_but_nobody_waits(self, memory_app, pair):
        memory_app.request_extension(pair["partnership_id"], 3, pair["mentee"])
        memory_app.grant_extension(pair["partnership_id"], ADMIN)
        assert memory_app.load(Partnership, pair["partnership_id"]).planned_months == 15

    def test_cases_waiting_in_another_programme_do_not_count(self, memory_app, pair):
        World.create(memory_app).case("approved")
        memory_app.request_extension(pair["partnership_id"], 3, pair["mentee"])
        memory_app.grant_extension(pair["partnership_id"], ADMIN)

    def test_a_second_extension_cannot_pass_the_maximum(self, memory_app, pair, refused):
        memory_app.request_extension(pair["partnership_id"], 4, pair["mentee"])
        memory_app.grant_extension(pair["partnership_id"], ADMIN)
        with refused(NotAllowed, match="maximum"):
            memory_app.request_extension(pair["partnership_id"], 3, pair["mentee"])

    def test_nothing_to_decide_without_a_request(self, memory_app, pair, refused):
        with refused(NotAllowed, match="no extension request"):
            memory_app.grant_extension(pair["partnership_id"], ADMIN)
        with refused(NotAllowed, match="no extension request"):
            memory_app.decline_extension(pair["partnership_id"], ADMIN)

    def test_only_the_administrator_decides(self, memory_app, pair, refused):
        memory_app.request_extension(pair["partnership_id"], 3, pair["mentee"])
        for actor in (pair["mentee"], pair["mentor"], pair["manager"]):
            with refused(NotAllowed):
                memory_app.grant_extension(pair["partnership_id"], actor)
            with refused(NotAllowed):
                memory_app.decline_extension(pair["partnership_id"], actor)

    def test_ending_the_partnership_drops_a_pending_request(self, memory_app, pair, refused):
        memory_app.request_extension(pair["partnership_id"], 3, pair["mentee"])
        memory_app.end_partnership(pair["partnership_id"], EndReason.COMPLETED, ADMIN)
        with refused(NotAllowed):
            memory_app.grant_extension(pair["partnership_id"], ADMIN)
