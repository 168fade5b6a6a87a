"""Through the services: an extension is weighed against the mentor's free places and the
programme's cases waiting for a match."""

from __future__ import annotations

import pytest

from domain import NotAllowed, Partnership
from app_support import ADMIN, World, assert_recorded


@pytest.fixture
def full(memory_app, world):
    """An active partnership whose mentor has no free place, with 3 months asked for."""
    mid, mentor = world.mentor(capacity=1)
    case = world.case("active", mentor_id=mid)
    memory_app.request_extension(case["partnership_id"], 3, case["mentee"])
    return case | {"mentor": mentor, "mentor_id": mid}


class TestGrantingAnExtension:
    def test_refused_when_the_mentor_is_full_and_a_case_waits(self, memory_app, world, full, refused):
        world.case("approved")
        assert memory_app.cases_waiting(world.programme_id) == 1
        with refused(NotAllowed, match="at capacity and 1 cases are waiting"):
            memory_app.grant_extension(full["partnership_id"], ADMIN)
        partnership = memory_app.load(Partnership, full["partnership_id"])
        assert (partnership.planned_months, partnership.extension_pending) == (12, 3)

    def test_which_may_then_be_declined(self, memory_app, world, full):
        world.case("approved")
        memory_app.decline_extension(full["partnership_id"], ADMIN)
        assert_recorded(memory_app, full["partnership_id"], "ExtensionDeclined", ADMIN)
        partnership = memory_app.load(Partnership, full["partnership_id"])
        assert (partnership.planned_months, partnership.extension_pending) == (12, None)

    def test_granted_when_the_mentor_is_full_but_nobody_waits(self, memory_app, world, full):
        assert memory_app.cases_waiting(world.programme_id) == 0
        memory_app.grant_extension(full["partnership_id"], ADMIN)
        assert assert_recorded(memory_app, full["partnership_id"], "ExtensionGranted", ADMIN).months == 3
        assert memory_app.load(Partnership, full["partnership_id"]).planned_months == 15

    def test_granted_when_others_wait_but_the_mentor_has_room(self, memory_app, world):
        mid, _ = world.mentor(capacity=2)
        case = world.case("active", mentor_id=mid)
        world.case("approved")
        world.case("approved")
        memory_app.request_extension(case["partnership_id"], 3, case["mentee"])
        memory_app.grant_extension(case["partnership_id"], ADMIN)
        assert memory_app.load(Partnership, case["partnership_id"]).planned_months == 15

    def test_cases_waiting_in_another_programme_do_not_count(self, memory_app, full):
        World.create(memory_app).case("approved")
        memory_app.grant_extension(full["partnership_id"], ADMIN)
        assert memory_app.load(Partnership, full["partnership_id"]).planned_months == 15

    def test_a_case_no_longer_waiting_does_not_count(self, memory_app, world, full):
        other, _ = world.mentor(capacity=1)
        world.case("proposed", mentor_id=other)
        memory_app.grant_extension(full["partnership_id"], ADMIN)
        assert memory_app.load(Partnership, full["partnership_id"]).planned_months == 15
