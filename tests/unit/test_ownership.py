"""Whether an object is the actor's own: answered from the aggregates, and a tie that can never
change, once found, answered again from memory; a tie that can change (a mentor's to a case,
through a proposal) and any answer of no are found afresh every time."""

from __future__ import annotations

from uuid import uuid4

import pytest

from app_support import ADMIN, World
from domain import Actor, NotFound, Role


def loads_of(app, monkeypatch) -> list:
    """Every aggregate the app loads from here on."""
    loaded: list = []
    real = type(app).load

    def counted(self, cls, aggregate_id):
        loaded.append((cls.__name__, aggregate_id))
        return real(self, cls, aggregate_id)

    monkeypatch.setattr(type(app), "load", counted)
    return loaded


class TestTiesThatNeverChange:
    def test_a_partys_partnership_is_loaded_once_then_known(self, memory_app, world, monkeypatch):
        mid, mentor = world.mentor()
        case = world.case("active", mentor_id=mid)
        params = {"partnership_id": str(case["partnership_id"])}
        loaded = loads_of(memory_app, monkeypatch)
        assert not memory_app.owned_already(case["mentee"], params)
        assert memory_app.owns_partnership(case["mentee"], case["partnership_id"])
        assert memory_app.owned_already(case["mentee"], params)
        assert memory_app.owned_already(case["mentee"], {"partnership_id": str(case["partnership_id"]).upper()})
        assert loaded == [("Partnership", case["partnership_id"])]
        assert not memory_app.owned_already(mentor, params)  # the mentor's tie is their own, found when asked
        assert memory_app.owns_partnership(mentor, case["partnership_id"]) and memory_app.owned_already(mentor, params)

    def test_a_mentee_and_a_line_manager_keep_their_case_and_a_mentor_their_record(self, memory_app, world):
        mid, mentor = world.mentor()
        case = world.case("approved")
        for actor in (case["mentee"], case["manager"]):
            assert memory_app.owns_case(actor, case["case_id"])
            assert memory_app.owned_already(actor, {"case_id": str(case["case_id"])})
        assert memory_app.owns_mentor(mentor, mid) and memory_app.owned_already(mentor, {"mentor_id": str(mid)})

    def test_the_same_id_in_another_role_or_for_another_object_is_not_known(self, memory_app, world):
        mid, _ = world.mentor()
        case = world.case("active", mentor_id=mid)
        mentee = case["mentee"]
        assert memory_app.owns_partnership(mentee, case["partnership_id"])
        assert not memory_app.owned_already(Actor(mentee.id, Role.MENTOR), {"partnership_id": str(case["partnership_id"])})
        assert not memory_app.owned_already(mentee, {"partnership_id": str(uuid4())})
        assert not memory_app.owned_already(mentee, {"partnership_id": "not-a-uuid"})


class TestWhatCanChange:
    def test_a_no_is_never_remembered(self, memory_app, world, monkeypatch):
        mid, _ = world.mentor()
        case = world.case("active", mentor_id=mid)
        stranger = Actor(f"p-{uuid4().hex}", Role.MENTEE)
        loaded = loads_of(memory_app, monkeypatch)
        assert not memory_app.owns_partnership(stranger, case["partnership_id"])
        assert not memory_app.owns_partnership(stranger, case["partnership_id"])
        assert len(loaded) == 2 and not memory_app.owned_already(stranger, {"partnership_id": str(case["partnership_id"])})

    def test_a_mentors_tie_to_a_case_is_found_afresh_each_time(self, memory_app, world, monkeypatch):
        mid, mentor = world.mentor()
        case = world.case("proposed", mentor_id=mid)
        assert memory_app.owns_case(mentor, case["case_id"])
        assert not memory_app.owned_already(mentor, {"case_id": str(case["case_id"])})
        memory_app.request_rematch(case["case_id"], ADMIN)  # the proposal ends: the tie with it
        assert not memory_app.owns_case(mentor, case["case_id"])


class TestTheObjectThePathNames:
    def test_the_partnership_is_asked_before_the_case_and_then_remembered_for_the_same_path(self, memory_app, world):
        mid, mentor = world.mentor()
        case = world.case("active", mentor_id=mid)
        other = world.case("active", mentor_id=mid)
        mentee = case["mentee"]
        path = {"case_id": str(other["case_id"]), "partnership_id": str(case["partnership_id"])}
        assert memory_app.owns_named(mentee, path)  # their partnership, though the case is another's
        assert memory_app.owned_already(mentee, path)
        assert not memory_app.owns_named(mentee, {"case_id": str(other["case_id"])})
        assert memory_app.owns_named(mentor, {"mentor_id": str(mid)})

    def test_a_path_naming_nothing_owned_is_no_and_a_malformed_id_is_not_found(self, memory_app, world):
        case = world.case("active", mentor_id=world.mentor()[0])
        assert not memory_app.owns_named(case["mentee"], {"programme_id": str(uuid4())})
        with pytest.raises(NotFound, match="no such partnership"):
            memory_app.owns_named(case["mentee"], {"partnership_id": "not-a-uuid"})
        assert not memory_app.owned_already(case["mentee"], {"partnership_id": "not-a-uuid"})
