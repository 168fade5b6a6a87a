"""The read position on every GET comes from memory, and is never ahead of the read models."""

from __future__ import annotations

from uuid import uuid4

from fastapi.testclient import TestClient

from api.http import readside
from api.http.app import create_app
from api_support import Api, cast
from domain import Role
from projections.runner import Runner


class TestWithProjectionsInAnotherProcess:
    def test_the_position_is_reused_for_a_moment_then_read_again(self, app, settings, monkeypatch):
        apart = settings.model_copy(update={"run_projections": False})
        with TestClient(create_app(apart, trellis=app)) as client:
            api, worker = Api(client, apart, app), Runner.for_app(app)
            c = cast(app, stage="approved")
            worker.catch_up()
            reader = c.people[Role.ADMINISTRATOR]
            side = client.app.state.read_side
            before = int(api.get(f"/cases/{c.case_id}", reader).headers["x-trellis-read-position"])
            answer = api.post(f"/cases/{c.case_id}/withdraw", c.people[Role.MENTEE], {"reason": ""}).json()
            worker.catch_up()  # the projection worker, elsewhere, has taken the command in
            monkeypatch.setattr(readside, "POSITION_SECONDS", 3600.0)
            assert side.known_read_position() == before  # remembered: an older position, still a lower bound
            monkeypatch.setattr(readside, "POSITION_SECONDS", 0.0)
            assert side.known_read_position() is None  # too old: the next GET reads it again
            after = api.get(f"/cases/{c.case_id}", reader)
            assert int(after.headers["x-trellis-read-position"]) >= answer["position"] > before
            assert after.json()["stage"] == "closed"


    def test_a_board_kept_for_its_position_shows_a_new_case_once_its_command_is_read(self, app, settings, monkeypatch):
        apart = settings.model_copy(update={"run_projections": False})
        with TestClient(create_app(apart, trellis=app)) as client:
            api, worker = Api(client, apart, app), Runner.for_app(app)
            c = cast(app, stage="approved")
            worker.catch_up()
            reader, path = c.people[Role.ADMINISTRATOR], f"/programmes/{c.programme_id}/pipeline"
            before = api.get(path, reader).json()
            assert api.get(path, reader).json() == before  # asked again at the same position: the same board
            answer = api.post("/cases", reader, {  # an administrator records it on the mentee's behalf
                "programme_id": str(c.programme_id), "mentee_id": f"late-{uuid4().hex[:8]}", "statement": "",
                "line_manager_id": f"manager-{uuid4().hex[:8]}",
                "details": {"name": "Late Mentee", "email": "late@example.org"}}).json()
            worker.catch_up()
            monkeypatch.setattr(readside, "POSITION_SECONDS", 0.0)  # the position is read afresh, not a moment old
            after = api.get(path, reader)
            assert int(after.headers["x-trellis-read-position"]) >= answer["position"]
            waiting = [i["case_id"] for i in after.json()["queues"]["eois_awaiting_line_manager"]]
            assert waiting == [answer["id"]]
            assert after.json()["queue_sizes"]["eois_awaiting_line_manager"] == 1

class TestWithProjectionsInThisProcess:
    def test_the_runners_own_position_is_used_without_a_query(self, api):
        c = cast(api.trellis)
        api.settle()
        side = api.client.app.state.read_side
        side.tracker.positions = None  # a query for the positions would now fail
        response = api.get(f"/cases/{c.case_id}", c.people[Role.ADMINISTRATOR])
        assert response.status_code == 200
        assert int(response.headers["x-trellis-read-position"]) == api.head()
