"""Bad input is `Invalid`, unknown things are `NotFound`, and the wrong role is `NotAllowed` —
and through the services, each refusal writes nothing."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import Actor, Invalid, NotAllowed, NotFound, PersonDetails, Role
from app_support import ADMIN, TODAY, World, stranger


class TestActors:
    @pytest.mark.parametrize("actor_id", ["", "   "])
    def test_an_actor_needs_an_id(self, actor_id):
        with pytest.raises(Invalid, match="needs an id"):
            Actor(actor_id, Role.MENTEE)

    def test_an_unknown_role_is_invalid(self):
        with pytest.raises(Invalid, match="role"):
            Actor("someone", "overlord")


class TestPersonDetails:
    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"name": "", "email": "a@example.org"}, "name is required"),
            ({"name": "A", "email": "not-an-address"}, "email"),
            ({"name": "A", "email": "a@example"}, "email"),
            ({"name": "A", "email": ""}, "email is required"),
            ({"name": "x" * 201, "email": "a@example.org"}, "name"),
            ({"name": "A", "email": "a@example.org", "job_title": "x" * 201}, "job_title"),
            ({"name": 7, "email": "a@example.org"}, "name must be text"),
        ],
    )
    def test_malformed_details_are_invalid(self, fields, message):
        with pytest.raises(Invalid, match=message):
            PersonDetails(**fields)

    def test_well_formed_details_are_kept_trimmed(self):
        kept = PersonDetails("  Ada Mentor ", " ada@example.org ", " Head of maths ")
        assert (kept.name, kept.email, kept.job_title, kept.organisation) == (
            "Ada Mentor", "ada@example.org", "Head of maths", "",
        )

    def test_an_invalid_message_does_not_repeat_the_input(self):
        with pytest.raises(Invalid) as refusal:
            PersonDetails("A", "jo.bloggs-at-example.org")
        assert "jo.bloggs" not in str(refusal.value)


class TestUnknownThings:
    def test_commands_on_unknown_ids_are_not_found(self, memory_app, refused):
        unknown, settings = uuid4(), World.create(memory_app).settings
        for command in (
            lambda: memory_app.approve_eoi(unknown, ADMIN),
            lambda: memory_app.pause_mentor(unknown, ADMIN),
            lambda: memory_app.sign_agreement(unknown, "mentee", ADMIN),
            lambda: memory_app.record_session(unknown, TODAY, 5, "video", "", "", ADMIN),
            lambda: memory_app.grant_extension(unknown, ADMIN),
            lambda: memory_app.end_partnership(unknown, "completed", ADMIN),
            lambda: memory_app.reconfigure_programme(unknown, settings, ADMIN),
            lambda: memory_app.submit_eoi(unknown, "m", PersonDetails("A", "a@example.org"), "", ADMIN, "lm"),
        ):
            with refused(NotFound, match="no "):
                command()

    def test_a_case_id_is_not_a_mentor(self, memory_app, world, refused):
        case = world.case("eoi")
        with refused(NotFound, match="no mentor"):
            memory_app.pause_mentor(case["case_id"], ADMIN)


class TestWrongRoles:
    @pytest.mark.parametrize("role", [Role.AUDITOR, Role.DPO, Role.LINE_MANAGER, Role.SYSTEM])
    def test_roles_outside_the_programme_work_change_nothing(self, memory_app, refused, role):
        world = World.create(memory_app)
        mid, _ = world.mentor(capacity=2)
        waiting = world.case("requested", mentor_id=mid)
        active = world.case("active", mentor_id=mid)
        actor = stranger(role)
        for command in (
            lambda: memory_app.propose_match(waiting["case_id"], mid, "r", actor),
            lambda: memory_app.withdraw_case(waiting["case_id"], actor),
            lambda: memory_app.change_mentor_capacity(mid, 3, actor),
            lambda: memory_app.record_session(active["partnership_id"], TODAY, 5, "video", "", "", actor),
            lambda: memory_app.request_extension(active["partnership_id"], 2, actor),
            lambda: memory_app.end_partnership(active["partnership_id"], "completed", actor),
        ):
            with refused(NotAllowed):
                command()
