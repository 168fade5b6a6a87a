"""History written by an earlier version still loads, projects and serves (SQLite and PostgreSQL).

`tests/fixtures/history_v1/` holds a store written by Trellis as it stood before events
recorded who acted once on a base event (with `on_behalf_of`), before the domain stopped
reading the clock and before the programme's matching queue became a read model: a SQLite
file and a PostgreSQL dump, with `manifest.json` saying what the script that wrote them
did. Nothing rewrites that history: events and snapshots are upcast as they load. Here a
copy of each store is opened by today's code, every read model is rebuilt from it, and
the API answers as the manifest says it must; new commands then extend the old history.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from uuid import UUID

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from api.bootstrap import build_app, init_database
from api.http.app import create_app
from api.http.auth import issue_token
from api.settings import Settings
from databases import postgres_settings
from projections import PROJECTIONS
from projections.rebuild import rebuild

FIXTURE = Path(__file__).parents[1] / "fixtures" / "history_v1"
MANIFEST = json.loads((FIXTURE / "manifest.json").read_text())
MIDDLE_LEADERS, EARLY_CAREER = (p["programme_id"] for p in MANIFEST["programmes"])
# What the script left each mentor holding, worked out from what it did (see make_history.py).
SLOTS = {
    "fixture-mentor-1": (0, 0),  # case 4 ended
    "fixture-mentor-2": (1, 0),  # case 7 proposed; case 6 withdrawn and case 5 rematched released theirs
    "fixture-mentor-3": (0, 1),  # case 5's second partnership
    "fixture-mentor-4": (0, 0),  # left the pool
    "fixture-mentor-9": (0, 0),  # the coach's partnership ended
}
# A case withdrawn while proposed still names the mentor it was proposed to.
LAST_MENTOR = {"fixture-mentee-06": "fixture-mentor-2"}


def restore_postgres(dbname: str) -> Settings:
    settings = postgres_settings(postgres_dbname=dbname)
    params = {"host": settings.postgres_host, "port": settings.postgres_port, "user": settings.postgres_user}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    dump = "\n".join(line for line in (FIXTURE / "postgres.sql").read_text().splitlines() if not line.startswith("\\"))
    with psycopg.connect(dbname=dbname, autocommit=True, **params) as conn:
        conn.execute(dump)
    return settings


@pytest.fixture(params=["sqlite", "postgres"])
def old_store(request, tmp_path) -> Settings:
    if request.param == "sqlite":
        shutil.copy(FIXTURE / "trellis.sqlite3", tmp_path / "trellis.sqlite3")
        return Settings(environment="test", persistence="sqlite", data_dir=tmp_path)
    request.getfixturevalue("pg_settings")  # PostgreSQL reachable (required under CI)
    return restore_postgres(f"{request.getfixturevalue('pg_settings').postgres_dbname}_history_v1")


@pytest.fixture
def served(old_store):
    """The old store opened by today's code: tables brought up to date, every read model rebuilt,
    and the people its history names by their identity linked to themselves."""
    init_database(old_store)
    app = build_app(old_store)
    for cls in PROJECTIONS:
        rebuild(app.recorder, app.mapper, cls())
    assert app.adopt_history_people() >= len(MANIFEST["cases"]) + len(MANIFEST["mentors"])  # the old ids, linked
    assert app.adopt_history_people() == 0  # once
    try:
        with TestClient(create_app(old_store, trellis=app)) as client:
            yield Client(client, old_store)
    finally:
        app.close()


class Client:
    def __init__(self, client: TestClient, settings: Settings) -> None:
        self.client, self.settings = client, settings

    def as_(self, person: str, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(self.settings, person, [role])}"}

    def get(self, path: str, person: str = "fixture-admin", role: str = "administrator", **params) -> dict | list:
        response = self.client.get(path, params=params, headers=self.as_(person, role))
        assert response.status_code == 200, (path, response.text)
        return response.json()

    def post(self, path: str, body: dict | None, person: str, role: str, status: int = 200) -> dict:
        response = self.client.post(path, json=body or {}, headers=self.as_(person, role))
        assert response.status_code == status, (path, response.text)
        return response.json()

    def settle(self) -> None:
        self.client.app.state.runner.wait()

    def cases(self) -> dict[str, dict]:
        found = self.get("/cases", programme_id=MIDDLE_LEADERS) + self.get("/cases", programme_id=EARLY_CAREER)
        return {c["mentee_id"]: c for c in found}


class TestTheOldHistoryLoads:
    def test_programmes_keep_their_configuration(self, served):
        listed = {p["programme_id"]: p for p in served.get("/programmes")}
        for expected in MANIFEST["programmes"]:
            assert listed[expected["programme_id"]] == expected

    def test_every_case_shows_the_stage_and_people_it_was_left_with(self, served):
        cases = served.cases()
        assert set(cases) == set(MANIFEST["cases"])
        for mentee, expected in MANIFEST["cases"].items():
            case = cases[mentee]
            person = LAST_MENTOR.get(mentee, expected["mentor"])
            mentor = MANIFEST["mentors"][person]["name"] if person else None
            assert (case["stage"], case["closed_reason"], case["mentee_name"], case["mentor_name"]) == (
                expected["stage"], expected["closed_reason"], expected["name"], mentor), mentee

    def test_the_erased_subject_stays_erased_and_everyone_else_readable(self, served):
        erased = served.cases()[MANIFEST["erased_subject"]]
        assert erased["mentee_name"] is None and erased["stage"] == "awaiting_match"

    def test_mentors_keep_capacity_status_and_the_slots_their_cases_hold(self, served):
        table = {m["mentor_id"]: m for p in (MIDDLE_LEADERS, EARLY_CAREER)
                 for m in served.get("/mentors/capacity", programme_id=p)}
        for person, expected in MANIFEST["mentors"].items():
            row = table[expected["mentor_id"]]
            assert (row["name"], row["capacity"], row["status"]) == (
                expected["name"], expected["capacity"], expected["status"]), person
            assert (row["held"], row["confirmed"]) == SLOTS[person], person

    def test_the_pair_reads_every_session_of_their_partnerships(self, served):
        cases = served.cases()
        for mentee, expected in MANIFEST["cases"].items():
            if not expected["sessions"]:
                continue
            partnership = cases[mentee]["partnership_id"]
            records = served.get(f"/partnerships/{partnership}/sessions", person=mentee, role="mentee")
            assert [r["notes"] for r in records] == expected["sessions"], mentee
        rematched = "fixture-mentee-05"
        partnerships = served.get("/partnerships", programme_id=MIDDLE_LEADERS)
        (first,) = [p for p in partnerships if p["case_id"] == cases[rematched]["case_id"] and p["status"] == "ended"]
        assert first["end_reason"] == "rematched"
        records = served.get(f"/partnerships/{first['partnership_id']}/sessions", person=rematched, role="mentee")
        assert [r["notes"] for r in records] == MANIFEST["cases"][rematched]["first_partnership_sessions"]

    def test_the_audit_history_holds_every_old_event_with_its_actor(self, served):
        events, after = [], 0
        while page := served.get("/audit/events", person="fixture-auditor", role="auditor", after=after, limit=1000):
            events += page
            after = page[-1]["position"]
        assert len(events) == MANIFEST["head"]
        assert all(e["actor_id"] and e["actor_role"] for e in events)
        assert {e["on_behalf_of"] for e in events} == {None}  # the old version did not record it
        assert sum(e["event_type"] == "CaseQueuedForMatch" for e in events) > 0

    def test_statistics_count_the_old_cases(self, served):
        year, month = (int(part) for part in MANIFEST["made_on"].split("-")[:2])
        quarter = f"{year}-Q{(month - 1) // 3 + 1}"  # every case of the history was submitted that day
        cells = {c["name"]: c["value"] for c in served.get("/statistics", programme_id=MIDDLE_LEADERS,
                                                            period=quarter)["cells"]}
        assert cells["eois"] == sum(1 for c in MANIFEST["cases"].values() if c["programme_id"] == MIDDLE_LEADERS)


class TestNewCommandsExtendTheOldHistory:
    def test_aggregates_restored_from_old_snapshots_take_new_commands(self, served):
        cases = served.cases()
        # the programme (snapshot at 100, when it still kept a queue) is reconfigured
        settings = next(p for p in MANIFEST["programmes"] if p["programme_id"] == MIDDLE_LEADERS)
        changed = {k: v for k, v in settings.items() if k != "programme_id"} | {"typical_sessions": 7}
        served.post(f"/programmes/{MIDDLE_LEADERS}/reconfigure", changed, "fixture-admin", "administrator")
        assert served.get(f"/programmes/{MIDDLE_LEADERS}")["typical_sessions"] == 7
        # the long partnership (snapshot at 50) refuses a second feedback request with a domain reason
        long_partnership = cases["fixture-mentee-04"]["partnership_id"]
        refused = served.client.post(f"/partnerships/{long_partnership}/feedback-request",
                                     headers=served.as_("fixture-admin", "administrator"))
        assert refused.status_code == 409 and "already been requested" in refused.json()["detail"]
        # the mentor that left the pool (snapshot at 50) cannot be paused
        left = MANIFEST["mentors"]["fixture-mentor-4"]["mentor_id"]
        refused = served.client.post(f"/mentors/{left}/pause", headers=served.as_("fixture-admin", "administrator"))
        assert refused.status_code == 409 and "left" in refused.json()["detail"]

    def test_an_old_case_moves_on_and_the_read_models_follow(self, served):
        case = served.cases()["fixture-mentee-09"]
        mentor = MANIFEST["mentors"]["fixture-mentor-1"]["mentor_id"]
        served.post(f"/cases/{case['case_id']}/matching-request", {"preferences": [mentor], "goals": "Grow"},
                    "fixture-mentee-09", "mentee")
        answer = served.post(f"/cases/{case['case_id']}/match-proposal", {"mentor_id": mentor, "reasons": "Fit"},
                             "fixture-admin", "administrator")
        assert answer["position"] > MANIFEST["head"]
        served.settle()
        assert served.cases()["fixture-mentee-09"]["stage"] == "match_proposed"
        timeline = served.get(f"/cases/{case['case_id']}/timeline")
        assert [e["event_type"] for e in timeline][-2:] == ["MatchingRequestSubmitted", "MatchProposed"]
        assert [e["on_behalf_of"] for e in timeline][-2:] == [None, None]

    def test_the_pair_of_an_old_partnership_records_a_new_session(self, served):
        case = served.cases()["fixture-mentee-05"]
        served.post(f"/partnerships/{case['partnership_id']}/sessions",
                    {"held_on": MANIFEST["made_on"], "minutes": 30, "notes": "A new session"},
                    "fixture-mentor-3", "mentor", status=201)
        records = served.get(f"/partnerships/{case['partnership_id']}/sessions", person="fixture-mentee-05",
                             role="mentee")
        assert [r["notes"] for r in records] == ["Second pair notes", "A new session"]
        assert UUID(case["partnership_id"])
