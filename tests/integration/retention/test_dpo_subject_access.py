"""Subject-access export: everything held about the subject, and nothing of anyone else's.

Every personal field of the subject, and of a third party around them, carries a canary of
its own. The person's own copy (`GET /me/export`) holds every canary of theirs and none of
the third party's; the data-protection officer's copy (JSON and the printable page) holds
every canary of theirs except their partnerships' confidential content, which the officer
never sees; neither names another person by id."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest

from domain import PersonDetails, Role
from dpo_support import access_request, events_of, listed, nothing_written, ok, refused
from lifecycle import ADMIN, TODAY, World, identity_of, person


class Canaries:
    """One unique marker per field, remembered by whose it is."""

    def __init__(self, whose: str) -> None:
        self.whose = whose
        self.all: dict[str, str] = {}

    def __call__(self, field: str) -> str:
        self.all[field] = f"{self.whose}-{field}-{uuid4().hex[:12]}"
        return self.all[field]

    def details(self, prefix: str = "") -> PersonDetails:
        email = self(f"{prefix}email")
        return PersonDetails(self(f"{prefix}name"), f"{email}@example.org", self(f"{prefix}job"), self(f"{prefix}org"))

    def special(self, prefix: str = "") -> dict[str, str]:
        return {k: self(f"{prefix}{k}") for k in ("ethnicity", "disability", "lived_experience")}


def eoi(app, world, mentee, details, statement) -> tuple:
    manager = person(app, Role.LINE_MANAGER, "manager")
    case_id = app.submit_eoi(world.programme_id, mentee.id, details, statement, mentee, line_manager_id=manager.id).id
    return case_id, manager


def partnership(app, case_id, mentor_id, mentee, mentor, ours: Canaries, theirs: Canaries, party: str) -> object:
    """Matched, signed, two sessions, a review, ended, and both parties' feedback."""
    app.propose_match(case_id, mentor_id, ours(f"{party}reasons"), ADMIN)
    app.record_discovery_call(case_id, TODAY, mentee)
    pid = app.confirm_match(case_id, ADMIN).id
    app.sign_agreement(pid, "mentee", mentee)
    app.sign_agreement(pid, "mentor", mentor)
    app.record_session(pid, TODAY, 50, "video", ours(f"{party}mentee_notes"), ours(f"{party}mentee_actions"), mentee)
    app.record_session(pid, TODAY, 40, "phone", ours(f"{party}mentor_notes"), ours(f"{party}mentor_actions"), mentor)
    app.review_progress(pid, "continue", ours(f"{party}review_notes"), mentor)
    app.end_partnership(pid, "completed", mentee)
    app.request_feedback(pid, ADMIN)
    app.submit_feedback(pid, 4, ours(f"{party}mentee_feedback"), mentee)
    app.submit_feedback(pid, 5, theirs(f"{party}mentor_feedback"), mentor)
    return pid


@pytest.fixture
def story(app):
    """The subject (a mentee) has three cases: one through a rematch to a completed
    partnership, one declined by their line manager, one they withdrew. Their mentor and
    another of that mentor's mentees are the third parties."""
    world = World.create(app)
    subject, mentor, other = (person(app, role) for role in (Role.MENTEE, Role.MENTOR, Role.MENTEE))
    mine, theirs = Canaries("subject"), Canaries("third")
    mentor_id = app.express_mentor_interest(world.programme_id, mentor.id, theirs.details("mentor_"), mentor).id
    app.complete_mentor_training(mentor_id, TODAY, ADMIN)
    app.join_pool(mentor_id, 3, {"headline": theirs("headline"), "bio": theirs("bio"), "expertise": ["maths"]},
                  mentor, special=theirs.special("mentor_"), consent=True)
    # the other mentee, with the same mentor
    other_case, other_manager = eoi(app, world, other, theirs.details("other_"), theirs("other_statement"))
    app.approve_eoi(other_case, other_manager)
    app.submit_matching_request(other_case, [mentor_id], theirs("other_goals"), other,
                                special=theirs.special("other_"), consent=True)
    partnership(app, other_case, mentor_id, other, mentor, theirs, theirs, "other_")
    # the subject
    case_id, manager = eoi(app, world, subject, mine.details(), mine("statement"))
    app.approve_eoi(case_id, manager, priority=True)
    app.submit_matching_request(case_id, [mentor_id], mine("goals"), subject, special=mine.special(), consent=True)
    app.propose_match(case_id, mentor_id, mine("first_reasons"), ADMIN)
    app.request_rematch(case_id, subject, mine("rematch_reason"))
    pid = partnership(app, case_id, mentor_id, subject, mentor, mine, theirs, "")
    declined_case, declining = eoi(app, world, subject, mine.details("declined_"), mine("declined_statement"))
    app.decline_eoi(declined_case, declining, mine("decline_reason"))
    withdrawn_case, withdrawn_manager = eoi(app, world, subject, mine.details("withdrawn_"),
                                            mine("withdrawn_statement"))
    app.withdraw_case(withdrawn_case, subject, mine("withdraw_reason"))
    others = [mentor.id, other.id, manager.id, declining.id, withdrawn_manager.id, other_manager.id, ADMIN.id]
    return {"subject": subject, "mine": mine.all, "theirs": theirs.all, "others": others, "partnership_id": pid}


@pytest.fixture
def request_id(api, officer, story) -> str:
    request_id = access_request(api, officer, story["subject"])
    api.settle()
    return request_id


@pytest.fixture
def export(api, officer, request_id) -> dict:
    return ok(api.get(f"/retention/subject-access-requests/{request_id}/export", officer))


@pytest.fixture
def page(api, officer, request_id) -> str:
    response = api.get(f"/retention/subject-access-requests/{request_id}/export.html", officer)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    return response.text


def confidential(canaries: dict[str, str]) -> dict[str, str]:
    """The pair's confidential content: session notes and actions, review notes."""
    return {f: c for f, c in canaries.items() if "notes" in f or "actions" in f}


def not_confidential(canaries: dict[str, str]) -> dict[str, str]:
    return {f: c for f, c in canaries.items() if f not in confidential(canaries)}


def missing(canaries: dict[str, str], text: str) -> list[str]:
    return [field for field, canary in canaries.items() if canary not in text]


def present(canaries: dict[str, str], text: str) -> list[str]:
    return [field for field, canary in canaries.items() if canary in text]


class TestThePersonsOwnCopy:
    @pytest.fixture
    def own(self, api, story) -> dict:
        api.settle()
        return ok(api.get("/me/export", story["subject"]))

    def test_holds_every_field_of_theirs_confidential_content_included(self, own, story):
        assert confidential(story["mine"])  # the story has some
        assert missing(story["mine"], json.dumps(own)) == []
        assert own["confidential_withheld"] == 0

    def test_holds_none_of_the_third_partys_data_and_no_other_persons_id(self, own, story):
        assert present(story["theirs"], json.dumps(own)) == []
        assert present(dict(enumerate(story["others"])), json.dumps(own)) == []

    def test_as_a_page_too(self, api, story):
        api.settle()
        response = api.get("/me/export.html", story["subject"])
        assert response.status_code == 200 and missing(story["mine"], response.text) == []


class TestTheExport:
    def test_names_the_subject_and_their_identity(self, export, story):
        assert (export["person_id"], export["identity"]) == (story["subject"].id, identity_of(story["subject"]))

    def test_holds_every_personal_field_of_the_subject_but_the_pairs_confidential_content(self, export, story):
        assert missing(not_confidential(story["mine"]), json.dumps(export)) == []

    def test_the_officer_never_sees_the_pairs_confidential_content(self, export, story):
        assert present(confidential(story["mine"]), json.dumps(export)) == []
        assert export["confidential_withheld"] == len(confidential(story["mine"]))

    def test_holds_none_of_the_third_partys_data(self, export, story):
        assert present(story["theirs"], json.dumps(export)) == []

    def test_covers_each_of_their_cases_and_their_partnership(self, export, story):
        kinds = sorted(r["kind"] for r in export["records"])
        assert kinds == ["case", "case", "case", "partnership"]
        assert str(story["partnership_id"]) in [r["id"] for r in export["records"]]

    def test_names_no_other_person_by_id(self, export, story):
        assert present(dict(enumerate(story["others"])), json.dumps(export)) == []

    def test_who_acted_says_you_or_a_role_and_never_another_persons_id(self, export, story):
        who = export["who_acted"]
        assert present(dict(enumerate(story["others"])), json.dumps(who)) == []
        assert {w["who"] for w in who} == {"you", "a mentor", "an administrator", "a line manager"}
        assert all(set(w) == {"at", "who", "what", "record", "record_id", "for"} for w in who)  # as OpenAPI has it
        assert {w["for"] for w in who} == {None}  # nothing here was recorded on the subject's behalf


class TestThePrintablePage:
    def test_holds_every_personal_field_of_the_subject_but_the_pairs_confidential_content(self, page, story):
        assert missing(not_confidential(story["mine"]), page) == []
        assert present(confidential(story["mine"]), page) == []

    def test_holds_none_of_the_third_partys_data_and_no_other_persons_id(self, page, story):
        assert present(story["theirs"], page) == []
        assert present(dict(enumerate(story["others"])), page) == []


class TestCompleting:
    def test_records_counts_only(self, api, officer, request_id, story):
        ok(api.post(f"/retention/subject-access-requests/{request_id}/complete", officer))
        entry = listed(api, officer, request_id, kind="access")
        assert (entry["state"], entry["closed_by"]) == ("completed", officer.id)
        assert sorted(entry["outcome"]) == ["entries", "records"] and entry["outcome"]["records"] == 4
        assert all(type(v) is int for v in entry["outcome"].values())
        (completed,) = events_of(api.trellis, request_id, "Completed")
        assert completed.counts == entry["outcome"]
        assert present(story["mine"] | story["theirs"], json.dumps(entry)) == []

    def test_twice_is_a_conflict(self, api, officer, request_id):
        ok(api.post(f"/retention/subject-access-requests/{request_id}/complete", officer))
        with nothing_written(api):
            refused(api.post(f"/retention/subject-access-requests/{request_id}/complete", officer), 409)

    def test_an_access_request_is_not_executed_as_an_erasure(self, api, officer, request_id, story):
        with nothing_written(api):
            refused(api.post(f"/retention/erasure-requests/{request_id}/execute", officer), 409)
        assert api.trellis.people.is_linked(story["subject"].id)

    @pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR, Role.MENTEE])
    def test_only_the_dpo_reads_the_export(self, api, request_id, story, role):
        reader = story["subject"] if role is Role.MENTEE else person(api.trellis, role)
        for path in ("export", "export.html"):
            response = api.get(f"/retention/subject-access-requests/{request_id}/{path}", reader)
            refused(response, 403)
            assert present(story["mine"], response.text) == []
