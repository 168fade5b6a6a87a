"""The statistics floor: no published statistic describes fewer people than it; the
data-protection officer alone sets it, and never below 5."""

from __future__ import annotations

import pytest

from domain import Invalid, Role
from domain.policy import POLICY_ID
from dpo_support import events_of, nothing_written, ok, refused
from lifecycle import person


class TestSettingTheFloor:
    def test_the_dpo_sets_it_to_five(self, api, officer):
        ok(api.post("/retention/statistics-floor", officer, {"floor": 5}))
        last = events_of(api.trellis, POLICY_ID, "StatisticsFloorSet")[-1]
        assert (last.floor, last.actor_id, last.actor_role) == (5, officer.id, "dpo")
        api.settle()
        assert api.trellis.read_models.statistics_floor() == 5

    @pytest.mark.parametrize("floor", [4, 0, -1, 101])
    def test_outside_five_to_a_hundred_is_refused(self, api, officer, floor):
        with nothing_written(api):
            refused(api.post("/retention/statistics-floor", officer, {"floor": floor}), 422)

    def test_the_service_refuses_four_too(self, api, officer):
        with nothing_written(api), pytest.raises(Invalid):
            api.trellis.set_statistics_floor(4, officer)

    @pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
    def test_no_one_else_sets_it(self, api, role):
        with nothing_written(api):
            refused(api.post("/retention/statistics-floor", person(api.trellis, role), {"floor": 5}), 403)
