"""The data-protection officer's own aggregates: legal holds (placed with a reason, lifted
once) and the policy's floor for the statistics' small-group threshold (never below 5)."""

from __future__ import annotations

import pytest

from domain import SYSTEM, DataProtectionPolicy, Invalid, LegalHold, NotAllowed, Role, recording
from domain_support import AT, person, refuses, triggered

DPO = person(Role.DPO)
NOT_DPO = ["administrator", "line_manager", "mentor", "mentee", "auditor", "system"]


def test_the_roles_refused_are_every_role_but_the_dpos():
    assert {*NOT_DPO, "dpo"} == {role.value for role in Role}


def not_the_dpo(role: str):
    return SYSTEM if role == "system" else person(Role(role))


def placed() -> LegalHold:
    with recording(DPO, AT):
        hold = LegalHold.place("case", "case-1", "Tribunal claim 2026/17")
    triggered(hold)
    return hold


class TestPlacingAHold:
    @pytest.mark.parametrize("target", ["person", "case", "partnership", "programme"])
    def test_the_dpo_places_it_with_a_reason_kept_under_their_own_key(self, target):
        with recording(DPO, AT):
            hold = LegalHold.place(target, "target-1", "  Tribunal claim 2026/17 ")
        (event,) = triggered(hold)
        assert (type(event).__name__, event.target, event.target_id) == ("Placed", target, "target-1")
        assert (type(event.reason).__name__, event.reason.value, event.reason.owner) == (
            "Personal", "Tribunal claim 2026/17", DPO.id,
        )
        assert hold.lifted is False

    @pytest.mark.parametrize("role", NOT_DPO)
    def test_no_other_role_places_one(self, role):
        with recording(not_the_dpo(role), AT), pytest.raises(NotAllowed, match="dpo"):
            LegalHold.place("case", "case-1", "reason")

    @pytest.mark.parametrize(
        ("target", "target_id", "reason", "message"),
        [
            ("everything", "x", "r", "target"),
            ("case", "", "r", "names what it holds"),
            ("case", "x", "  ", "reason is required"),
            ("case", "x", "r" * 501, "reason"),
        ],
    )
    def test_a_malformed_hold_is_invalid(self, target, target_id, reason, message):
        with recording(DPO, AT), pytest.raises(Invalid, match=message):
            LegalHold.place(target, target_id, reason)


class TestLiftingAHold:
    def test_the_dpo_lifts_it_once(self):
        hold = placed()
        with recording(DPO, AT):
            hold.lift()
            with refuses(hold, NotAllowed, match="already lifted"):
                hold.lift()
        assert [type(e).__name__ for e in triggered(hold)] == ["Lifted"]
        assert hold.lifted is True

    def test_another_dpo_may_lift_it(self):
        hold = placed()
        with recording(person(Role.DPO), AT):
            hold.lift()
        assert hold.lifted is True

    @pytest.mark.parametrize("role", NOT_DPO)
    def test_no_other_role_lifts_one(self, role):
        hold = placed()
        with recording(not_the_dpo(role), AT), refuses(hold, NotAllowed):
            hold.lift()
        assert hold.lifted is False


def policy() -> DataProtectionPolicy:
    with recording(DPO, AT):
        built = DataProtectionPolicy.set_up()
    triggered(built)
    return built


class TestTheStatisticsFloor:
    def test_the_policy_starts_at_five(self):
        with recording(DPO, AT):
            built = DataProtectionPolicy.set_up()
        (event,) = triggered(built)
        assert (type(event).__name__, event.floor, built.floor) == ("PolicySetUp", 5, 5)

    def test_there_is_one_policy(self):
        assert policy().id == policy().id

    @pytest.mark.parametrize("floor", [5, 6, 100])
    def test_the_dpo_sets_a_floor_of_at_least_five(self, floor):
        built = policy()
        with recording(DPO, AT):
            built.set_statistics_floor(floor)
        (event,) = triggered(built)
        assert (type(event).__name__, event.floor, built.floor) == ("StatisticsFloorSet", floor, floor)

    @pytest.mark.parametrize("floor", [4, 0, -5, 101, "5", 5.0, True])
    def test_a_floor_below_five_or_not_a_whole_number_is_refused(self, floor):
        built = policy()
        with recording(DPO, AT), refuses(built, Invalid, match="floor"):
            built.set_statistics_floor(floor)
        assert built.floor == 5

    @pytest.mark.parametrize("role", NOT_DPO)
    def test_no_other_role_sets_it(self, role):
        built = policy()
        with recording(not_the_dpo(role), AT), refuses(built, NotAllowed):
            built.set_statistics_floor(10)
        assert built.floor == 5

    @pytest.mark.parametrize("role", NOT_DPO)
    def test_no_other_role_sets_up_the_policy(self, role):
        with recording(not_the_dpo(role), AT), pytest.raises(NotAllowed):
            DataProtectionPolicy.set_up()
