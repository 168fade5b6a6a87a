"""Every command answers with what it acted on and where its own last event stands in the log."""

from __future__ import annotations

from domain import Mentor, Partnership, PersonDetails, Role
from app_support import ADMIN, World, stranger, unique, written_since


class TestRecorded:
    def test_a_new_aggregate_is_named_with_the_position_of_its_event(self, memory_app, world):
        person = stranger(Role.MENTOR)
        before = memory_app.recorder.max_notification_id()
        recorded = memory_app.express_mentor_interest(
            world.programme_id, person.id, PersonDetails("Ada Mentor", "ada@example.org"), person
        )
        (event,) = written_since(memory_app, before)
        assert (recorded.id, recorded.position) == (event.originator_id, before + 1)
        assert memory_app.load(Mentor, recorded.id).person_id == person.id

    def test_a_command_writing_several_aggregates_answers_with_its_last_event(self, memory_app, world):
        mid, _ = world.mentor()
        case = world.case("called", mentor_id=mid)
        before = memory_app.recorder.max_notification_id()
        recorded = memory_app.confirm_match(case["case_id"], ADMIN)
        assert recorded.position == before + 3 == memory_app.recorder.max_notification_id()
        assert memory_app.load(Partnership, recorded.id).case_id == case["case_id"]

    def test_a_command_on_an_existing_aggregate_names_it(self, memory_app, world):
        mid, mentor = world.mentor()
        before = memory_app.recorder.max_notification_id()
        recorded = memory_app.pause_mentor(mid, mentor)
        assert (recorded.id, recorded.position) == (mid, before + 1)

    def test_a_new_programme_is_named_by_the_answer(self, memory_app):
        name = unique("programme")
        world = World.create(memory_app, name=name)
        assert memory_app.programme_settings(world.programme_id).name == name
