"""Erasure requests as the data-protection officer handles them: recorded by identity or by
opaque id, due one calendar month after receipt, previewed, executed or refused."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from domain import ERASED, Case, PersonDetails, Role
from dpo_support import erasure_request, events_of, listed, ok
from lifecycle import ADMIN, NOW, TODAY, World, identity_of, person


def active(app, world, mentor_id, mentor, name: str = "Mentee Name") -> dict:
    """A mentee who gave special-category answers (with consent), in an active partnership
    whose pair has recorded a session: their personal, special-category and partnership keys
    all exist."""
    case = world.case("approved", name=name)
    app.submit_matching_request(case["case_id"], [mentor_id], "Goals", case["mentee"],
                                special={"ethnicity": "Answer"}, consent=True)
    app.propose_match(case["case_id"], mentor_id, "Reasons", ADMIN)
    app.record_discovery_call(case["case_id"], TODAY, ADMIN)
    case["partnership_id"] = app.confirm_match(case["case_id"], ADMIN).id
    app.sign_agreement(case["partnership_id"], "mentee", case["mentee"])
    app.sign_agreement(case["partnership_id"], "mentor", mentor)
    app.record_session(case["partnership_id"], TODAY, 45, "video", "Notes", "Actions", mentor)
    return case


@pytest.fixture
def pair(app):
    """A mentee in an active partnership with a mentor who has one more place."""
    world = World.create(app)
    mentor_id, mentor = world.mentor(capacity=2)
    case = active(app, world, mentor_id, mentor, "Mentee To Erase")
    return {"world": world, "mentor_id": mentor_id, "mentor": mentor, **case}


@pytest.fixture
def mentor_with_mentees(app):
    """A mentor (who gave special-category answers) with one mentee in an active partnership
    and another at a proposed match."""
    world = World.create(app)
    mentor = person(app, Role.MENTOR)
    mentor_id = app.express_mentor_interest(
        world.programme_id, mentor.id, PersonDetails("Mentor To Erase", "m@example.org"), mentor).id
    app.complete_mentor_training(mentor_id, TODAY, ADMIN)
    app.join_pool(mentor_id, 3, {"headline": "Head of maths"}, mentor, special={"disability": "Answer"}, consent=True)
    return {"world": world, "mentor_id": mentor_id, "mentor": mentor, "active": active(app, world, mentor_id, mentor),
            "proposed": world.case("proposed", mentor_id)}


def admin_reads(api, path: str) -> dict:
    return api.read(path, ADMIN)


class TestRecordingARequest:
    def test_by_identity_names_the_person_by_their_opaque_id(self, api, officer, pair):
        request_id = erasure_request(api, officer, pair["mentee"], by="identity")
        entry = listed(api, officer, request_id)
        assert entry["subject_id"] == pair["mentee"].id
        assert identity_of(pair["mentee"]) not in json.dumps(entry)
        assert (entry["kind"], entry["state"], entry["received_by"]) == ("erasure", "received", officer.id)

    def test_by_opaque_id_names_that_person(self, api, officer, pair):
        request_id = erasure_request(api, officer, pair["mentee"], by="person_id")
        assert listed(api, officer, request_id)["subject_id"] == pair["mentee"].id

    @pytest.mark.parametrize(("received_on", "due_on"), [
        (date(2026, 5, 15), "2026-06-15"),
        (date(2026, 1, 31), "2026-02-28"),  # no 31 February: the month's last day
        (date(2024, 1, 31), "2024-02-29"),  # a leap year
        (date(2025, 12, 20), "2026-01-20"),  # into the next year
    ])
    def test_is_due_one_calendar_month_after_it_was_received(self, api, officer, pair, received_on, due_on):
        request_id = erasure_request(api, officer, pair["mentee"], received_on=received_on)
        entry = listed(api, officer, request_id)
        assert (entry["received_on"], entry["due_on"]) == (received_on.isoformat(), due_on)

    def test_is_overdue_once_the_clock_passes_its_due_date(self, api, officer, pair, clock):
        request_id = erasure_request(api, officer, pair["mentee"], received_on=TODAY)  # due 2026-07-01
        assert listed(api, officer, request_id)["overdue"] is False
        clock.set(datetime(2026, 7, 1, 23, 59, tzinfo=NOW.tzinfo))
        assert listed(api, officer, request_id)["overdue"] is False  # the due day itself is in time
        clock.set(datetime(2026, 7, 2, 0, 1, tzinfo=NOW.tzinfo))
        assert listed(api, officer, request_id)["overdue"] is True

    def test_a_completed_request_is_never_overdue(self, api, officer, pair, clock):
        request_id = erasure_request(api, officer, pair["mentee"], received_on=TODAY - timedelta(days=40))
        assert listed(api, officer, request_id)["overdue"] is True
        ok(api.post(f"/retention/erasure-requests/{request_id}/execute", officer))
        assert listed(api, officer, request_id)["overdue"] is False


class TestPreview:
    def test_names_the_mentees_case_and_partnership_and_counts_their_keys(self, api, officer, pair):
        request_id = erasure_request(api, officer, pair["mentee"])
        preview = api.read(f"/retention/erasure-requests/{request_id}/preview", officer)
        assert preview == {
            "request_id": request_id, "subject_id": pair["mentee"].id,
            "keys_to_destroy": 3,  # personal, special-category, and the one partnership's
            "cases_to_close": [str(pair["case_id"])], "cases_to_return_to_matching": [],
            "mentor_records_to_close": [], "partnerships_whose_records_go": [str(pair["partnership_id"])],
            "identity_linked": True, "held_by": [],
        }

    def test_for_a_mentor_names_the_cases_that_return_to_matching(self, api, officer, mentor_with_mentees):
        m = mentor_with_mentees
        request_id = erasure_request(api, officer, m["mentor"])
        preview = api.read(f"/retention/erasure-requests/{request_id}/preview", officer)
        assert preview["cases_to_close"] == []
        assert preview["cases_to_return_to_matching"] == sorted([str(m["active"]["case_id"]),
                                                                 str(m["proposed"]["case_id"])])
        assert preview["mentor_records_to_close"] == [str(m["mentor_id"])]
        assert preview["partnerships_whose_records_go"] == [str(m["active"]["partnership_id"])]
        assert preview["keys_to_destroy"] == 3

    def test_changes_nothing(self, api, officer, pair):
        request_id = erasure_request(api, officer, pair["mentee"])
        api.settle()
        before = api.head()
        api.read(f"/retention/erasure-requests/{request_id}/preview", officer)
        assert api.head() == before
        assert listed(api, officer, request_id)["state"] == "received"


class TestExecutingForAMentee:
    @pytest.fixture
    def executed(self, api, officer, pair):
        request_id = erasure_request(api, officer, pair["mentee"], by="identity")
        ok(api.post(f"/retention/erasure-requests/{request_id}/execute", officer))
        api.settle()
        return request_id

    def test_closes_their_open_case_as_erased(self, api, pair, executed):
        case = admin_reads(api, f"/cases/{pair['case_id']}")
        assert (case["stage"], case["closed_reason"]) == ("closed", "erased")
        assert case["mentee_name"] is None

    def test_ends_their_partnership_as_erased(self, api, pair, executed):
        partnership = admin_reads(api, f"/partnerships/{pair['partnership_id']}")
        assert (partnership["status"], partnership["end_reason"]) == ("ended", "erased")

    def test_releases_the_mentors_slot(self, api, pair, executed):
        mentor = admin_reads(api, f"/mentors/{pair['mentor_id']}")
        assert (mentor["confirmed"], mentor["held"], mentor["free"], mentor["status"]) == (0, 0, 2, "in_pool")

    def test_completes_the_request_with_counts_only(self, api, officer, pair, executed):
        entry = listed(api, officer, executed)
        assert (entry["state"], entry["closed_by"]) == ("completed", officer.id)
        assert entry["outcome"] == {
            "cases_closed": 1, "cases_returned_to_matching": 0, "partnerships_ended": 1,
            "mentor_records_closed": 0, "keys_destroyed": 3, "identity_links_removed": 1,
            "idempotency_records_deleted": 0,
        }
        others = [str(pair["case_id"]), str(pair["partnership_id"]), str(pair["mentor_id"]), pair["mentor"].id,
                  pair["manager"].id, "Mentee To Erase", identity_of(pair["mentee"])]
        assert not [o for o in others if o in json.dumps(entry)]
        (completed,) = events_of(api.trellis, executed, "Completed")
        assert all(type(v) is int for v in completed.counts.values())

    def test_the_audit_trail_shows_the_dpo_completing_it_and_the_system_closing_the_records(
        self, api, officer, pair, executed
    ):
        auditor = person(api.trellis, Role.AUDITOR)

        def trail(aggregate_id) -> list[tuple[str, str, str]]:
            rows = api.read("/audit/events", auditor, aggregate_id=str(aggregate_id), limit=1000)
            return [(r["event_type"], r["actor_id"], r["actor_role"]) for r in rows]

        assert trail(executed) == [("Received", officer.id, "dpo"), ("Completed", officer.id, "dpo")]
        assert trail(pair["case_id"])[-1] == ("ClosedOnErasure", "system", "system")
        assert trail(pair["partnership_id"])[-1] == ("PartnershipEnded", "system", "system")
        assert trail(pair["mentor_id"])[-1] == ("SlotReleased", "system", "system")
        ended = events_of(api.trellis, pair["partnership_id"], "PartnershipEnded")[-1]
        assert ended.reason == "erased"

    def test_unlinks_their_identity_and_their_details_read_as_erased(self, api, pair, executed):
        assert api.trellis.people.person_for(identity_of(pair["mentee"]), create=False) is None
        (eoi,) = events_of(api.trellis, pair["case_id"], "EOISubmitted")
        assert eoi.details["name"].value is ERASED and eoi.statement.value is ERASED


class TestExecutingForAMentor:
    @pytest.fixture
    def executed(self, api, officer, mentor_with_mentees):
        request_id = erasure_request(api, officer, mentor_with_mentees["mentor"])
        ok(api.post(f"/retention/erasure-requests/{request_id}/execute", officer))
        api.settle()
        return request_id

    def test_their_mentees_cases_return_to_matching(self, api, mentor_with_mentees, executed):
        for case in (mentor_with_mentees["active"], mentor_with_mentees["proposed"]):
            summary = admin_reads(api, f"/cases/{case['case_id']}")
            assert (summary["stage"], summary["closed_reason"]) == ("awaiting_match", None)
            last = events_of(api.trellis, case["case_id"])[-1]
            assert (type(last).__name__, last.actor_role) == ("MentorErased", "system")

    def test_their_mentees_cases_no_longer_show_the_erased_mentor_or_partnership(
        self, api, mentor_with_mentees, executed
    ):
        # as after a rematch: the case waits for a new match, with no mentor and no partnership
        for case in (mentor_with_mentees["active"], mentor_with_mentees["proposed"]):
            summary = admin_reads(api, f"/cases/{case['case_id']}")
            assert (summary["mentor_id"], summary["partnership_id"]) == (None, None)

    def test_their_partnerships_end_as_erased(self, api, mentor_with_mentees, executed):
        partnership = admin_reads(api, f"/partnerships/{mentor_with_mentees['active']['partnership_id']}")
        assert (partnership["status"], partnership["end_reason"]) == ("ended", "erased")

    def test_their_mentor_record_leaves_the_pool_with_every_slot_released(self, api, mentor_with_mentees, executed):
        mentor = admin_reads(api, f"/mentors/{mentor_with_mentees['mentor_id']}")
        assert (mentor["status"], mentor["confirmed"], mentor["held"]) == ("left", 0, 0)

    def test_the_mentees_keep_their_own_data(self, api, mentor_with_mentees, executed):
        case = api.trellis.load(Case, mentor_with_mentees["active"]["case_id"])
        assert case.details["name"].value == "Mentee Name"

    def test_records_the_counts(self, api, officer, executed):
        outcome = listed(api, officer, executed)["outcome"]
        assert (outcome["cases_closed"], outcome["cases_returned_to_matching"], outcome["partnerships_ended"],
                outcome["mentor_records_closed"], outcome["keys_destroyed"]) == (0, 2, 1, 1, 3)


class TestRefusing:
    def test_on_a_lawful_basis_records_it_and_erases_nothing(self, api, officer, pair):
        request_id = erasure_request(api, officer, pair["mentee"])
        before = admin_reads(api, f"/cases/{pair['case_id']}")
        ok(api.post(f"/retention/erasure-requests/{request_id}/refuse", officer, {"lawful_basis": "legal_claims"}))
        entry = listed(api, officer, request_id)
        assert (entry["state"], entry["outcome"], entry["closed_by"]) == (
            "refused", {"lawful_basis": "legal_claims"}, officer.id)
        assert admin_reads(api, f"/cases/{pair['case_id']}") == before
        assert api.trellis.people.is_linked(pair["mentee"].id)
