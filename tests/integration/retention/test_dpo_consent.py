"""Consent to special-category answers: withdrawn by the person alone; afterwards their answers
read as erased in every record of theirs, while the rest of their data stays; the consent
ledger shows it given, then withdrawn."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.bootstrap import build_app
from domain import ERASED, Actor, Case, Mentor, NotAllowed, PersonDetails, Role
from dpo_support import events_of, nothing_written, ok, refused
from lifecycle import ADMIN, NOW, TODAY, World, person

ANSWERS = {"ethnicity": "Answer E", "lived_experience": "Answer L"}
MENTOR_ANSWERS = {"disability": "Answer D"}
GOALS = "Lead my department through change"


@pytest.fixture
def fresh(settings, clock):
    """Another application on the same store, so nothing is read from a cache."""
    application = build_app(settings, clock=clock)
    yield application
    application.close()


@pytest.fixture
def someone(app, api, clock):
    """A person who is a mentee in one programme and a mentor in another, with special-category
    answers (and their consent) in both records: the mentor record first, then the case."""
    mentee = person(app, Role.MENTEE)
    as_mentor = Actor(mentee.id, Role.MENTOR)
    elsewhere = World.create(app)
    mentor_id = app.express_mentor_interest(
        elsewhere.programme_id, mentee.id, PersonDetails("Sam Both", "sam@example.org"), as_mentor).id
    app.complete_mentor_training(mentor_id, TODAY, ADMIN)
    app.join_pool(mentor_id, 2, {"headline": "Head of year"}, as_mentor, special=MENTOR_ANSWERS, consent=True)
    clock.set(NOW + timedelta(hours=1))
    world = World.create(app)
    preferred, _ = world.mentor()
    manager = person(app, Role.LINE_MANAGER)
    case_id = app.submit_eoi(world.programme_id, mentee.id, PersonDetails("Sam Both", "sam@example.org"), "Keen",
                             mentee, line_manager_id=manager.id).id
    app.approve_eoi(case_id, manager)
    app.submit_matching_request(case_id, [preferred], GOALS, mentee, special=ANSWERS, consent=True)
    clock.set(NOW + timedelta(hours=2))
    return {"mentee": mentee, "mentor": as_mentor, "mentor_id": mentor_id, "case_id": case_id,
            "preferred": preferred, "manager": manager}


def withdraw_on_case(api, who, case_id):
    return api.post(f"/cases/{case_id}/special-category-consent/withdraw", who)


def withdraw_on_mentor(api, who, mentor_id):
    return api.post(f"/mentors/{mentor_id}/special-category-consent/withdraw", who)


class TestAMenteeWithdrawing:
    @pytest.fixture
    def withdrawn(self, api, someone):
        ok(withdraw_on_case(api, someone["mentee"], someone["case_id"]))
        api.settle()

    def test_their_case_keeps_no_answers(self, fresh, someone, withdrawn):
        assert fresh.load(Case, someone["case_id"]).special is None

    def test_a_second_withdrawal_is_refused_and_writes_nothing(self, api, someone, withdrawn):
        head = api.head()
        refused = withdraw_on_case(api, someone["mentee"], someone["case_id"])
        assert refused.status_code == 409 and "no special-category answers" in refused.json()["detail"]
        assert api.head() == head

    def test_their_answers_read_as_erased_in_every_record_of_theirs(self, fresh, someone, withdrawn):
        (request,) = events_of(fresh, someone["case_id"], "MatchingRequestSubmitted")
        (joined,) = events_of(fresh, someone["mentor_id"], "JoinedPool")
        assert (request.special.value, joined.special.value) == (ERASED, ERASED)
        assert fresh.load(Mentor, someone["mentor_id"]).special is None  # out of matching there too

    def test_their_name_and_goals_stay(self, fresh, someone, withdrawn):
        case, mentor = fresh.load(Case, someone["case_id"]), fresh.load(Mentor, someone["mentor_id"])
        assert (case.details["name"].value, mentor.details["name"].value) == ("Sam Both", "Sam Both")
        (request,) = events_of(fresh, someone["case_id"], "MatchingRequestSubmitted")
        assert request.goals.value == GOALS
        assert case.preferences.value == [str(someone["preferred"])]
        assert mentor.profile.value["headline"] == "Head of year"

    def test_the_consent_ledger_shows_it_given_then_withdrawn(self, api, officer, someone, withdrawn):
        ledger = api.read("/retention/consents", officer, person_id=someone["mentee"].id)
        entries = sorted((e["recorded_at"], e["record_id"], e["special_category"], e["purpose"], e["recorded_by"])
                         for e in ledger)
        withdrawn_at = (NOW + timedelta(hours=2)).isoformat()
        assert entries == sorted([
            (NOW.isoformat(), str(someone["mentor_id"]), True, "matching", someone["mentee"].id),
            ((NOW + timedelta(hours=1)).isoformat(), str(someone["case_id"]), True, "matching", someone["mentee"].id),
            (withdrawn_at, str(someone["case_id"]), False, "matching", someone["mentee"].id),
            (withdrawn_at, str(someone["mentor_id"]), False, "matching", someone["mentee"].id),  # every record of theirs
        ])
        assert "Answer" not in str(ledger)

    def test_an_administrator_can_no_longer_submit_answers_for_them(self, api, someone, withdrawn):
        body = {"preferences": [str(someone["preferred"])], "goals": GOALS, "special": ANSWERS, "consent": True}
        with nothing_written(api):
            response = api.post(f"/cases/{someone['case_id']}/matching-request", ADMIN, body)
        assert response.status_code in (403, 409), response.text
        refused(response, response.status_code)


class TestAMentorWithdrawing:
    def test_their_record_keeps_no_answers_and_the_rest_stays(self, api, fresh, someone):
        ok(withdraw_on_mentor(api, someone["mentor"], someone["mentor_id"]))
        mentor = fresh.load(Mentor, someone["mentor_id"])
        assert mentor.special is None
        assert (mentor.details["name"].value, mentor.profile.value["headline"]) == ("Sam Both", "Head of year")
        (joined,) = events_of(fresh, someone["mentor_id"], "JoinedPool")
        assert joined.special.value is ERASED
        (request,) = events_of(fresh, someone["case_id"], "MatchingRequestSubmitted")
        assert (request.special.value, request.goals.value) == (ERASED, GOALS)


class TestSomeoneElseWithdrawing:
    @pytest.mark.parametrize("who", ["administrator", "line manager", "another mentee"])
    def test_is_forbidden_on_a_case_and_the_answers_stay(self, api, fresh, someone, who):
        actor = {"administrator": ADMIN, "line manager": someone["manager"],
                 "another mentee": person(api.trellis, Role.MENTEE)}[who]
        with nothing_written(api):
            refused(withdraw_on_case(api, actor, someone["case_id"]), 403)
        assert fresh.load(Case, someone["case_id"]).special.value == ANSWERS

    @pytest.mark.parametrize("who", ["administrator", "another mentor"])
    def test_is_forbidden_on_a_mentor_record_and_the_answers_stay(self, api, fresh, someone, who):
        actor = ADMIN if who == "administrator" else person(api.trellis, Role.MENTOR)
        with nothing_written(api):
            refused(withdraw_on_mentor(api, actor, someone["mentor_id"]), 403)
        assert fresh.load(Mentor, someone["mentor_id"]).special.value == MENTOR_ANSWERS

    def test_the_service_refuses_an_administrator_and_destroys_no_key(self, api, fresh, someone):
        with nothing_written(api), pytest.raises(NotAllowed):
            api.trellis.withdraw_case_consent(someone["case_id"], ADMIN)
        assert fresh.load(Case, someone["case_id"]).special.value == ANSWERS
