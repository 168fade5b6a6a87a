"""While an app serves, what it started with is kept out of the garbage collector's full passes,
and the collector passes over its young objects less often; both are put back after."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from api.http.app import create_app


class TestTheCollector:
    def test_the_objects_an_app_starts_with_are_frozen_while_it_serves_and_released_after(self, app, settings):
        before = gc.get_freeze_count()
        with TestClient(create_app(settings, trellis=app)) as client:
            serving = gc.get_freeze_count()
            assert client.get("/health").status_code == 200
        assert serving > before + 10_000  # the app's routes, models and modules, at least
        assert gc.get_freeze_count() == 0  # given back to the collector once it stops

    def test_the_young_generation_is_larger_while_it_serves_and_as_it_was_after(self, app, settings):
        before = gc.get_threshold()
        with TestClient(create_app(settings, trellis=app)) as client:
            serving = gc.get_threshold()
            assert client.get("/health").status_code == 200
        assert serving[0] >= 10_000 and serving[0] > before[0]
        assert gc.get_threshold() == before
