"""A mentor joins a programme: interest, training, then the pool with a profile and a capacity."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import Conflict, Invalid, Mentor, NotAllowed, NotFound, PersonDetails, Role, recording
from domain_support import ADMIN, AT, DAY, as_mentor, details, mentor, person, refuses, triggered
from app_support import assert_recorded, stranger, unique

PROFILE = {"headline": "Deputy head", "bio": "Twenty years in primary", "expertise": ["SEND", "curriculum"]}


class TestExpressingInterest:
    def test_records_interest_with_the_mentors_details_protected_for_them(self):
        who = person(Role.MENTOR)
        with recording(who, AT):
            m = Mentor.express_interest(uuid4(), who.id, PersonDetails("Ada Mentor", "ada@example.org"))
        assert [type(e).__name__ for e in triggered(m)] == ["InterestExpressed"]
        assert (m.status, m.person_id, m.capacity) == ("interested", who.id, 0)
        assert m.details["name"].value == "Ada Mentor"
        assert {field.owner for field in m.details.values()} == {who.id}

    def test_one_mentor_record_per_person_per_programme(self):
        programme, who = uuid4(), person(Role.MENTOR)
        with recording(ADMIN, AT):
            first = Mentor.express_interest(programme, who.id, details(who.id))
            again = Mentor.express_interest(programme, who.id, details(who.id))
            elsewhere = Mentor.express_interest(uuid4(), who.id, details(who.id))
        assert first.id == again.id
        assert first.id != elsewhere.id

    def test_someone_else_cannot_express_interest_for_a_person(self):
        for actor in (person(Role.MENTOR), person(Role.MENTEE), person(Role.LINE_MANAGER)):
            with recording(actor, AT), pytest.raises(NotAllowed):
                Mentor.express_interest(uuid4(), "someone", details("someone"))

    def test_the_same_person_twice_in_one_programme_is_a_conflict(self, memory_app, world, refused):
        who = stranger(Role.MENTOR)
        mid = memory_app.express_mentor_interest(world.programme_id, who.id, details(who.id), who).id
        assert_recorded(memory_app, mid, "InterestExpressed", who)
        with refused(Conflict, match="already expressed interest"):
            memory_app.express_mentor_interest(world.programme_id, who.id, details(who.id), who)

    def test_an_unknown_programme_is_not_found(self, memory_app, refused):
        with refused(NotFound):
            memory_app.express_mentor_interest(uuid4(), unique("p"), details("p"), ADMIN)


class TestTraining:
    def test_completing_training_moves_the_mentor_on(self):
        m = mentor("interested")
        with recording(ADMIN, AT):
            m.complete_training(DAY)
        (event,) = triggered(m)
        assert (type(event).__name__, event.completed_on, m.status) == ("TrainingCompleted", "2026-06-01", "trained")

    def test_only_an_administrator_records_training(self):
        m = mentor("interested")
        with recording(as_mentor(m), AT), refuses(m):
            m.complete_training(DAY)

    def test_training_cannot_be_completed_twice(self):
        m = mentor("trained")
        with recording(ADMIN, AT), refuses(m, match="trained"):
            m.complete_training(DAY)

    def test_the_day_must_be_a_date(self):
        m = mentor("interested")
        with recording(ADMIN, AT), refuses(m, Invalid, match="date"):
            m.complete_training("2026-06-01")


class TestJoiningThePool:
    def test_joins_with_a_directory_profile_and_capacity(self):
        m = mentor("trained")
        with recording(as_mentor(m), AT):
            m.join_pool(3, PROFILE)
        assert [type(e).__name__ for e in triggered(m)] == ["JoinedPool"]
        assert (m.status, m.capacity, m.free) == ("in_pool", 3, 3)
        assert m.profile.value == {
            "headline": "Deputy head", "bio": "Twenty years in primary", "expertise": ["SEND", "curriculum"],
            "sector": "", "region": "",
        }
        assert m.profile.owner == m.person_id

    def test_special_category_answers_are_kept_with_consent(self):
        m = mentor("trained")
        with recording(as_mentor(m), AT):
            m.join_pool(1, PROFILE, special={"lived_experience": "care leaver"}, consent=True)
        assert (m.special.value, m.special.owner) == ({"lived_experience": "care leaver"}, m.person_id)

    def test_special_category_answers_without_consent_are_refused(self):
        m = mentor("trained")
        with recording(as_mentor(m), AT), refuses(m, NotAllowed, match="consent"):
            m.join_pool(1, PROFILE, special={"ethnicity": "x"}, consent=False)

    def test_an_untrained_mentor_cannot_join(self):
        m = mentor("interested")
        with recording(as_mentor(m), AT), refuses(m, match="interested"):
            m.join_pool(1, PROFILE)

    def test_another_mentor_cannot_put_them_in_the_pool(self):
        m = mentor("trained")
        with recording(person(Role.MENTOR), AT), refuses(m):
            m.join_pool(1, PROFILE)

    @pytest.mark.parametrize("capacity", [0, -1, 21, True, "2", 1.5])
    def test_capacity_must_be_a_whole_number_from_1_to_20(self, capacity):
        m = mentor("trained")
        with recording(as_mentor(m), AT), refuses(m, Invalid, match="capacity"):
            m.join_pool(capacity, PROFILE)

    @pytest.mark.parametrize("capacity", [1, 20])
    def test_capacity_may_be_1_or_20(self, capacity):
        m = mentor("trained")
        with recording(as_mentor(m), AT):
            m.join_pool(capacity, PROFILE)
        assert m.capacity == capacity

    def test_a_profile_with_malformed_expertise_is_invalid(self):
        m = mentor("trained")
        with recording(as_mentor(m), AT), refuses(m, Invalid, match="expertise"):
            m.join_pool(1, {"expertise": "maths"})
