"""The mentee's matching request and exploratory conversations."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain import Case, Invalid, NotAllowed, NotFound, Programme, Role, Stage
from domain_support import ADMIN, TODAY, World, assert_recorded, stranger


class TestMatchingRequest:
    def test_records_ranked_preferences_and_goals(self, memory_app, world):
        first, _ = world.mentor()
        second, _ = world.mentor()
        case = world.case("approved")
        memory_app.submit_matching_request(case["case_id"], [second, first], "Lead a department", case["mentee"])
        loaded = memory_app.load(Case, case["case_id"])
        assert loaded.stage is Stage.AWAITING_MATCH
        assert loaded.preferences.value == [str(second), str(first)]
        event = assert_recorded(memory_app, case["case_id"], "MatchingRequestSubmitted", case["mentee"])
        assert event.goals.value == "Lead a department"
        assert event.special is None
        assert case["case_id"] in memory_app.load(Programme, world.programme_id).waiting

    def test_special_category_answers_are_kept_only_with_consent(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("approved")
        special = {"ethnicity": "Black British", "lived_experience": "first generation graduate"}
        with refused(NotAllowed, match="consent"):
            memory_app.submit_matching_request(case["case_id"], [mid], "g", case["mentee"], special=special)
        memory_app.submit_matching_request(case["case_id"], [mid], "g", case["mentee"], special=special, consent=True)
        loaded = memory_app.load(Case, case["case_id"])
        assert loaded.special.value == special
        assert loaded.special.owner == case["mentee"].id

    def test_unknown_special_category_fields_are_invalid(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("approved")
        with refused(Invalid, match="religion"):
            memory_app.submit_matching_request(
                case["case_id"], [mid], "g", case["mentee"], special={"religion": "x"}, consent=True
            )

    @pytest.mark.parametrize("count", [0, 6])
    def test_names_one_to_five_mentors(self, memory_app, world, refused, count):
        mentors = [world.mentor()[0] for _ in range(count)]
        case = world.case("approved")
        with refused(Invalid, match="1 to 5"):
            memory_app.submit_matching_request(case["case_id"], mentors, "g", case["mentee"])

    def test_the_same_mentor_twice_is_invalid(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("approved")
        with refused(Invalid):
            memory_app.submit_matching_request(case["case_id"], [mid, mid], "g", case["mentee"])

    def test_a_mentor_outside_the_programme_is_not_found(self, memory_app, world, refused):
        other = World.create(memory_app)
        foreign, _ = other.mentor()
        case = world.case("approved")
        with refused(NotFound):
            memory_app.submit_matching_request(case["case_id"], [foreign], "g", case["mentee"])
        with refused(NotFound):
            memory_app.submit_matching_request(case["case_id"], [uuid4()], "g", case["mentee"])

    def test_waits_for_the_line_manager_first(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("eoi")
        with refused(NotAllowed, match="awaiting_line_manager"):
            memory_app.submit_matching_request(case["case_id"], [mid], "g", case["mentee"])

    def test_another_mentee_cannot_submit_it(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("approved")
        with refused(NotAllowed):
            memory_app.submit_matching_request(case["case_id"], [mid], "g", stranger(Role.MENTEE))

    def test_mentors_are_not_chosen_in_an_allocated_programme(self, memory_app, refused):
        world = World.create(memory_app, matching="allocated")
        mid, _ = world.mentor()
        case = world.case("approved")
        with refused(NotAllowed, match="allocated"):
            memory_app.submit_matching_request(case["case_id"], [mid], "g", case["mentee"])


class TestExploratoryConversations:
    def test_are_recorded_with_distinct_mentors_up_to_the_limit(self, memory_app, world, refused):
        mentors = [world.mentor()[0] for _ in range(3)]
        case = world.case("approved")
        memory_app.record_exploratory_conversation(case["case_id"], mentors[0], TODAY, case["mentee"])
        event = assert_recorded(memory_app, case["case_id"], "ExploratoryConversationHeld", case["mentee"])
        assert (event.mentor_id, event.held_on) == (mentors[0], TODAY.isoformat())
        with refused(NotAllowed, match="already held"):
            memory_app.record_exploratory_conversation(case["case_id"], mentors[0], TODAY, case["mentee"])
        memory_app.record_exploratory_conversation(case["case_id"], mentors[1], TODAY, ADMIN)
        with refused(NotAllowed, match="allows 2"):
            memory_app.record_exploratory_conversation(case["case_id"], mentors[2], TODAY, case["mentee"])
        assert memory_app.load(Case, case["case_id"]).exploratory_mentors == mentors[:2]

    def test_a_programme_without_them_refuses(self, memory_app, refused):
        world = World.create(memory_app, exploratory_conversations=0)
        mid, _ = world.mentor()
        case = world.case("approved")
        with refused(NotAllowed, match="allows 0"):
            memory_app.record_exploratory_conversation(case["case_id"], mid, TODAY, case["mentee"])

    def test_only_while_waiting_for_a_match(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("proposed", mentor_id=mid)
        with refused(NotAllowed, match="match_proposed"):
            memory_app.record_exploratory_conversation(case["case_id"], mid, TODAY, case["mentee"])

    def test_a_future_date_is_invalid(self, memory_app, world, refused):
        mid, _ = world.mentor()
        case = world.case("approved")
        with refused(Invalid, match="future"):
            memory_app.record_exploratory_conversation(case["case_id"], mid, TODAY + timedelta(days=2), case["mentee"])
