"""Retention: once a programme's retention period has run out after a person's records closed,
the schedule erases them. The dry run lists exactly whom the run then erases; a legal hold
keeps a person; a second run has nothing to do; anonymous statistics keep their counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import Role
from dpo_support import nothing_written, ok, place_hold, refused
from lifecycle import ADMIN, NOW, World, person
from projections import statistics

LATER = NOW + timedelta(days=45)  # past a 1-month retention period for what closed at NOW
QUARTER = "2026-Q2"  # the quarter of NOW, when every EOI below was submitted


@pytest.fixture
def estate(app, api, officer, clock):
    """A programme that keeps records for one month, seen at LATER: three mentees whose cases
    closed at NOW (withdrawn, declined, partnership completed) and a mentor who left the pool
    at NOW are due; a mentee whose case closed at NOW is held; a mentor still in the pool, an
    open case, a case closed at LATER and a case of a six-year programme are not due."""
    world = World.create(app, retention_months=1)
    keeper_id, keeper = world.mentor(capacity=3)  # stays in the pool: never due
    withdrawn = world.case("approved")
    app.withdraw_case(withdrawn["case_id"], withdrawn["mentee"], "Changed role")
    declined = world.case("eoi")
    app.decline_eoi(declined["case_id"], declined["manager"], "Not this year")
    completed = world.case("active", keeper_id)
    app.end_partnership(completed["partnership_id"], "completed", ADMIN)
    left_id, left = world.mentor(capacity=1)
    app.leave_pool(left_id, left)
    held = world.case("approved")
    app.withdraw_case(held["case_id"], held["mentee"])
    hold_id = place_hold(api, officer, "person", held["mentee"].id)
    still_open = world.case("approved")
    recent = world.case("approved")
    other = World.create(app)  # the default retention period: six years
    long_kept = other.case("approved")
    app.withdraw_case(long_kept["case_id"], long_kept["mentee"])
    clock.set(LATER)
    app.withdraw_case(recent["case_id"], recent["mentee"])  # closed just now: not due
    api.settle()
    due = {c["mentee"].id for c in (withdrawn, declined, completed)} | {left.id}
    not_due = {keeper.id, still_open["mentee"].id, recent["mentee"].id, long_kept["mentee"].id}
    return {
        "world": world, "due": due, "held": held["mentee"].id, "hold_id": hold_id, "not_due": not_due,
        "mine": due | not_due | {held["mentee"].id}, "withdrawn": withdrawn, "held_case": held["case_id"],
        "cases": 6,  # EOIs in the programme, all in QUARTER
    }


def dry_run(api, officer) -> dict:
    return api.read("/retention/schedule", officer)


def run(api, officer) -> dict:
    result = ok(api.post("/retention/schedule/run", officer))
    api.settle()
    return result


class TestDryRun:
    def test_lists_everyone_due_and_the_held_person_and_no_one_else(self, api, officer, estate):
        due = dry_run(api, officer)["due"]
        listed = {d["person_id"]: d["held_by"] for d in due if d["person_id"] in estate["mine"]}
        assert listed == dict.fromkeys(estate["due"]) | {estate["held"]: estate["hold_id"]}

    def test_changes_nothing(self, api, officer, estate):
        api.settle()
        with nothing_written(api):
            result = dry_run(api, officer)
        assert (result["dry_run"], result["erased"]) == (True, [])
        assert estate["held"] in result["held"]
        assert all(api.trellis.people.is_linked(p) for p in estate["due"])


class TestRun:
    def test_erases_exactly_whom_the_dry_run_listed(self, api, officer, estate):
        dry = dry_run(api, officer)
        done = run(api, officer)
        assert done["dry_run"] is False
        assert sorted(done["erased"]) == sorted(d["person_id"] for d in dry["due"] if d["held_by"] is None)
        assert sorted(done["held"]) == sorted(dry["held"])
        assert set(done["erased"]) & estate["mine"] == estate["due"]

    def test_unlinks_whom_it_erased_and_keeps_everyone_else(self, api, officer, estate):
        run(api, officer)
        assert [p for p in estate["due"] if api.trellis.people.is_linked(p)] == []
        assert [p for p in estate["not_due"] | {estate["held"]} if not api.trellis.people.is_linked(p)] == []

    def test_keeps_the_held_person(self, api, officer, estate):
        done = run(api, officer)
        assert estate["held"] in done["held"] and estate["held"] not in done["erased"]
        assert api.trellis.people.is_linked(estate["held"])
        assert api.read(f"/cases/{estate['held_case']}", ADMIN)["mentee_name"] == "Mentee Name"

    def test_the_erased_keep_their_records_shape_without_their_names(self, api, officer, estate):
        run(api, officer)
        case = api.read(f"/cases/{estate['withdrawn']['case_id']}", ADMIN)
        assert (case["stage"], case["closed_reason"], case["mentee_name"]) == ("closed", "withdrawn", None)

    def test_records_a_completed_retention_request_per_person_erased(self, api, officer, estate):
        run(api, officer)
        requests = {r.subject_id: r for r in api.trellis.read_models.requests("retention")}
        for person_id in estate["due"]:
            assert (requests[person_id].state, requests[person_id].closed_by) == ("completed", officer.id)
        assert estate["held"] not in requests

    def test_a_second_run_erases_nobody_and_writes_nothing(self, api, officer, estate):
        run(api, officer)
        with nothing_written(api):
            again = run(api, officer)
        assert again["erased"] == []
        assert [d for d in again["due"] if d["held_by"] is None] == []

    def test_the_programmes_anonymous_statistics_keep_their_counts(self, api, officer, estate):
        admin = person(api.trellis, Role.ADMINISTRATOR)
        params = {"programme_id": str(estate["world"].programme_id), "period": QUARTER}
        before, rows_before = api.read("/statistics", admin, **params), statistics_rows(api)
        run(api, officer)
        after = api.read("/statistics", admin, **params)
        assert after == before
        assert cell(after, "eois") == estate["cases"]
        assert statistics_rows(api) == rows_before

    @pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
    def test_only_the_dpo_runs_it_or_its_dry_run(self, api, estate, role):
        other = person(api.trellis, role)
        with nothing_written(api):
            refused(api.get("/retention/schedule", other), 403)
            refused(api.post("/retention/schedule/run", other), 403)
        assert all(api.trellis.people.is_linked(p) for p in estate["due"])


def cell(stats: dict, name: str) -> int | None:
    (found,) = [c["value"] for c in stats["cells"] if c["name"] == name]
    return found


def statistics_rows(api) -> dict[str, int]:
    store = api.trellis.read_models.store
    return {t.name: store.query(f"SELECT COUNT(*) AS n FROM {t.name}")[0]["n"] for t in statistics.Statistics.tables}
