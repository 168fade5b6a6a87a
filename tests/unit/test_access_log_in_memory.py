"""The access log of an in-memory application (no database): the same entries, filters, pages
and selection of what concerns a person as the SQL one the API tests drive on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from api.persistence.access_log import AccessQuery
from api.services.access_log import Kind
from domain import Actor, Role

ADMIN, AUDITOR = Actor("p-a1", Role.ADMINISTRATOR), Actor("p-b2", Role.AUDITOR)
CASE, OTHER_CASE = "2f1c0e9a-0000-4000-8000-000000000001", "2f1c0e9a-0000-4000-8000-000000000002"


def day(n: int) -> datetime:
    return datetime(2030, 1, n, 12, 0, tzinfo=UTC)


def recorded(app, clock) -> None:
    for n, actor, route, kind, object_id in [
        (1, ADMIN, "GET /cases/{case_id}", Kind.CASE, CASE),
        (2, AUDITOR, "GET /audit/cases/{case_id}/as-of", Kind.CASE, CASE),
        (2, ADMIN, "GET /cases/{case_id}", Kind.CASE, OTHER_CASE),
        (3, AUDITOR, "GET /audit/events", Kind.HISTORY, None),
    ]:
        clock.set(day(n))
        app.record_read(actor, route, kind, object_id)


def found(app, **filters) -> list[tuple[int, str, str, str | None, datetime]]:
    return [(e.entry, e.reader_id, e.route, e.object_id, e.at) for e in app.access_entries(AccessQuery(**filters))]


class TestTheInMemoryLog:
    def test_records_each_read_with_the_clocks_time_in_order(self, memory_app, clock):
        recorded(memory_app, clock)
        assert found(memory_app) == [
            (1, "p-a1", "GET /cases/{case_id}", CASE, day(1)),
            (2, "p-b2", "GET /audit/cases/{case_id}/as-of", CASE, day(2)),
            (3, "p-a1", "GET /cases/{case_id}", OTHER_CASE, day(2)),
            (4, "p-b2", "GET /audit/events", None, day(3)),
        ]

    def test_filters_and_pages(self, memory_app, clock):
        recorded(memory_app, clock)

        def entries(**filters) -> list[int]:
            return [e[0] for e in found(memory_app, **filters)]

        assert entries(reader_id="p-a1") == [1, 3]
        assert entries(reader_role="auditor") == [2, 4]
        assert entries(object_id=CASE) == [1, 2]
        assert entries(object_kind="history") == [4]
        assert entries(route="GET /cases/{case_id}") == [1, 3]
        assert entries(since=day(2), until=day(2)) == [2, 3]
        assert entries(after=1, limit=2) == [2, 3]

    def test_finds_what_concerns_someone_and_the_whole_service_only_from_when_given(self, memory_app, clock):
        recorded(memory_app, clock)
        assert [e.entry for e in memory_app.access_log.about({CASE}, None)] == [1, 2]
        assert [e.entry for e in memory_app.access_log.about({CASE}, day(3))] == [1, 2, 4]
        assert [e.entry for e in memory_app.access_log.about(set(), day(4))] == []
