"""Liveness and readiness: /health answers from the process alone, without one byte sent to
the database; /ready answers 200 while the database answers and every read model is within
TRELLIS_READY_MAX_LAG events of the head, and 503 (problem+json, saying which) otherwise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import build_app
from api.http.app import create_app
from databases import postgres_settings
from lifecycle import World
from ops_support import Proxy
from projections.runner import Runner

PROBLEM = "application/problem+json"
READ_MODELS = {"dashboard", "mentors", "line_managers", "statistics", "audit"}  # at least these


def not_ready(response, mentions: str) -> str:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 503 and problem["type"] == "/problems/not-ready"
    assert mentions in problem["detail"]
    return problem["detail"]


class TestHealthTouchesNoDatabase:
    @pytest.fixture
    def through_proxy(self, pg_settings) -> Iterator[tuple[TestClient, Proxy]]:
        """The API with its database behind a proxy the test can take away (no runner in it)."""
        proxy = Proxy(pg_settings.postgres_host, pg_settings.postgres_port)
        settings = postgres_settings(postgres_port=proxy.port, run_projections=False)
        app = build_app(settings)
        try:
            with TestClient(create_app(settings, trellis=app), raise_server_exceptions=False) as client:
                yield client, proxy
        finally:
            proxy.stop()
            app.close()

    def test_serving_health_sends_nothing_to_the_database(self, through_proxy):
        client, proxy = through_proxy
        assert client.get("/ready").status_code in (200, 503)  # the pool is open: the proxy carries traffic
        assert proxy.sent > 0
        before = proxy.sent
        for _ in range(20):
            assert client.get("/health").json() == {"status": "ok"}
        assert proxy.sent == before

    def test_with_the_database_gone_health_answers_and_ready_says_the_database(self, through_proxy):
        client, proxy = through_proxy
        Runner.for_app(client.app.state.trellis).catch_up()
        assert client.get("/ready").status_code == 200
        proxy.stop()
        health = client.get("/health")
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        not_ready(client.get("/ready"), "database")
        assert client.get("/health").status_code == 200


class TestReadinessFollowsTheLag:
    @pytest.fixture
    def quiet_api(self, app, settings) -> Iterator[TestClient]:
        """The API with no projection runner: events recorded now stay unprojected until the
        test runs one (a threshold of 2 events)."""
        Runner.for_app(app).catch_up()  # whatever earlier tests left
        quiet = settings.model_copy(update={"run_projections": False, "ready_max_lag": 2})
        with TestClient(create_app(quiet, trellis=app), raise_server_exceptions=False) as client:
            yield client

    def test_ready_while_caught_up_then_503_naming_the_read_models_behind_then_ready_again(self, app, quiet_api):
        ready = quiet_api.get("/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json()["max_lag"] == 2
        assert set(ready.json()["lag"]) >= READ_MODELS and set(ready.json()["lag"].values()) == {0}

        head = app.recorder.max_notification_id() or 0
        World.create(app).mentor()  # several events, none projected
        written = app.recorder.max_notification_id() - head
        assert written > 2
        detail = not_ready(quiet_api.get("/ready"), "read models behind")
        for name in READ_MODELS:
            assert f"{name} {written} events" in detail
        assert "at most 2" in detail

        Runner.for_app(app).catch_up()
        again = quiet_api.get("/ready")
        assert again.status_code == 200 and set(again.json()["lag"].values()) == {0}

    def test_a_lag_at_the_threshold_is_ready_and_one_event_past_it_is_not(self, app, quiet_api):
        head = app.recorder.max_notification_id() or 0
        World.create(app)
        World.create(app)  # a programme registered: one event each
        assert app.recorder.max_notification_id() - head == 2
        assert quiet_api.get("/ready").status_code == 200
        World.create(app)
        not_ready(quiet_api.get("/ready"), "dashboard 3 events")
