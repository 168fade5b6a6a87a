"""Statistics are published per calendar quarter only, and never under the DPO's floor."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from lifecycle import ADMIN, World

from api.http.app import create_app
from api.http.auth import issue_token
from domain import Invalid, ProgrammeSettings
from projections.qa import statistics_for

QUARTER = "2026-Q2"  # the quarter of the tests' pinned clock (1 June 2026)


def eois(app, threshold: int, approved: int, declined: int) -> World:
    world = World.create(app, small_group_threshold=threshold)
    for n in range(approved + declined):
        case = world.case("eoi")
        if n < approved:
            app.approve_eoi(case["case_id"], case["manager"])
        else:
            app.decline_eoi(case["case_id"], case["manager"], "not now")
    return world


def shown(stats) -> dict:
    return {c.name: (c.suppressed, c.value) for c in stats.cells}


class TestOnlyQuartersArePublished:
    @pytest.mark.parametrize("period", [None, "2026", "2026-06", "2026-H1", "2026-06-01"])
    def test_a_year_a_month_or_all_time_is_refused(self, app, runner, read_models, period):
        world = eois(app, 5, approved=6, declined=0)
        runner.catch_up()
        with pytest.raises(Invalid, match="per calendar quarter"):
            read_models.statistics(world.programme_id, period)

    def test_through_the_api_only_a_quarter_is_answered(self, app, settings):
        world = eois(app, 5, approved=6, declined=0)
        token = issue_token(settings, "statistics-reader", ["administrator"])
        with TestClient(create_app(settings, trellis=app), raise_server_exceptions=False) as client:
            client.app.state.runner.wait(app.recorder.max_notification_id(), timeout=30)

            def get(**params):
                return client.get("/statistics", params={"programme_id": str(world.programme_id), **params},
                                  headers={"Authorization": f"Bearer {token}"})

            for refused in ({}, {"period": "2026"}, {"period": "2026-06"}, {"period": "2026-Q5"},
                            {"period": "all"}, {"period": ""}):
                assert get(**refused).status_code == 422, refused
            answer = get(period=QUARTER)
            assert answer.status_code == 200
            cells = {c["name"]: c["value"] for c in answer.json()["cells"]}
            assert answer.json()["period"] == QUARTER and cells["eois"] == 6 and cells["eois_approved"] == 6


class TestTheFloor:
    def test_a_programme_threshold_under_the_floor_suppresses_like_the_floor(self, app, runner, read_models):
        low, at_floor = eois(app, 2, approved=7, declined=2), eois(app, 5, approved=7, declined=2)
        runner.catch_up()
        below = read_models.statistics(low.programme_id, QUARTER)
        assert below.threshold == 5
        assert below["eois_declined"].suppressed and below["eois_approved"].suppressed
        assert shown(below) == shown(read_models.statistics(at_floor.programme_id, QUARTER))

    def test_a_floor_above_the_programmes_threshold_decides(self, app, runner, read_models):
        world = eois(app, 5, approved=7, declined=5)
        runner.catch_up()
        at_floor = statistics_for(read_models.store, str(world.programme_id), QUARTER, app.open_sealed)
        assert not at_floor["eois_declined"].suppressed
        raised = statistics_for(read_models.store, str(world.programme_id), QUARTER, app.open_sealed, floor=6)
        assert raised.threshold == 6
        assert raised["eois_declined"].suppressed and raised["eois_approved"].suppressed

    @pytest.mark.parametrize("floor", [4, 2, 0, -5, 4.5, True])
    def test_a_floor_under_five_is_refused(self, app, runner, read_models, floor):
        world = eois(app, 5, approved=6, declined=0)
        runner.catch_up()
        with pytest.raises(Invalid, match="at least 5"):
            statistics_for(read_models.store, str(world.programme_id), QUARTER, app.open_sealed, floor=floor)


class TestEOIsThatNeedNoApproval:
    def test_are_a_group_of_their_own_so_the_difference_is_suppressed(self, app, runner, read_models):
        """Reconfigured mid-quarter: six EOIs went to a line manager, two did not. Publishing
        the 8 EOIs beside the 6 that needed approval would publish the 2 unsuppressed."""
        world = eois(app, 5, approved=6, declined=0)
        settings = ProgrammeSettings(name=world.settings.name, line_manager_approval=False)
        app.reconfigure_programme(world.programme_id, settings, ADMIN)
        world.settings = settings
        world.case("eoi")
        world.case("eoi")
        runner.catch_up()
        stats = read_models.statistics(world.programme_id, QUARTER)
        assert stats["eois"].value == 8
        assert stats["eois_not_needing_approval"].suppressed and stats["eois_needing_approval"].suppressed
        assert stats["eois_approved"].suppressed
        published = {c.value for c in stats.cells if not c.suppressed}
        assert not {2, 6} & published
