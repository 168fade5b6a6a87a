"""After an erasure nothing of the subject is readable anywhere; a bystander's data is intact.

A subject and a bystander each carry a unique marker in every field that is theirs (and in
their identity). The DPO erases the subject through the API. Then the marker, the
subject's identity and their destroyed keys' wrapped bytes are looked for in every table
the database's catalogue lists, in the SQLite file and its write-ahead log, in a pg_dump
of the whole database, in every log line of the run, and in every GET the API answers, for
every role — and the bystander's marker must still be there to read.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess

import psycopg
import pytest

from api.http.auth import issue_token
from api.http.policy import api_routes
from api.bootstrap import build_app
from domain import ERASED, Case, Role
from erasure_world import plant
from lifecycle import ADMIN, TODAY, World, identity_of, person

ROLES = ["administrator", "line_manager", "mentor", "mentee", "auditor", "dpo"]


def raw_tables(settings) -> dict[str, bytes]:
    """Every table the database's own catalogue lists, every row, as bytes."""
    if settings.persistence == "sqlite":
        with sqlite3.connect(settings.sqlite_path) as db:
            names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {name: _bytes(db.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}
    with _pg(settings) as db:
        names = [r[0] for r in db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")]
        return {name: _bytes(db.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}


def _pg(settings):
    return psycopg.connect(host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
                           dbname=settings.postgres_dbname)


def _bytes(rows) -> bytes:
    out = []
    for row in rows:
        for value in row:
            out.append(bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode())
    return b"\x00".join(out)


def database_files(settings) -> bytes:
    """The SQLite file and its write-ahead log as they lie on disk; for PostgreSQL a pg_dump."""
    if settings.persistence == "sqlite":
        wal = settings.sqlite_path.with_name(settings.sqlite_path.name + "-wal")
        return settings.sqlite_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    return subprocess.run(
        ["pg_dump", "-h", settings.postgres_host, "-p", str(settings.postgres_port), "-U", settings.postgres_user,
         "--inserts", settings.postgres_dbname], check=True, capture_output=True,
    ).stdout


def wrapped_keys(settings, refs: list[str]) -> list[bytes]:
    found = {}
    if settings.persistence == "sqlite":
        with sqlite3.connect(settings.sqlite_path) as db:
            for ref, wrapped in db.execute("SELECT ref, wrapped FROM trellis_keys"):
                found[ref] = wrapped
    else:
        with _pg(settings) as db:
            for ref, wrapped in db.execute("SELECT ref, wrapped FROM trellis_keys"):
                found[ref] = wrapped and bytes(wrapped)
    return [found[ref] for ref in refs if found.get(ref)]


def forms(value: bytes) -> list[bytes]:
    """A byte string as it may appear in a file or a dump: raw, hex (bytea), base64."""
    import base64

    return [value, value.hex().encode(), base64.b64encode(value)]


@pytest.fixture
def erased(app, settings, client, logs, clock):
    world = World.create(app)
    mentor_id, mentor = world.mentor(capacity=4, name="Kept Mentor")
    subject = plant(app, world, mentor_id, mentor, "subject")
    bystander = plant(app, world, mentor_id, mentor, "bystander")
    refs = [f"subject:{subject.mentee.id}", f"special:{subject.mentee.id}", f"partnership:{subject.partnership_id}"]
    keys = wrapped_keys(settings, refs)
    dpo = person(app, Role.DPO)
    admin = {"Authorization": f"Bearer {issue_token(settings, 'admin-of-' + world.programme_id.hex, ['administrator'])}"}
    client.app.state.runner.wait()
    before = client.get(f"/cases/{subject.case_id}", headers=admin).json()
    as_dpo = {"Authorization": f"Bearer {issue_token(settings, identity_of(dpo), ['dpo'])}"}
    request = client.post("/retention/erasure-requests", headers=as_dpo,
                          json={"identity": subject.identity, "received_on": TODAY.isoformat()})
    assert request.status_code == 201, request.text
    executed = client.post(f"/retention/erasure-requests/{request.json()['id']}/execute", headers=as_dpo)
    assert executed.status_code == 200, executed.text
    client.app.state.runner.wait()
    return {"world": world, "subject": subject, "bystander": bystander, "keys": keys, "mentor": mentor,
            "mentor_id": mentor_id, "before": before, "admin": admin, "request": request.json()["id"]}


class TestNothingOfTheSubjectIsLeft:
    def test_the_scans_could_see_the_subject_before_the_erasure(self, erased):
        assert erased["before"]["mentee_name"] == f"subject {erased['subject'].marker}"
        assert len(erased["keys"]) == 3  # their personal, special-category and partnership keys were live

    def test_no_table_of_the_database_holds_their_marker_identity_or_keys(self, settings, erased):
        tables = raw_tables(settings)
        assert {"trellis_keys", "trellis_people", "rm_dashboard_people"} <= set(tables)
        everything = b"\x01".join(tables.values())
        for needle in (erased["subject"].marker.encode(), erased["subject"].identity.encode(),
                       *(form for key in erased["keys"] for form in forms(key))):
            hits = [name for name, content in tables.items() if needle in content]
            assert hits == [], f"{needle[:20]!r} found in {hits}"
        assert erased["subject"].mentee.id.encode() in everything  # history keeps its shape, by opaque id

    def test_the_database_files_hold_none_of_it(self, settings, erased):
        files = database_files(settings)
        assert b"trellis_keys" in files or settings.persistence == "sqlite"  # the dump was read
        for needle in (erased["subject"].marker.encode(), erased["subject"].identity.encode(),
                       *(form for key in erased["keys"] for form in forms(key))):
            assert needle not in files, needle[:20]

    def test_no_log_line_holds_their_marker_or_identity(self, erased, logs):
        text = logs.getvalue()
        assert "request_handled" in text  # the log was captured
        assert erased["subject"].marker not in text and erased["subject"].identity not in text

    def test_no_api_answer_for_any_role_holds_their_marker(self, app, settings, client, erased):
        subject, world = erased["subject"], erased["world"]
        ids = {"case_id": subject.case_id, "partnership_id": subject.partnership_id,
               "mentor_id": erased["mentor_id"], "programme_id": world.programme_id, "name": "index.html",
               "request_id": erased["request"], "hold_id": erased["request"]}
        people = {"mentee": identity_of(subject.mentee), "line_manager": identity_of(subject.manager),
                  "mentor": identity_of(erased["mentor"])}
        answers = []
        for route, path in api_routes(client.app).values():
            if "GET" not in route.methods:
                continue
            for role in ROLES:
                token = issue_token(settings, people.get(role, f"{role}-{world.programme_id.hex}"), [role])
                params = {"programme_id": str(world.programme_id), "on": TODAY.isoformat(),
                          "period": f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"}
                answer = client.get(path.format(**ids), params=params, headers={"Authorization": f"Bearer {token}"})
                assert answer.status_code < 500, (path, role, answer.text)
                # /me and /me/export repeat the caller's own token to them: someone signing in with
                # the erased identity sees it (as a new person), which is no data Trellis kept
                if path.startswith("/me") and role == "mentee":
                    answers.append(answer.text.replace(subject.identity, ""))
                    if path == "/me/export":
                        assert answer.json()["records"] == [] and answer.json()["who_acted"] == []
                else:
                    answers.append(answer.text)
        assert any(erased["bystander"].marker in a for a in answers)  # the bystander's data is served
        assert not [a for a in answers if erased["subject"].marker in a or erased["subject"].identity in a]


class TestTheBystanderAndTheHistory:
    def test_the_bystander_reads_everything_of_theirs(self, settings, client, erased):
        bystander = erased["bystander"]
        token = issue_token(settings, bystander.identity, ["mentee"])
        records = client.get(f"/partnerships/{bystander.partnership_id}/sessions",
                             headers={"Authorization": f"Bearer {token}"}).json()
        assert [(r["notes"], r["actions"]) for r in records] == [(f"notes {bystander.marker}",
                                                                  f"actions {bystander.marker}")]
        case = client.get(f"/cases/{bystander.case_id}", headers=erased["admin"]).json()
        assert case["mentee_name"] == f"bystander {bystander.marker}"

    def test_the_subjects_history_keeps_its_shape_and_reads_erased(self, settings, clock, erased):
        subject = erased["subject"]
        fresh = build_app(settings, clock=clock)
        try:
            case = fresh.load(Case, subject.case_id)
            assert case.details["name"].value is ERASED and case.special.value is ERASED
            still_open = fresh.load(Case, subject.other_case_id)
            assert (still_open.stage.value, still_open.closed_reason.value) == ("closed", "erased")
            assert fresh.session_records(subject.partnership_id, erased["mentor"])[0].notes is ERASED
            assert fresh.people.person_for(subject.identity, create=False) is None
        finally:
            fresh.close()

    def test_the_completion_names_no_one_and_says_who_ran_it(self, app, client, erased):
        (request,) = [r for r in app.current_read_models().requests("erasure") if r.request_id == str(erased["request"])]
        assert request.state == "completed" and request.closed_by is not None
        assert json.dumps(request.outcome).isascii() and erased["subject"].marker not in json.dumps(request.outcome)
        assert request.outcome["keys_destroyed"] == 3 and request.outcome["cases_closed"] == 1
        assert set(request.outcome) == {"cases_closed", "cases_returned_to_matching", "partnerships_ended",
                                        "mentor_records_closed", "keys_destroyed", "identity_links_removed",
                                        "idempotency_records_deleted"}
