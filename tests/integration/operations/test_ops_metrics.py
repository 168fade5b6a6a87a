"""/metrics: Prometheus text with requests and latency by route template, command outcomes by
status class, each read model's lag and the keys held — never an id in a label or anywhere
else in the text — for the bearer of TRELLIS_METRICS_TOKEN alone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.http.app import create_app
from api.http.auth import issue_token
from domain import Role
from lifecycle import World, identity_of, person, unique
from ops_support import METRICS_TOKEN, PERSON_PATTERN, UUID_PATTERN, value
from projections.runner import Runner

READ_MODELS = ("dashboard", "mentors", "line_managers", "statistics", "audit")
BEARER = {"Authorization": f"Bearer {METRICS_TOKEN}"}


@pytest.fixture
def client(app, settings) -> Iterator[TestClient]:
    guarded = settings.model_copy(update={"metrics_token": SecretStr(METRICS_TOKEN)})
    with TestClient(create_app(guarded, trellis=app), raise_server_exceptions=False) as client:
        yield client


def signed_in(settings, actor) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(settings, identity_of(actor), [actor.role.value])}"}


class TestWhatIsCounted:
    def test_requests_latency_and_commands_by_route_template_with_no_id_anywhere(self, client, app, settings):
        admin = signed_in(settings, person(app, Role.ADMINISTRATOR))
        name, someone = unique("Metrics programme"), unique("metrics-mentor")
        programme = client.post("/programmes", json={"name": name}, headers=admin)
        assert programme.status_code == 201, programme.text
        programme_id = programme.json()["id"]
        mentor = client.post("/mentors", headers=admin, json={
            "programme_id": programme_id, "person_id": someone,
            "details": {"name": "Morgan Metric", "email": "morgan@example.org"}})
        assert mentor.status_code == 201, mentor.text
        for _ in range(3):
            assert client.get(f"/programmes/{programme_id}", headers=admin).status_code == 200
        assert client.post(f"/cases/{uuid4()}/confirm-match", headers=admin).status_code == 404
        assert client.get(f"/nowhere/{uuid4()}/p-{uuid4().hex}").status_code == 404

        scraped = client.get("/metrics", headers=BEARER)
        assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
        text = scraped.text
        assert value(text, "trellis_http_requests_total", method="POST", route="/programmes", status="201") == 1
        assert value(text, "trellis_http_requests_total", method="GET", route="/programmes/{programme_id}",
                     status="200") == 3
        assert value(text, "trellis_http_request_duration_seconds_count", method="GET",
                     route="/programmes/{programme_id}") == 3
        assert value(text, "trellis_http_requests_total", method="GET", route="unmatched", status="404") == 1
        assert value(text, "trellis_commands_total", route="/programmes", outcome="2xx") == 1
        assert value(text, "trellis_commands_total", route="/mentors", outcome="2xx") == 1
        assert value(text, "trellis_commands_total", route="/cases/{case_id}/confirm-match", outcome="4xx") == 1
        assert value(text, "trellis_database_up") == 1
        for read_model in READ_MODELS:
            assert value(text, "trellis_projection_lag_events", read_model=read_model) is not None, read_model
        assert value(text, "trellis_key_cache_keys") >= 1  # the mentor's details were sealed under their key

        assert re.search(UUID_PATTERN, text) is None
        assert re.search(PERSON_PATTERN, text) is None
        assert someone not in text and name not in text and "Morgan" not in text

    def test_the_lag_is_what_each_read_model_has_still_to_project(self, app, settings):
        Runner.for_app(app).catch_up()
        quiet = settings.model_copy(update={"run_projections": False, "metrics_token": SecretStr(METRICS_TOKEN)})
        with TestClient(create_app(quiet, trellis=app), raise_server_exceptions=False) as client:
            head = app.recorder.max_notification_id() or 0
            World.create(app).mentor()
            written = app.recorder.max_notification_id() - head
            text = client.get("/metrics", headers=BEARER).text
            for read_model in READ_MODELS:
                assert value(text, "trellis_projection_lag_events", read_model=read_model) == written
            Runner.for_app(app).catch_up()
            text = client.get("/metrics", headers=BEARER).text
            for read_model in READ_MODELS:
                assert value(text, "trellis_projection_lag_events", read_model=read_model) == 0


class TestWhoMayRead:
    def test_without_the_token_401_as_problem_json(self, client):
        for headers in ({}, {"Authorization": "Bearer not-the-metrics-token"},
                        {"Authorization": f"Basic {METRICS_TOKEN}"}):
            refused = client.get("/metrics", headers=headers)
            assert refused.status_code == 401, headers
            assert refused.headers["content-type"] == "application/problem+json"
            assert refused.headers["www-authenticate"] == "Bearer"
            assert "trellis_" not in refused.text

    def test_a_persons_token_does_not_open_it_even_an_administrators(self, client, app, settings):
        refused = client.get("/metrics", headers=signed_in(settings, person(app, Role.ADMINISTRATOR)))
        assert refused.status_code == 401

    def test_in_production_with_no_token_set_no_one_reads_them(self, app, settings):
        production = settings.model_copy(update={"environment": "production", "metrics_token": None})
        with TestClient(create_app(production, trellis=app), raise_server_exceptions=False) as client:
            refused = client.get("/metrics")
            assert refused.status_code == 403 and "TRELLIS_METRICS_TOKEN" in refused.json()["detail"]
