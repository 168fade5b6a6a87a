"""A unique marker written into every personal and confidential field never reaches the raw tables.

The same marker must read back intact through the application, so the test also fails if
encryption silently dropped data. A control value written into a non-personal field (the
programme's name) must be found in the raw bytes, so the scan is proven able to see text.
"""

from __future__ import annotations

import sqlite3

from uuid import UUID, uuid4

import psycopg
import pytest

from api.bootstrap import build_app
from domain import Actor, Case, Mentor, PersonDetails, Programme, Role
from lifecycle import ADMIN, TODAY, World, unique

TABLES = {
    "sqlite": {"events": "stored_events", "snapshots": "stored_snapshots"},
    "postgres": {"events": "trellis_events", "snapshots": "trellis_snapshots"},
}


def raw_rows(settings, table: str) -> list[tuple[bytes, ...]]:
    """Every row of `table` as raw bytes per column, read past the application."""
    if settings.persistence == "sqlite":
        with sqlite3.connect(settings.sqlite_path) as connection:
            rows = connection.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608 - fixed names
    else:
        with psycopg.connect(
            host=settings.postgres_host, port=settings.postgres_port,
            user=settings.postgres_user, dbname=settings.postgres_dbname,
        ) as connection:
            rows = connection.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608 - fixed names
    return [tuple(as_bytes(value) for value in row) for row in rows]


def as_bytes(value) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return b"" if value is None else str(value).encode()


def blob(rows) -> bytes:
    return b"\n".join(b"\x00".join(row) for row in rows)


def rows_for(rows, aggregate_id: UUID) -> list[tuple[bytes, ...]]:
    wanted = {str(aggregate_id).encode(), aggregate_id.hex.encode(), aggregate_id.bytes}
    return [row for row in rows if wanted & set(row)]


def person(marker: str, label: str) -> PersonDetails:
    return PersonDetails(f"{label} {marker}", f"{label}.{marker}@example.org", f"Job {marker}", f"Org {marker}")


def special(marker: str) -> dict[str, str]:
    return {"ethnicity": f"eth {marker}", "disability": f"dis {marker}", "lived_experience": f"lived {marker}"}


@pytest.fixture
def canary(app):
    """Drives every personal and confidential field through the lifecycle with the marker in it."""
    marker, control = uuid4().hex, uuid4().hex
    world = World.create(app, name=f"Canary programme {control}", exploratory_conversations=1)
    mentor = Actor(unique("mentor"), Role.MENTOR)
    mid = app.express_mentor_interest(world.programme_id, mentor.id, person(marker, "mentor"), mentor).id
    app.complete_mentor_training(mid, TODAY, ADMIN)
    profile = {
        "headline": f"headline {marker}", "bio": f"bio {marker}", "expertise": [f"x{marker}"],
        "sector": f"sector {marker}", "region": f"region {marker}",
    }
    app.join_pool(mid, 3, profile, mentor, special=special(marker), consent=True)

    mentee = Actor(unique("mentee"), Role.MENTEE)
    manager = Actor(unique("manager"), Role.LINE_MANAGER)
    cid = app.submit_eoi(world.programme_id, mentee.id, person(marker, "mentee"), f"statement {marker}", mentee, manager.id).id
    app.approve_eoi(cid, manager, priority=True)
    app.record_exploratory_conversation(cid, mid, TODAY, mentee)
    app.submit_matching_request(cid, [mid], f"goals {marker}", mentee, special=special(marker), consent=True)
    app.propose_match(cid, mid, f"first reasons {marker}", ADMIN)
    app.record_discovery_call(cid, TODAY, mentee)
    app.request_rematch(cid, mentee, reason=f"rematch {marker}")
    app.propose_match(cid, mid, f"second reasons {marker}", ADMIN)
    app.record_discovery_call(cid, TODAY, mentor)
    pid = app.confirm_match(cid, ADMIN).id
    app.sign_agreement(pid, "mentee", mentee)
    app.sign_agreement(pid, "mentor", mentor)
    app.record_session(pid, TODAY, 60, "video", f"notes {marker}", f"actions {marker}", mentor)
    app.review_progress(pid, "extend", f"review {marker}", mentee)
    app.request_extension(pid, 3, mentee)
    app.grant_extension(pid, ADMIN)
    app.end_partnership(pid, "completed", mentee)
    app.request_feedback(pid, ADMIN)
    app.submit_feedback(pid, 5, f"mentee feedback {marker}", mentee)
    app.submit_feedback(pid, 4, f"mentor feedback {marker}", mentor)

    declined = app.submit_eoi(world.programme_id, unique("mentee"), person(marker, "declined"), "s", ADMIN, manager.id).id
    app.decline_eoi(declined, manager, reason=f"decline {marker}")
    withdrawn = app.submit_eoi(world.programme_id, unique("mentee"), person(marker, "withdrawn"), "s", ADMIN, manager.id).id
    app.withdraw_case(withdrawn, ADMIN, reason=f"withdraw {marker}")

    aggregates = {"programme": world.programme_id, "mentor": mid, "case": cid, "partnership": pid,
                  "declined": declined, "withdrawn": withdrawn}
    for aggregate_id in aggregates.values():
        app.take_snapshot(aggregate_id)
    return {"marker": marker, "control": control, "mentee": mentee, "mentor_person": mentor.id, **aggregates}


class TestCanary:
    def test_the_marker_is_absent_from_the_raw_events_and_snapshots(self, app, settings, backend, canary):
        marker, control = canary["marker"].encode(), canary["control"].encode()
        assert (app.recorder.events_table_name, app.snapshots.recorder.events_table_name) == (
            TABLES[backend]["events"], TABLES[backend]["snapshots"],
        )
        events = raw_rows(settings, TABLES[backend]["events"])
        snapshots = raw_rows(settings, TABLES[backend]["snapshots"])
        for name in ("programme", "mentor", "case", "partnership", "declined", "withdrawn"):
            assert rows_for(snapshots, canary[name]), f"no snapshot of the {name} was stored"
            assert rows_for(events, canary[name]), f"no events of the {name} were stored"
        assert control in blob(events) and control in blob(snapshots), "the scan cannot see plain text"
        assert marker not in blob(events)
        assert marker not in blob(snapshots)

    def test_preferences_name_no_mentor_in_the_clear(self, app, settings, backend, canary):
        events = rows_for(raw_rows(settings, TABLES[backend]["events"]), canary["case"])
        (request,) = [row for row in events if any(b"MatchingRequestSubmitted" in column for column in row)]
        assert str(canary["mentor"]).encode() not in blob([request])
        assert canary["mentor"].hex.encode() not in blob([request])

    def test_the_marker_is_absent_from_the_key_table(self, settings, canary):
        keys = raw_rows(settings, "trellis_keys")
        refs = {row[0] for row in keys}
        assert {f"subject:{canary['mentee'].id}".encode(), f"subject:{canary['mentor_person']}".encode(),
                f"partnership:{canary['partnership']}".encode()} <= refs
        assert canary["marker"].encode() not in blob(keys)

    def test_every_field_reads_back_intact_through_a_fresh_application(self, settings, canary):
        marker = canary["marker"]
        fresh = build_app(settings)
        try:
            mentor = fresh.load(Mentor, canary["mentor"])
            assert {k: v.value for k, v in mentor.details.items()} == {
                "name": f"mentor {marker}", "email": f"mentor.{marker}@example.org",
                "job_title": f"Job {marker}", "organisation": f"Org {marker}",
            }
            assert mentor.profile.value == {
                "headline": f"headline {marker}", "bio": f"bio {marker}", "expertise": [f"x{marker}"],
                "sector": f"sector {marker}", "region": f"region {marker}",
            }
            assert mentor.special.value == special(marker)
            case = fresh.load(Case, canary["case"])
            assert case.details["email"].value == f"mentee.{marker}@example.org"
            assert case.preferences.value == [str(canary["mentor"])]
            assert case.special.value == special(marker)
            texts = protected_texts(fresh, canary["case"]) | protected_texts(fresh, canary["partnership"])
            texts |= protected_texts(fresh, canary["declined"]) | protected_texts(fresh, canary["withdrawn"])
            for expected in (
                "statement", "goals", "first reasons", "second reasons", "rematch", "review",
                "mentee feedback", "mentor feedback", "decline", "withdraw",
            ):
                assert f"{expected} {marker}" in texts
            (session,) = fresh.session_records(canary["partnership"], canary["mentee"])
            assert (session.notes, session.actions) == (f"notes {marker}", f"actions {marker}")
            assert fresh.load(Programme, canary["programme"]).settings.name == f"Canary programme {canary['control']}"
        finally:
            fresh.close()


def protected_texts(app, aggregate_id) -> set[str]:
    """The plain values of every protected field of every event of one aggregate."""
    found = set()
    for event in app.events.get(aggregate_id):
        for value in vars(event).values():
            if hasattr(value, "owner") and isinstance(getattr(value, "value", None), str):
                found.add(value.value)
    return found
