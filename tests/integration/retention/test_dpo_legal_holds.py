"""Legal holds: placed by the data-protection officer with a reason, listed with who placed
them and when, lifted once; while one stands the erasure it covers waits."""

from __future__ import annotations

import pytest

from domain import Role
from dpo_support import erasure_request, nothing_written, ok, place_hold, refused
from lifecycle import NOW, person


def holds(api, officer, hold_id: str, **params) -> list[dict]:
    return [h for h in api.read("/retention/legal-holds", officer, **params) if h["hold_id"] == hold_id]


class TestPlacing:
    def test_the_hold_is_listed_with_its_reason_who_placed_it_and_when(self, api, officer, pair):
        hold_id = place_hold(api, officer, "case", pair["case_id"], reason="Tribunal claim ET/2026/0042")
        assert holds(api, officer, hold_id) == [{
            "hold_id": hold_id, "target": "case", "target_id": str(pair["case_id"]),
            "reason": "Tribunal claim ET/2026/0042", "placed_by": officer.id, "placed_at": NOW.isoformat(),
            "lifted_by": None, "lifted_at": None, "active": True,
        }]

    def test_the_erasure_preview_shows_the_hold_that_stands_in_its_way(self, api, officer, pair):
        hold_id = place_hold(api, officer, "person", pair["mentee"].id)
        request_id = erasure_request(api, officer, pair["mentee"])
        preview = api.read(f"/retention/erasure-requests/{request_id}/preview", officer)
        assert [h["hold_id"] for h in preview["held_by"]] == [hold_id]

    @pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
    def test_only_the_dpo_places_one(self, api, pair, role):
        with nothing_written(api):
            refused(api.post("/retention/legal-holds", person(api.trellis, role),
                             {"target": "case", "target_id": str(pair["case_id"]), "reason": "Claim"}), 403)

    def test_a_hold_needs_a_reason(self, api, officer, pair):
        with nothing_written(api):
            refused(api.post("/retention/legal-holds", officer,
                             {"target": "case", "target_id": str(pair["case_id"]), "reason": ""}), 422)


class TestLifting:
    def test_a_lifted_hold_shows_who_lifted_it_and_no_longer_stands(self, api, officer, pair, clock):
        hold_id = place_hold(api, officer, "case", pair["case_id"])
        later = NOW.replace(hour=15)
        clock.set(later)
        ok(api.post(f"/retention/legal-holds/{hold_id}/lift", officer))
        (hold,) = holds(api, officer, hold_id)
        assert (hold["lifted_by"], hold["lifted_at"], hold["active"]) == (officer.id, later.isoformat(), False)
        assert holds(api, officer, hold_id, active_only="true") == []

    def test_a_hold_is_lifted_once(self, api, officer, pair):
        hold_id = place_hold(api, officer, "case", pair["case_id"])
        ok(api.post(f"/retention/legal-holds/{hold_id}/lift", officer))
        with nothing_written(api):
            body = refused(api.post(f"/retention/legal-holds/{hold_id}/lift", officer), 409)
        assert hold_id in body["detail"]

    def test_once_lifted_the_erasure_proceeds(self, api, officer, pair):
        hold_id = place_hold(api, officer, "programme", pair["world"].programme_id)
        request_id = erasure_request(api, officer, pair["mentee"])
        api.settle()
        refused(api.post(f"/retention/erasure-requests/{request_id}/execute", officer), 409)
        ok(api.post(f"/retention/legal-holds/{hold_id}/lift", officer))
        api.settle()
        ok(api.post(f"/retention/erasure-requests/{request_id}/execute", officer))
        (entry,) = [r for r in api.read("/retention/erasure-requests", officer) if r["request_id"] == request_id]
        assert entry["state"] == "completed"
        assert not api.trellis.people.is_linked(pair["mentee"].id)

    def test_only_the_dpo_lifts_one(self, api, officer, pair):
        hold_id = place_hold(api, officer, "case", pair["case_id"])
        with nothing_written(api):
            refused(api.post(f"/retention/legal-holds/{hold_id}/lift", person(api.trellis, Role.ADMINISTRATOR)), 403)
        assert holds(api, officer, hold_id)[0]["active"] is True
