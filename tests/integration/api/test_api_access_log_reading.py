"""Reading the access log: append-only in the database itself, on both, erasure included (it
holds opaque ids only, so it keeps every entry); the auditor and the DPO filter it by reader,
object, route and days and page through it, in a shape OpenAPI documents, and no one else
reads it; and a person's subject-access export (their own and the DPO's copy) says who viewed
their records — by role and when, "you" where it was them, never another person's id, lists
marked as lists."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest

from access_log_support import PERSONAL_READS, TABLE, last, rows, scene, ticking
from api.http.app import create_app
from api.settings import Settings
from domain import Role
from lifecycle import TODAY, World, person

APPEND_ONLY = "append-only"


@contextmanager
def raw_connection(settings) -> Iterator[Any]:
    """A connection of the database's own driver, past everything of ours."""
    if settings.persistence == "sqlite":
        with closing(sqlite3.connect(settings.sqlite_path)) as connection:
            yield connection
        return
    with psycopg.connect(host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
                         dbname=settings.postgres_dbname) as connection:
        yield connection


CHANGES = [
    f"UPDATE {TABLE} SET reader_id = 'someone-else'",
    f"UPDATE {TABLE} SET at = '2000-01-01T00:00:00.000000+00:00' WHERE entry = (SELECT MAX(entry) FROM {TABLE})",
    f"DELETE FROM {TABLE}",
    f"DELETE FROM {TABLE} WHERE entry = (SELECT MAX(entry) FROM {TABLE})",
]
TRUNCATE = f"TRUNCATE {TABLE}"  # PostgreSQL's; SQLite has none (its DELETE without WHERE is above)


class TestAppendOnly:
    def test_the_database_refuses_to_change_or_remove_an_entry(self, api, settings):
        s = scene(api)
        assert api.get(f"/cases/{s.case_id}", s.people[Role.ADMINISTRATOR]).status_code == 200
        before = rows(api)
        statements = CHANGES + ([TRUNCATE] if settings.persistence == "postgres" else [])
        for statement in statements:
            with raw_connection(settings) as connection, pytest.raises(Exception, match=APPEND_ONLY):
                connection.execute(statement)
        assert rows(api) == before and before[-1]["reader_id"] == s.people[Role.ADMINISTRATOR].id

    def test_a_new_entry_is_still_appended_after_a_refusal(self, api, settings):
        s = scene(api)
        with raw_connection(settings) as connection, pytest.raises(Exception, match=APPEND_ONLY):
            connection.execute(CHANGES[0])
        before = last(api)
        assert api.get(f"/partnerships/{s.partnership_id}", s.people[Role.AUDITOR]).status_code == 200
        assert [(r["reader_id"], r["route"]) for r in rows(api, before)] == [
            (s.people[Role.AUDITOR].id, "GET /partnerships/{partnership_id}")]


class TestErasureRemovesNothing:
    def test_erasing_a_reader_who_was_also_read_leaves_every_entry_naming_no_one(self, api):
        """The log holds opaque ids alone; erasure unlinks the person from theirs, and the rows stay."""
        world = World.create(api.trellis)
        case = world.case("approved")
        mentee, admin, dpo = case["mentee"], person(api.trellis, Role.ADMINISTRATOR), person(api.trellis, Role.DPO)
        api.settle()
        for reader in (mentee, admin):
            assert api.get(f"/cases/{case['case_id']}", reader).status_code == 200
        before = rows(api)
        assert [r["reader_id"] for r in before[-2:]] == [mentee.id, admin.id]
        assert api.trellis.people.identity_of(mentee.id) is not None
        request = api.trellis.receive_request("erasure", dpo, TODAY, person_id=mentee.id)
        api.settle()
        api.trellis.execute_erasure(request.id, dpo)
        assert rows(api) == before
        assert api.trellis.people.identity_of(mentee.id) is None


YEARS = itertools.count(2089, -1)  # each story reads in a year of its own, so a day names only its reads


class TestOversightReadsTheLog:
    @pytest.fixture
    def story(self, api, clock):
        """Five reads over three days, by an administrator, an auditor and the mentee."""
        s, year = scene(api), next(YEARS)
        admin, auditor, mentee = (s.people[r] for r in (Role.ADMINISTRATOR, Role.AUDITOR, Role.MENTEE))
        for n, actor, path in [
            (1, admin, f"/cases/{s.case_id}"), (1, admin, f"/partnerships/{s.partnership_id}"),
            (2, auditor, f"/audit/cases/{s.case_id}/as-of?on={TODAY}"), (2, mentee, f"/cases/{s.case_id}"),
            (3, admin, f"/cases/{s.case_id}/timeline"),
        ]:
            clock.set(datetime(year, 5, n, 12, 0, tzinfo=UTC))
            assert api.get(path, actor).status_code == 200, path
        clock.set(datetime(year, 5, 9, 12, 0, tzinfo=UTC))
        return s, year

    @pytest.mark.parametrize("role", [Role.AUDITOR, Role.DPO])
    def test_filters_by_reader_object_route_and_days(self, api, story, role):
        s, year = story
        reader = s.people[role]
        admin, auditor, mentee = (s.people[r].id for r in (Role.ADMINISTRATOR, Role.AUDITOR, Role.MENTEE))

        def found(**params):
            response = api.get("/audit/access-log", reader, params=params)
            assert response.status_code == 200, response.text
            return [(e["reader_id"], e["reader_role"], e["route"], e["object_kind"], e["object_id"], e["at"])
                    for e in response.json()]

        case, partnership = str(s.case_id), str(s.partnership_id)
        read_case = ("GET /cases/{case_id}", "case", case)
        assert found(reader=admin) == [
            (admin, "administrator", *read_case, f"{year}-05-01T12:00:00.000000+00:00"),
            (admin, "administrator", "GET /partnerships/{partnership_id}", "partnership", partnership,
             f"{year}-05-01T12:00:00.000000+00:00"),
            (admin, "administrator", "GET /cases/{case_id}/timeline", "history", case,
             f"{year}-05-03T12:00:00.000000+00:00"),
        ]
        assert [f[0] for f in found(object_id=case)] == [admin, auditor, mentee, admin]
        assert [f[0] for f in found(object_id=case, object_kind="case")] == [admin, auditor, mentee]
        assert [f[0] for f in found(object_id=case, route="GET /cases/{case_id}")] == [admin, mentee]
        assert [f[2] for f in found(since=f"{year}-05-02", until=f"{year}-05-02")] == [
            "GET /audit/cases/{case_id}/as-of", "GET /cases/{case_id}"]
        assert [f[2] for f in found(reader=admin, since=f"{year}-05-02")] == ["GET /cases/{case_id}/timeline"]
        assert [f[2] for f in found(reader=admin, until=f"{year}-05-01")] == [
            "GET /cases/{case_id}", "GET /partnerships/{partnership_id}"]
        assert found(reader=admin, route="GET /statistics") == []
        assert [(f[0], f[1]) for f in found(object_id=case, reader_role="auditor")] == [(auditor, "auditor")]
        assert [f[0] for f in found(object_id=case, reader_role="mentee")] == [mentee]

    def test_pages_through_every_entry_once_in_the_order_written(self, api, story):
        s, _ = story
        reader, admin = s.people[Role.AUDITOR], s.people[Role.ADMINISTRATOR].id
        pages, after = [], 0
        while page := api.get("/audit/access-log", reader, params={"reader": admin, "limit": 2, "after": after}).json():
            pages.append([e["route"] for e in page])
            after = page[-1]["entry"]
        assert pages == [["GET /cases/{case_id}", "GET /partnerships/{partnership_id}"],
                         ["GET /cases/{case_id}/timeline"]]

    @pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.LINE_MANAGER, Role.MENTOR, Role.MENTEE])
    def test_no_other_role_reads_it(self, api, story, role):
        s, before = story[0], last(api)
        response = api.get("/audit/access-log", s.people[role], params={"reader": s.people[role].id})
        assert response.status_code == 403
        assert "entry" not in response.text and rows(api, before) == []


class TestItsShapeIsDocumented:
    def test_the_openapi_schema_describes_a_page_of_entries_and_every_kind(self):
        """The auditor's workspace reads the log through this shape."""
        schema = create_app(Settings(environment="test")).openapi()
        operation = schema["paths"]["/audit/access-log"]["get"]
        assert {p["name"] for p in operation["parameters"]} >= {
            "reader", "reader_role", "object_kind", "object_id", "route", "since", "until", "after", "limit"}
        page = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert page["type"] == "array"
        entry = schema["components"]["schemas"][page["items"]["$ref"].rsplit("/", 1)[1]]
        assert set(entry["properties"]) == {"entry", "at", "reader_id", "reader_role", "route", "object_kind",
                                            "object_id"}
        assert all(p.get("description") for p in entry["properties"].values())
        kinds = schema["components"]["schemas"][entry["properties"]["object_kind"]["$ref"].rsplit("/", 1)[1]]["enum"]
        assert set(kinds) >= {kind for kind, _ in PERSONAL_READS.values()}

    def test_the_openapi_schema_describes_who_viewed_in_the_persons_and_the_officers_export(self):
        schema = create_app(Settings(environment="test")).openapi()
        components = schema["components"]["schemas"]

        def named(ref: dict[str, Any]) -> dict[str, Any]:
            return components[ref["$ref"].rsplit("/", 1)[1]]

        for path in ("/me/export", "/retention/subject-access-requests/{request_id}/export"):
            export = named(schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"])
            assert set(export["properties"]) == {"person_id", "identity", "generated_at", "records", "who_acted",
                                                 "confidential_withheld", "who_viewed"}
            viewed = export["properties"]["who_viewed"]
            assert "who viewed your records" in viewed["description"].lower()
            assert set(named(viewed["items"])["properties"]) == {"at", "who", "route", "record", "record_id", "scope"}
            assert set(named(export["properties"]["who_acted"]["items"])["properties"]) == {
                "at", "who", "what", "record", "record_id", "for"}


# After every other test's reads: a list of the whole service read before the person's first
# record could not include them, so the export leaves it out (other tests read at 2026-2089).
LATER = datetime(2400, 1, 1, 9, 0, tzinfo=UTC)


class TestTheSubjectAccessExport:
    def test_says_who_viewed_their_records_by_role_and_when(self, api, clock):
        """Their records and the lists that can include them, from when they could; nothing of
        another's record, another programme, or a list they are not on; no reader's id."""
        tick = ticking(clock, LATER)
        admin, auditor, dpo = (person(api.trellis, r) for r in (Role.ADMINISTRATOR, Role.AUDITOR, Role.DPO))
        world, other_world = World.create(api.trellis), World.create(api.trellis)
        api.settle()
        for reader, path in ((auditor, "/audit/events"), (admin, f"/cases?programme_id={world.programme_id}")):
            tick()  # lists read before the mentee had any record: they cannot have included them
            assert api.get(path, reader).status_code == 200
        tick()
        mentor_id, mentor = world.mentor(capacity=2)
        case = world.case("active", mentor_id)
        someone_else = world.case("eoi")
        mentee, manager, case_id, partnership_id = case["mentee"], case["manager"], case["case_id"], case["partnership_id"]
        request_id = api.trellis.receive_request("access", dpo, TODAY, person_id=mentee.id).id
        api.settle()
        programme, other_programme = world.programme_id, other_world.programme_id
        reads = [  # (reader, path, what the export shows, or None when it is not theirs)
            (admin, f"/cases/{case_id}", ("an administrator", "GET /cases/{case_id}", "your case", case_id, "own")),
            (manager, "/line-manager/reports", ("a line manager", "GET /line-manager/reports",
                                                "your line manager's reports", None, "list")),
            (mentor, f"/partnerships/{partnership_id}/sessions", ("a mentor", "GET /partnerships/{partnership_id}/sessions",
                                                                  "your partnership", partnership_id, "own")),
            (mentee, f"/cases/{case_id}", ("you", "GET /cases/{case_id}", "your case", case_id, "own")),
            (admin, f"/cases?programme_id={programme}", ("an administrator", "GET /cases", "a programme's cases",
                                                         programme, "list")),
            (admin, f"/partnerships?programme_id={programme}", (
                "an administrator", "GET /partnerships", "a programme's partnerships", programme, "list")),
            (admin, f"/mentors?programme_id={programme}", None),  # the directory lists mentors, not mentees
            (admin, f"/cases/{someone_else['case_id']}", None),
            (admin, f"/cases?programme_id={other_programme}", None),
            (auditor, "/audit/events", ("an auditor", "GET /audit/events", "a list of the whole service", None, "list")),
            (auditor, f"/audit/events?aggregate_id={case_id}", ("an auditor", "GET /audit/events",
                                                                "the history of your case", case_id, "own")),
            (dpo, f"/retention/subject-access-requests/{request_id}/export", (
                "a data-protection officer", "GET /retention/subject-access-requests/{request_id}/export",
                "your data-protection request", request_id, "own")),
            (dpo, f"/retention/consents?person_id={mentee.id}", (
                "a data-protection officer", "GET /retention/consents", "your consent records", None, "own")),
            (dpo, f"/retention/consents?person_id={manager.id}", None),  # someone else's
            (admin, f"/programmes/{programme}/timeline", ("an administrator", "GET /programmes/{programme_id}/timeline",
                                                          "a programme's history", programme, "list")),
            (admin, f"/programmes/{other_programme}/timeline", None),
        ]
        expected = []
        for reader, path, shown in reads:
            at = tick()
            assert api.get(path, reader).status_code == 200, path
            if shown is not None:
                who, route, record, record_id, scope = shown
                expected.append({"at": at.isoformat(), "who": who, "route": route, "record": record,
                                 "record_id": None if record_id is None else str(record_id),
                                 "scope": {"own": "your record", "list": "a list that can include you"}[scope]})
        tick()
        export = api.get("/me/export", mentee).json()
        assert export["who_viewed"] == expected
        assert not [p.id for p in (admin, manager, mentor, auditor, dpo) if p.id in json.dumps(export["who_viewed"])]
        again = api.get("/me/export", mentee).json()["who_viewed"]  # the first export was itself a read
        own_export = {"at": None, "who": "you", "route": "GET /me/export", "record": "you", "record_id": None,
                      "scope": "your record"}
        assert again[:-1] == expected and again[-1] | {"at": None} == own_export
        officers = api.get(f"/retention/subject-access-requests/{request_id}/export", dpo).json()["who_viewed"]
        assert officers[:-2] == expected and [v | {"at": None} for v in officers[-2:]] == [own_export, own_export]

    def test_the_printable_copy_says_it_too(self, api, clock):
        clock.set(LATER)
        world = World.create(api.trellis)
        case = world.case("approved")
        api.settle()
        admin = person(api.trellis, Role.ADMINISTRATOR)
        clock.set(datetime(2400, 1, 2, 9, 0, tzinfo=UTC))
        assert api.get(f"/cases/{case['case_id']}", admin).status_code == 200
        page = api.get("/me/export.html", case["mentee"]).text
        viewed = page.split("Who viewed your records", 1)[1]
        assert "2400-01-02T09:00:00+00:00" in viewed and "an administrator" in viewed
        assert "GET /cases/{case_id}" in viewed and admin.id not in page
