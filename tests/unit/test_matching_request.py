"""The mentee's matching request and exploratory conversations."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import Invalid, NotAllowed, NotFound, Role, recording
from domain_support import ADMIN, AT, DAY, person, refuses, scene, triggered
from app_support import World, assert_recorded


class TestMatchingRequest:
    def test_records_ranked_preferences_and_goals(self):
        s = scene("approved")
        first, second = uuid4(), uuid4()
        with recording(s.mentee, AT):
            s.case.submit_matching_request([second, first], "Lead a department")
        (event,) = triggered(s.case)
        assert type(event).__name__ == "MatchingRequestSubmitted"
        assert (event.preferences.value, event.preferences.owner) == ([str(second), str(first)], s.mentee.id)
        assert event.goals.value == "Lead a department"
        assert s.case.stage == "awaiting_match"

    def test_special_category_answers_are_kept_only_with_consent(self):
        s = scene("approved")
        special = {"ethnicity": "Black British", "lived_experience": "first generation graduate"}
        with recording(s.mentee, AT):
            with refuses(s.case, NotAllowed, match="consent"):
                s.case.submit_matching_request([uuid4()], "g", special=special)
            s.case.submit_matching_request([uuid4()], "g", special=special, consent=True)
        assert (s.case.special.value, s.case.special.owner) == (special, s.mentee.id)

    def test_unknown_special_category_fields_are_invalid(self):
        s = scene("approved")
        with recording(s.mentee, AT), refuses(s.case, Invalid, match="religion"):
            s.case.submit_matching_request([uuid4()], "g", special={"religion": "x"}, consent=True)

    @pytest.mark.parametrize("count", [0, 6])
    def test_names_one_to_five_mentors(self, count):
        s = scene("approved")
        with recording(s.mentee, AT), refuses(s.case, Invalid, match="1 to 5"):
            s.case.submit_matching_request([uuid4() for _ in range(count)], "g")

    def test_five_mentors_are_accepted(self):
        s = scene("approved")
        with recording(s.mentee, AT):
            s.case.submit_matching_request([uuid4() for _ in range(5)], "g")
        assert len(s.case.preferences.value) == 5

    def test_the_same_mentor_twice_is_invalid(self):
        s = scene("approved")
        mid = uuid4()
        with recording(s.mentee, AT), refuses(s.case, Invalid):
            s.case.submit_matching_request([mid, mid], "g")

    def test_waits_for_the_line_manager_first(self):
        s = scene("eoi")
        with recording(s.mentee, AT), refuses(s.case, NotAllowed, match="awaiting_line_manager"):
            s.case.submit_matching_request([uuid4()], "g")

    def test_another_mentee_or_the_mentor_cannot_submit_it(self):
        s = scene("approved")
        for actor in (person(Role.MENTEE), s.mentor_actor, s.manager):
            with recording(actor, AT), refuses(s.case, NotAllowed):
                s.case.submit_matching_request([uuid4()], "g")

    def test_mentors_are_not_chosen_in_an_allocated_programme(self):
        s = scene("approved", matching="allocated")
        with recording(s.mentee, AT), refuses(s.case, NotAllowed):
            s.case.submit_matching_request([uuid4()], "g")

    def test_a_mentor_outside_the_programme_is_not_found(self, memory_app, world, refused):
        own, _ = world.mentor()
        foreign, _ = World.create(memory_app).mentor()
        case = world.case("approved")
        with refused(NotFound):
            memory_app.submit_matching_request(case["case_id"], [own, foreign], "g", case["mentee"])
        with refused(NotFound):
            memory_app.submit_matching_request(case["case_id"], [uuid4()], "g", case["mentee"])
        memory_app.submit_matching_request(case["case_id"], [own], "g", case["mentee"])
        assert_recorded(memory_app, case["case_id"], "MatchingRequestSubmitted", case["mentee"])


class TestExploratoryConversations:
    def test_are_recorded_with_distinct_mentors_up_to_the_limit(self):
        s = scene("approved", exploratory_conversations=2)
        first, second, third = uuid4(), uuid4(), uuid4()
        with recording(s.mentee, AT):
            s.case.hold_exploratory_conversation(first, DAY)
            with refuses(s.case, NotAllowed, match="already held"):
                s.case.hold_exploratory_conversation(first, DAY)
        with recording(ADMIN, AT):
            s.case.hold_exploratory_conversation(second, DAY)
            with refuses(s.case, NotAllowed, match="allows 2"):
                s.case.hold_exploratory_conversation(third, DAY)
        assert s.case.exploratory_mentors == [first, second]

    def test_are_recorded_with_the_mentor_and_the_day(self):
        s = scene("approved", exploratory_conversations=1)
        mid = uuid4()
        with recording(s.mentee, AT):
            s.case.hold_exploratory_conversation(mid, DAY)
        (event,) = triggered(s.case)
        assert (type(event).__name__, event.mentor_id, event.held_on) == (
            "ExploratoryConversationHeld", mid, "2026-06-01",
        )
        assert s.case.stage == "awaiting_matching_request"

    def test_a_programme_without_them_refuses(self):
        s = scene("approved", exploratory_conversations=0)
        with recording(s.mentee, AT), refuses(s.case, NotAllowed, match="allows 0"):
            s.case.hold_exploratory_conversation(uuid4(), DAY)

    def test_only_while_waiting_for_a_match(self):
        s = scene("proposed", exploratory_conversations=2)
        with recording(s.mentee, AT), refuses(s.case, NotAllowed, match="match_proposed"):
            s.case.hold_exploratory_conversation(uuid4(), DAY)

    def test_the_mentor_cannot_record_it(self):
        s = scene("approved", exploratory_conversations=2)
        with recording(s.mentor_actor, AT), refuses(s.case, NotAllowed):
            s.case.hold_exploratory_conversation(s.mentor.id, DAY)
