"""Privacy by construction: confidential and special-category values never enter a read
model, a log line or a projection's hands; each read model holds only its allow-list."""

from __future__ import annotations

import json
import logging

from uuid import uuid4

import pytest
from read_model_checks import tables_beside_the_events
from lifecycle import ADMIN, TODAY, World

from domain import Actor, Confidential, Partnership, Personal, PersonDetails, Role, SpecialCategory
from projections import line_managers, statistics
from projections.decoding import WITHHELD, Deferred
from projections.rows import PrivacyViolation, as_recorded, row, sealed


def plant_canaries(app, secret: str, personal: str) -> dict:
    """A whole lifecycle with `secret` in every confidential and special-category field,
    and `personal` in every personal field that is not a name."""
    world = World.create(app)
    special = {"ethnicity": secret, "disability": secret, "lived_experience": secret}
    mentor_person = f"mentor-{uuid4().hex[:8]}"
    mentor_actor = Actor(mentor_person, Role.MENTOR)
    mentor = app.express_mentor_interest(
        world.programme_id, mentor_person, PersonDetails("Canary Mentor", f"{personal}@example.org", personal, personal),
        mentor_actor,
    ).id
    app.complete_mentor_training(mentor, TODAY, ADMIN)
    app.join_pool(mentor, 3, {"headline": "Head", "expertise": ["maths"]}, mentor_actor, special=special, consent=True)
    mentee = Actor(f"mentee-{uuid4().hex[:8]}", Role.MENTEE)
    manager = Actor(f"manager-{uuid4().hex[:8]}", Role.LINE_MANAGER)
    case_id = app.submit_eoi(world.programme_id, mentee.id,
                             PersonDetails("Canary Mentee", f"{personal}@example.org", personal, personal),
                             personal, mentee, line_manager_id=manager.id).id
    app.approve_eoi(case_id, manager)
    app.submit_matching_request(case_id, [mentor], personal, mentee, special=special, consent=True)
    app.propose_match(case_id, mentor, personal, ADMIN)
    app.record_discovery_call(case_id, TODAY, ADMIN)
    partnership = app.confirm_match(case_id, ADMIN).id
    app.sign_agreement(partnership, "mentee", mentee)
    app.sign_agreement(partnership, "mentor", mentor_actor)
    app.record_session(partnership, TODAY, 60, "video", secret, secret, mentee)
    app.review_progress(partnership, "extend", secret, mentor_actor)
    app.request_extension(partnership, 3, mentee)
    app.grant_extension(partnership, ADMIN)
    app.end_partnership(partnership, "completed", mentee)
    app.request_feedback(partnership, ADMIN)
    app.submit_feedback(partnership, 4, personal, mentee)
    app.submit_feedback(partnership, 5, personal, mentor_actor)
    other = app.submit_eoi(world.programme_id, f"{mentee.id}-2",
                           PersonDetails("Second Mentee", "x@example.org"), personal,
                           Actor(f"{mentee.id}-2", Role.MENTEE), line_manager_id=manager.id).id
    app.decline_eoi(other, manager, personal)
    return {"partnership_id": partnership, "case_id": case_id, "manager": manager, "world": world}


def scan(store, marker: str) -> list[str]:
    """Every (table, column) of every table beside the events whose value contains `marker`."""
    hits = []
    for table in tables_beside_the_events(store):
        for record in store.query(f"SELECT * FROM {table}"):
            hits += [f"{table}.{col}" for col, value in record.items() if marker in _text(value)]
    return hits


class TestCanaries:
    def test_no_confidential_or_special_value_reaches_any_read_model_or_log(self, app, runner, caplog, capsys):
        secret, personal = f"SECRET-{uuid4().hex}", f"PERSONAL-{uuid4().hex}"
        caplog.set_level(logging.DEBUG)
        runner.start_in_thread()
        planted = plant_canaries(app, secret, personal)
        runner.wait(app.recorder.max_notification_id())
        runner.stop()
        assert "rm_dashboard_cases.case_id" in scan(runner.store, str(planted["case_id"]))  # the scan finds what is there
        assert scan(runner.store, secret) == []
        assert scan(runner.store, personal) == []  # statements, goals, reasons, comments, e-mails
        assert scan(runner.store, "Canary Mentee") == []  # names are kept sealed, never in clear
        captured = capsys.readouterr()
        assert secret not in caplog.text + captured.out + captured.err
        # the read models did see the case: the scan had rows to look at
        summary = runner.store.query("SELECT * FROM rm_dashboard_cases WHERE case_id = ?", (str(planted["case_id"]),))
        assert summary and summary[0]["stage"] == "closed"

    def test_the_projections_decode_confidential_content_sealed(self, app, runner):
        secret = f"SECRET-{uuid4().hex}"
        planted = plant_canaries(app, secret, "p")
        sessions = [
            runner.mapper.to_domain_event(n)
            for n in app.recorder.select_notifications(start=0, limit=10**6, topics=[_topic(Partnership.SessionHeld)])
            if n.originator_id == planted["partnership_id"]
        ]
        assert sessions and sessions[0].notes.value is WITHHELD and sessions[0].actions.value is WITHHELD


class TestRowsRefuseProtectedValues:
    @pytest.mark.parametrize("kind", [Confidential, SpecialCategory])
    def test_a_row_refuses_confidential_and_special_values(self, kind):
        with pytest.raises(PrivacyViolation):
            row(case_id="c", notes=kind("owner", "the content"))
        with pytest.raises(PrivacyViolation):
            sealed(kind("owner", "the content"))

    def test_a_personal_value_enters_only_sealed_as_its_event_stored_it(self):
        stored = {"o": "someone", "c": "c2VhbGVk"}
        with pytest.raises(PrivacyViolation):
            row(name=Personal("someone", "A Name"))
        with pytest.raises(PrivacyViolation):
            sealed(Personal("someone", "A Name"))  # decrypted already: it may not enter at all
        assert row(name=sealed(Personal("someone", Deferred(stored)))) == {"name": '{"o":"someone","c":"c2VhbGVk"}'}

    def test_a_value_recorded_in_clear_before_it_was_protected_is_kept_as_recorded(self, app):
        owner = f"rater-{uuid4().hex}"
        kept = as_recorded(Personal(owner, 4))  # a v2 rating, upcast
        assert json.loads(kept) == {"o": owner, "clear": 4}
        assert as_recorded(Personal(owner, Deferred({"o": owner, "c": "c2VhbGVk"}))) == f'{{"o":"{owner}","c":"c2VhbGVk"}}'
        with pytest.raises(PrivacyViolation):
            as_recorded(Confidential(owner, 4))
        app.keys.key_for(f"subject:{owner}", create=True)
        assert app.open_sealed(kept) == 4
        app.keys.destroy_all([f"subject:{owner}"])
        assert app.open_sealed(kept) is None  # no longer once its owner is erased

    def test_containers_that_could_smuggle_a_value_are_refused(self):
        with pytest.raises(PrivacyViolation):
            row(answers={"notes": Confidential("p", "x")})


class TestAllowLists:
    def test_the_line_manager_view_holds_stage_dates_and_the_mentors_name_only(self):
        assert set(line_managers.CASES.columns) == {
            "case_id", "line_manager_id", "programme_id", "mentee_id", "matching", "stage", "closed_reason",
            "submitted_at", "stage_since", "mentor_id", "partnership_id", "started_on", "ended_at",
        }
        assert set(line_managers.MENTORS.columns) == {"mentor_id", "name"}

    def test_the_statistics_never_hold_a_mentor_or_a_person(self):
        columns = {c for table in statistics.Statistics.tables for c in table.columns}
        assert not {c for c in columns if "mentor" in c or "mentee" in c or "name" in c or "person" in c}

    def test_a_line_manager_sees_their_reports_with_the_mentors_name(self, app, runner, read_models):
        planted = plant_canaries(app, "s", "p")
        runner.catch_up()
        reports = read_models.line_manager_reports(planted["manager"].id)
        assert sorted((r.progress, r.mentor_name or "") for r in reports) == [("declined", ""), ("finished", "Canary Mentor")]


def _text(value) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _topic(cls) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"
