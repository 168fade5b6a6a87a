"""A mentor's way through a programme: interest, training, pool, capacity, pause, leave."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain import Actor, Conflict, Invalid, Mentor, MentorStatus, NotAllowed, NotFound, PersonDetails, Role, mentor_id
from domain_support import ADMIN, TODAY, assert_recorded, stranger, unique

PROFILE = {"headline": "Deputy head", "bio": "Twenty years in primary", "expertise": ["SEND", "curriculum"]}


def interested(app, world):
    person = unique("mentor")
    actor = Actor(person, Role.MENTOR)
    mid = app.express_mentor_interest(world.programme_id, person, PersonDetails("Ada Mentor", f"{person}@example.org"), actor).id
    return mid, actor


def trained(app, world):
    mid, actor = interested(app, world)
    app.complete_mentor_training(mid, TODAY, ADMIN)
    return mid, actor


class TestExpressingInterest:
    def test_records_interest_with_the_mentors_details(self, memory_app, world):
        mid, actor = interested(memory_app, world)
        mentor = memory_app.load(Mentor, mid)
        assert mentor.status is MentorStatus.INTERESTED
        assert mentor.details["name"].value == "Ada Mentor"
        assert {field.owner for field in mentor.details.values()} == {actor.id}
        assert mentor.id == mentor_id(world.programme_id, actor.id)
        assert_recorded(memory_app, mid, "InterestExpressed", actor)

    def test_an_administrator_may_record_it_for_them(self, memory_app, world):
        person = unique("mentor")
        mid = memory_app.express_mentor_interest(world.programme_id, person, PersonDetails("B", "b@example.org"), ADMIN).id
        assert_recorded(memory_app, mid, "InterestExpressed", ADMIN)

    def test_the_same_person_twice_in_one_programme_is_a_conflict(self, memory_app, world, refused):
        mid, actor = interested(memory_app, world)
        with refused(Conflict):
            memory_app.express_mentor_interest(world.programme_id, actor.id, PersonDetails("A", "a@example.org"), actor)

    def test_someone_else_cannot_express_interest_for_a_person(self, memory_app, world, refused):
        with refused(NotAllowed):
            memory_app.express_mentor_interest(
                world.programme_id, "someone", PersonDetails("A", "a@example.org"), stranger(Role.MENTOR)
            )

    def test_an_unknown_programme_is_not_found(self, memory_app, refused):
        with refused(NotFound):
            memory_app.express_mentor_interest(uuid4(), "p", PersonDetails("A", "a@example.org"), ADMIN)


class TestTraining:
    def test_completing_training_moves_the_mentor_on(self, memory_app, world):
        mid, _ = interested(memory_app, world)
        memory_app.complete_mentor_training(mid, TODAY, ADMIN)
        assert memory_app.load(Mentor, mid).status is MentorStatus.TRAINED
        event = assert_recorded(memory_app, mid, "TrainingCompleted", ADMIN)
        assert event.completed_on == TODAY.isoformat()

    def test_only_an_administrator_records_training(self, memory_app, world, refused):
        mid, actor = interested(memory_app, world)
        with refused(NotAllowed):
            memory_app.complete_mentor_training(mid, TODAY, actor)

    def test_training_cannot_be_completed_twice(self, memory_app, world, refused):
        mid, _ = trained(memory_app, world)
        with refused(NotAllowed):
            memory_app.complete_mentor_training(mid, TODAY, ADMIN)

    def test_a_training_date_in_the_future_is_invalid(self, memory_app, world, refused):
        mid, _ = interested(memory_app, world)
        with refused(Invalid):
            memory_app.complete_mentor_training(mid, TODAY + timedelta(days=1), ADMIN)


class TestJoiningThePool:
    def test_joins_with_a_directory_profile_and_capacity(self, memory_app, world):
        mid, actor = trained(memory_app, world)
        memory_app.join_pool(mid, 3, PROFILE, actor)
        mentor = memory_app.load(Mentor, mid)
        assert (mentor.status, mentor.capacity, mentor.free) == (MentorStatus.IN_POOL, 3, 3)
        assert mentor.profile.value["expertise"] == ["SEND", "curriculum"]
        assert_recorded(memory_app, mid, "JoinedPool", actor)

    def test_special_category_answers_are_kept_with_consent(self, memory_app, world):
        mid, actor = trained(memory_app, world)
        memory_app.join_pool(mid, 1, PROFILE, actor, special={"lived_experience": "care leaver"}, consent=True)
        assert memory_app.load(Mentor, mid).special.value == {"lived_experience": "care leaver"}

    def test_special_category_answers_without_consent_are_refused(self, memory_app, world, refused):
        mid, actor = trained(memory_app, world)
        with refused(NotAllowed, match="consent"):
            memory_app.join_pool(mid, 1, PROFILE, actor, special={"ethnicity": "x"}, consent=False)

    def test_an_untrained_mentor_cannot_join(self, memory_app, world, refused):
        mid, actor = interested(memory_app, world)
        with refused(NotAllowed):
            memory_app.join_pool(mid, 1, PROFILE, actor)

    @pytest.mark.parametrize("capacity", [0, -1, 21, True, "2", 1.5])
    def test_capacity_must_be_a_whole_number_from_1_to_20(self, memory_app, world, refused, capacity):
        mid, actor = trained(memory_app, world)
        with refused(Invalid, match="capacity"):
            memory_app.join_pool(mid, capacity, PROFILE, actor)

    def test_a_profile_with_malformed_expertise_is_invalid(self, memory_app, world, refused):
        mid, actor = trained(memory_app, world)
        with refused(Invalid, match="expertise"):
            memory_app.join_pool(mid, 1, {"expertise": "maths"}, actor)


class TestChangingCapacity:
    def test_capacity_can_rise_and_fall(self, memory_app, world):
        mid, actor = world.mentor(capacity=2)
        memory_app.change_mentor_capacity(mid, 5, actor)
        memory_app.change_mentor_capacity(mid, 1, ADMIN)
        assert memory_app.load(Mentor, mid).capacity == 1
        assert_recorded(memory_app, mid, "CapacityChanged", ADMIN)

    def test_capacity_cannot_drop_below_what_is_committed(self, memory_app, world, refused):
        mid, actor = world.mentor(capacity=3)
        world.case("proposed", mentor_id=mid)
        world.case("matched", mentor_id=mid)
        with refused(NotAllowed, match="below the 2 places"):
            memory_app.change_mentor_capacity(mid, 1, actor)
        memory_app.change_mentor_capacity(mid, 2, actor)
        assert memory_app.load(Mentor, mid).free == 0

    def test_another_mentor_cannot_change_it(self, memory_app, world, refused):
        mid, _ = world.mentor()
        with refused(NotAllowed):
            memory_app.change_mentor_capacity(mid, 4, stranger(Role.MENTOR))

    def test_a_mentor_not_yet_in_the_pool_has_no_capacity_to_change(self, memory_app, world, refused):
        mid, actor = trained(memory_app, world)
        with refused(NotAllowed):
            memory_app.change_mentor_capacity(mid, 2, actor)


class TestPausingAndResuming:
    def test_a_paused_mentor_can_resume(self, memory_app, world):
        mid, actor = world.mentor()
        memory_app.pause_mentor(mid, actor)
        assert memory_app.load(Mentor, mid).status is MentorStatus.PAUSED
        assert_recorded(memory_app, mid, "Paused", actor)
        memory_app.resume_mentor(mid, actor)
        assert memory_app.load(Mentor, mid).status is MentorStatus.IN_POOL
        assert_recorded(memory_app, mid, "Resumed", actor)

    def test_a_paused_mentor_cannot_be_proposed(self, memory_app, world, refused):
        mid, actor = world.mentor()
        case = world.case("requested", mentor_id=mid)
        memory_app.pause_mentor(mid, actor)
        with refused(NotAllowed, match="paused"):
            memory_app.propose_match(case["case_id"], mid, "Good fit", ADMIN)

    def test_a_paused_mentor_keeps_their_partnerships_and_may_change_capacity(self, memory_app, world):
        mid, actor = world.mentor(capacity=2)
        world.case("active", mentor_id=mid)
        memory_app.pause_mentor(mid, actor)
        memory_app.change_mentor_capacity(mid, 1, actor)
        mentor = memory_app.load(Mentor, mid)
        assert (len(mentor.confirmed), mentor.capacity) == (1, 1)

    def test_cannot_pause_twice_or_resume_when_not_paused(self, memory_app, world, refused):
        mid, actor = world.mentor()
        with refused(NotAllowed):
            memory_app.resume_mentor(mid, actor)
        memory_app.pause_mentor(mid, actor)
        with refused(NotAllowed):
            memory_app.pause_mentor(mid, actor)


class TestLeavingThePool:
    def test_a_mentor_with_nothing_open_may_leave(self, memory_app, world):
        mid, actor = world.mentor()
        memory_app.leave_pool(mid, actor)
        assert memory_app.load(Mentor, mid).status is MentorStatus.LEFT
        assert_recorded(memory_app, mid, "LeftPool", actor)

    def test_a_paused_mentor_may_leave(self, memory_app, world):
        mid, actor = world.mentor()
        memory_app.pause_mentor(mid, actor)
        memory_app.leave_pool(mid, ADMIN)
        assert memory_app.load(Mentor, mid).status is MentorStatus.LEFT

    def test_a_mentor_with_an_open_proposal_cannot_leave(self, memory_app, world, refused):
        mid, actor = world.mentor()
        world.case("proposed", mentor_id=mid)
        with refused(NotAllowed, match="open proposals"):
            memory_app.leave_pool(mid, actor)

    def test_after_leaving_nothing_more_happens(self, memory_app, world, refused):
        mid, actor = world.mentor()
        memory_app.leave_pool(mid, actor)
        for command in (memory_app.pause_mentor, memory_app.resume_mentor, memory_app.leave_pool):
            with refused(NotAllowed):
                command(mid, actor)
        with refused(NotAllowed):
            memory_app.change_mentor_capacity(mid, 3, actor)

