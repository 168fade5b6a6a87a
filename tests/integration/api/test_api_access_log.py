"""Who read what: every personal-data read the API serves adds one access-log entry — the
reader's opaque id, the role, the object, the route's template, the app's clock — and
nothing else does; a refused read records nothing; no content ever enters the log.

The routes and what each reads are written out in access_log_support.py, not read from the
app's table; every GET route of the app must be classed there, and a walk of all of them
proves that a route whose answer carries someone's data is one the log records. The app itself
refuses to start with a GET route it has not been told about; an entry costs one INSERT.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from types import SimpleNamespace
from uuid import UUID

import pytest
from fastapi import APIRouter

from access_log_support import ISO_UTC, NOT_PERSONAL, PERSONAL_READS, TABLE, last, read, rows, scene, ticking
from api.http import app as app_module
from api.http.app import create_app
from api.http.policy import route_keys
from api.http.rules import POLICY, READS, Reads, Rule, Scope
from api.services.access_log import Kind
from projections.sql import Cursor
from api.settings import Settings
from api_expectations import expectation_table
from api_support import ROLES
from domain import Role
from lifecycle import World, person, unique
from test_api_canaries import CONFIDENTIAL, FEEDBACK, SPECIAL, story

EXPECTED = expectation_table()
START = datetime(2031, 3, 4, 8, 0, tzinfo=UTC)


def allowed(key: str) -> list[Role]:
    """The roles the issue lets read the route (on their own object, where it says so)."""
    return [Role(role) for role in EXPECTED[key]]


class TestEveryGetRouteIsClassed:
    def test_each_is_a_personal_data_read_or_serves_nothing_personal(self):
        gets = {k for k in route_keys(create_app(Settings(environment="test"))) if k.startswith("GET ")}
        assert not set(PERSONAL_READS) & NOT_PERSONAL
        assert gets == set(PERSONAL_READS) | NOT_PERSONAL

    def test_no_personal_data_read_is_public(self):
        """Every entry names its reader, so every personal-data read needs a signed-in one."""
        assert [key for key in PERSONAL_READS if "public" in EXPECTED[key].values()] == []


class TestANewRouteMustSayWhatItReads:
    """Declaring is obligatory: the app refuses to start with a GET route it cannot log rightly."""

    def app_with(self, monkeypatch, path: str, rule: Rule, reads: Reads | None = None):
        extra = APIRouter()
        extra.add_api_route(path, lambda case_id: {"case_id": case_id}, methods=["GET"])
        monkeypatch.setattr(app_module, "ROUTERS", (*app_module.ROUTERS, SimpleNamespace(router=extra)))
        monkeypatch.setitem(POLICY, f"GET {path}", rule)
        if reads is not None:
            monkeypatch.setitem(READS, f"GET {path}", reads)
        return app_module.create_app(Settings(environment="test"))

    def test_an_undeclared_get_route_stops_the_app(self, monkeypatch):
        with pytest.raises(RuntimeError, match=re.escape("GET /cases/{case_id}/copy")):
            self.app_with(monkeypatch, "/cases/{case_id}/copy", Rule({Role.ADMINISTRATOR: Scope.ANY}))

    def test_a_public_personal_data_read_stops_the_app(self, monkeypatch):
        with pytest.raises(RuntimeError, match="cannot be public"):
            self.app_with(monkeypatch, "/cases/{case_id}/copy", Rule(public=True), Reads(Kind.CASE, "case_id"))

    def test_naming_a_parameter_the_route_does_not_take_stops_the_app(self, monkeypatch):
        with pytest.raises(RuntimeError, match="takes no parameter 'mentor_id'"):
            self.app_with(monkeypatch, "/cases/{case_id}/copy", Rule({Role.ADMINISTRATOR: Scope.ANY}),
                          Reads(Kind.MENTOR, "mentor_id"))

    def test_a_declared_route_starts(self, monkeypatch):
        """So the refusals above are the declarations', not the extra route's."""
        app = self.app_with(monkeypatch, "/cases/{case_id}/copy", Rule({Role.ADMINISTRATOR: Scope.ANY}),
                            Reads(Kind.CASE, "case_id"))
        assert "GET /cases/{case_id}/copy" in route_keys(app)


class TestEveryPersonalReadIsRecorded:
    def test_once_per_read_with_the_reader_role_object_route_and_time(self, api, clock):
        s = scene(api)
        tick = ticking(clock, START)
        named = {"programme": s.programme_id, "case": s.case_id, "partnership": s.partnership_id,
                 "mentor": s.mentor_id, "erasure": s.requests["erasure"], "access": s.requests["access"]}
        checked = 0
        for key, (kind, by) in PERSONAL_READS.items():
            for role in allowed(key):
                actor, before, moment = s.people[role], last(api), tick()
                response = read(api, key, s, actor)
                assert response.status_code == 200, (key, role, response.text[:200])
                expected_id = actor.id if by == "reader" else None if by is None else str(named[by])
                found = [(r["reader_id"], r["reader_role"], r["route"], r["object_kind"], r["object_id"], r["at"])
                         for r in rows(api, before)]
                assert found == [(actor.id, role.value, key, kind, expected_id, moment.strftime(ISO_UTC))], (key, role)
                checked += 1
        assert checked >= 40  # every allowed role of every personal-data read

    def test_reads_of_nothing_personal_add_nothing(self, api):
        s = scene(api)
        before, served = last(api), 0
        for key in sorted(NOT_PERSONAL):
            for actor in [None, *(s.people[role] for role in ROLES)]:
                served += read(api, key, s, actor).status_code in (200, 307)
        assert served >= 50  # they answered: statistics, static files, health, /me …
        assert rows(api, before) == []


class TestNoPersonalReadEscapes:
    def test_every_get_route_that_answers_with_someones_data_is_recorded(self, api):
        """Markers in the people's names; their opaque ids and their records' ids: any answer of
        any GET route of the app that holds one must come from a route the log records, and
        have added an entry; any other answer must have added none."""
        marker = unique("PERSON-MARKER")
        world = World.create(api.trellis)
        mentor_id, mentor = world.mentor(capacity=2, name=f"{marker} mentor")
        case = world.case("active", mentor_id, name=f"{marker} mentee")
        s = scene(api)
        s.world, s.mentor_id, s.case_id, s.partnership_id = world, mentor_id, case["case_id"], case["partnership_id"]
        s.people.update({Role.MENTOR: mentor, Role.MENTEE: case["mentee"], Role.LINE_MANAGER: case["manager"]})
        api.settle()
        theirs = [marker, *(a.id for a in s.people.values()), str(s.case_id), str(s.partnership_id), str(mentor_id)]
        personal = set()
        for key in route_keys(api.client.app):
            if not key.startswith("GET "):
                continue
            for role in ROLES:
                before = last(api)
                response = read(api, key, s, s.people[role])
                text = response.text if key != "GET /me" else response.text.replace(s.people[role].id, "")
                if response.status_code == 200 and any(t in text for t in theirs):
                    personal.add(key)
                    assert key in PERSONAL_READS, key
                logged = rows(api, before)
                assert len(logged) == (response.status_code == 200 and key in PERSONAL_READS), (key, role)
        assert personal >= {"GET /cases/{case_id}", "GET /cases", "GET /mentors", "GET /partnerships/{partnership_id}"}


class TestARefusedReadRecordsNothing:
    def test_forbidden_unknown_unauthenticated_or_malformed(self, api):
        s, other = scene(api), scene(api)
        before = last(api)
        refused = [
            api.get(f"/cases/{other.case_id}", s.people[Role.MENTEE]),  # 403: not their case
            api.get(f"/cases/{other.case_id}", s.people[Role.LINE_MANAGER]),  # 403: not their report
            api.get(f"/partnerships/{s.partnership_id}/sessions", s.people[Role.ADMINISTRATOR]),  # 403: the pair's
            api.get("/audit/access-log", s.people[Role.ADMINISTRATOR]),  # 403
            api.get(f"/cases/{UUID(int=7)}", s.people[Role.ADMINISTRATOR]),  # 404
            api.get(f"/cases/{s.case_id}", None),  # 401
            api.get("/cases/not-a-uuid", s.people[Role.ADMINISTRATOR]),  # 422
            api.get("/cases", s.people[Role.ADMINISTRATOR]),  # 422: no programme named
            api.get("/audit/access-log", s.people[Role.AUDITOR], params={"since": "2031-03-05", "until": "2031-03-04"}),
            api.get("/audit/access-log", s.people[Role.DPO], params={"object_kind": "names"}),  # 422: no such kind
        ]
        assert [r.status_code for r in refused] == [403, 403, 403, 403, 404, 401, 422, 422, 422, 422]
        assert all(r.headers["content-type"] == "application/problem+json" for r in refused)
        assert "after until" in refused[-2].json()["detail"]
        assert rows(api, before) == []

    def test_a_read_whose_entry_cannot_be_written_is_not_served(self, api, monkeypatch):
        """Fail closed: the entry is written before the answer is sent, or the answer is not sent."""
        marker = unique("UNLOGGED")
        world = World.create(api.trellis)
        case = world.case("eoi", name=marker)
        admin = person(api.trellis, Role.ADMINISTRATOR)
        api.settle()
        assert marker in api.get(f"/cases/{case['case_id']}", admin).text  # served while the log works

        def broken(entry):
            raise OSError("the disk is full")

        monkeypatch.setattr(api.trellis.access_log, "append", broken)
        response = api.get(f"/cases/{case['case_id']}", admin)
        assert response.status_code == 500 and marker not in response.text


class TestAnEntryCostsOneInsert:
    def test_a_logged_read_writes_one_row_in_one_insert_and_another_read_touches_no_log(self, api, settings,
                                                                                          monkeypatch):
        """One INSERT; on PostgreSQL after the table's write lock, so entries commit in their order."""
        s = scene(api)
        written = ["LOCK", "INSERT"] if settings.persistence == "postgres" else ["INSERT"]
        statements: list[str] = []
        execute = Cursor.execute

        def counted(cursor, sql, params=()):
            if TABLE in sql:
                statements.append(sql.split(None, 1)[0].upper())
            return execute(cursor, sql, params)

        monkeypatch.setattr(Cursor, "execute", counted)
        admin = s.people[Role.ADMINISTRATOR]
        assert api.get(f"/cases/{s.case_id}", admin).status_code == 200
        assert statements == written
        assert read(api, "GET /statistics", s, admin).status_code == 200
        assert statements == written


class TestAnEntryNamesOnlyAnId:
    def test_a_filter_on_a_person_names_them_and_a_free_string_names_nothing(self, api):
        s = scene(api)
        dpo, mentee = s.people[Role.DPO], s.people[Role.MENTEE]
        before = last(api)
        for value in (mentee.id, "Mae Mentee"):
            assert api.get("/retention/consents", dpo, params={"person_id": value}).status_code == 200
        assert [(r["object_kind"], r["object_id"]) for r in rows(api, before)] == [
            ("data_protection", mentee.id), ("data_protection", None)]


OPAQUE = re.compile(r"^p-[0-9a-f]+$")
KINDS = {kind for kind, _ in PERSONAL_READS.values()}


class TestNoContentEntersTheLog:
    def test_canaries_read_by_everyone_are_in_no_entry_no_answer_and_no_log_line(self, api, captured_logs):
        """The pair's confidential records, special-category answers and feedback, read through
        every personal-data route as every role: none of it reaches the log's table, its answers
        or a log line, and every cell of every entry is an id, a role, a route, a kind or a time."""
        world = story(api)
        ids, people = world["ids"], world["people"]
        params = {"programme_id": ids["programme_id"], "on": "2026-06-01"}
        start, served = last(api), 0
        for key in PERSONAL_READS:
            if "{request_id}" in key:
                continue  # the story has no request
            for role in ROLES:
                response = api.client.get(key.split(" ", 1)[1].format(**ids), params=params,
                                          headers=api.headers(people[role]))
                served += response.status_code == 200
        assert served >= 25 and CONFIDENTIAL in api.get(f"/partnerships/{ids['partnership_id']}/sessions",
                                                       people[Role.MENTEE]).text  # the content was there to read
        entries = rows(api, start)
        answers = [api.get("/audit/access-log", people[role], params={"after": start, "limit": 1000}).text
                   for role in (Role.AUDITOR, Role.DPO)]
        everything = json.dumps(entries) + "".join(answers) + captured_logs.getvalue()
        for marker in (CONFIDENTIAL, SPECIAL, FEEDBACK, "Mo Mentor", "Mae Mentee", "mae@example.org"):
            assert marker not in everything
        assert len(json.loads(answers[0])) == len(entries) >= served
        for entry in entries:
            assert set(entry) == {"entry", "at", "reader_id", "reader_role", "route", "object_kind", "object_id"}
            datetime.strptime(entry["at"], ISO_UTC)
            assert OPAQUE.match(entry["reader_id"]) and entry["reader_role"] in {r.value for r in ROLES}
            assert entry["route"] in PERSONAL_READS and entry["object_kind"] in KINDS
            assert entry["object_id"] is None or OPAQUE.match(entry["object_id"]) or UUID(entry["object_id"])
