"""Special-category answers (ethnicity, disability, lived experience): given by the subject
alone, kept only with their consent, for matching; every matching request and pool entry
carries the answers and the consent record, answers or none; withdrawing consent drops them."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import NotAllowed, Role, recording
from domain_support import ADMIN, AT, PROFILE, as_mentor, mentor, person, refuses, scene, triggered

ANSWERS = {"ethnicity": "Black British", "lived_experience": "care leaver"}
GIVEN = {"special_category": True, "purpose": "matching"}
NOT_GIVEN = {"special_category": False, "purpose": "matching"}


def kind_value_owner(protected) -> tuple:
    return type(protected).__name__, protected.value, protected.owner


class TestAnswersComeFromTheSubjectAlone:
    def test_an_administrator_cannot_give_a_mentees_answers(self):
        s = scene("approved")
        with recording(ADMIN, AT), refuses(s.case, NotAllowed, match="themselves"):
            s.case.submit_matching_request([uuid4()], "g", special=ANSWERS, consent=True)
        assert s.case.stage == "awaiting_matching_request"

    def test_an_administrator_cannot_give_a_mentors_answers(self):
        m = mentor("trained")
        with recording(ADMIN, AT), refuses(m, NotAllowed, match="themselves"):
            m.join_pool(1, PROFILE, special=ANSWERS, consent=True)
        assert m.status == "trained"

    def test_the_mentee_with_consent_keeps_them_with_the_consent_record(self):
        s = scene("approved")
        with recording(s.mentee, AT):
            s.case.submit_matching_request([uuid4()], "g", special=ANSWERS, consent=True)
        (event,) = triggered(s.case)
        assert kind_value_owner(event.special) == ("SpecialCategory", ANSWERS, s.mentee.id)
        assert kind_value_owner(event.consent) == ("Personal", GIVEN, s.mentee.id)
        assert s.case.special.value == ANSWERS

    def test_the_mentor_with_consent_keeps_them_with_the_consent_record(self):
        m = mentor("trained")
        with recording(as_mentor(m), AT):
            m.join_pool(1, PROFILE, special=ANSWERS, consent=True)
        (event,) = triggered(m)
        assert kind_value_owner(event.special) == ("SpecialCategory", ANSWERS, m.person_id)
        assert kind_value_owner(event.consent) == ("Personal", GIVEN, m.person_id)


class TestAnswersAndConsentAreAlwaysRecorded:
    """So a stored event does not tell who gave answers and who did not."""

    @pytest.mark.parametrize("who", ["mentee", "admin"])
    def test_a_matching_request_without_answers_records_none_and_no_consent(self, who):
        s = scene("approved")
        with recording({"mentee": s.mentee, "admin": ADMIN}[who], AT):
            s.case.submit_matching_request([uuid4()], "g")
        (event,) = triggered(s.case)
        assert kind_value_owner(event.special) == ("SpecialCategory", {}, s.mentee.id)
        assert kind_value_owner(event.consent) == ("Personal", NOT_GIVEN, s.mentee.id)

    def test_consent_without_answers_records_no_consent(self):
        s = scene("approved")
        with recording(s.mentee, AT):
            s.case.submit_matching_request([uuid4()], "g", special={}, consent=True)
        (event,) = triggered(s.case)
        assert (event.special.value, event.consent.value) == ({}, NOT_GIVEN)

    @pytest.mark.parametrize("who", ["mentor", "admin"])
    def test_joining_the_pool_without_answers_records_none_and_no_consent(self, who):
        m = mentor("trained")
        with recording({"mentor": as_mentor(m), "admin": ADMIN}[who], AT):
            m.join_pool(1, PROFILE)
        (event,) = triggered(m)
        assert kind_value_owner(event.special) == ("SpecialCategory", {}, m.person_id)
        assert kind_value_owner(event.consent) == ("Personal", NOT_GIVEN, m.person_id)


def case_with_answers():
    s = scene("approved")
    with recording(s.mentee, AT):
        s.case.submit_matching_request([s.mentor.id], "g", special=ANSWERS, consent=True)
    triggered(s.case)
    return s


def mentor_with_answers():
    m = mentor("trained")
    with recording(as_mentor(m), AT):
        m.join_pool(1, PROFILE, special=ANSWERS, consent=True)
    triggered(m)
    return m


class TestWithdrawingConsent:
    def test_the_mentee_withdraws_it_and_the_answers_leave_the_case(self):
        s = case_with_answers()
        with recording(s.mentee, AT):
            s.case.withdraw_special_category_consent()
        (event,) = triggered(s.case)
        assert type(event).__name__ == "ConsentChanged"
        assert kind_value_owner(event.consent) == ("Personal", NOT_GIVEN, s.mentee.id)
        assert (s.case.special, s.case.stage) == (None, "awaiting_match")

    def test_nobody_else_withdraws_a_mentees_consent(self):
        s = case_with_answers()
        others = (ADMIN, s.manager, s.mentor_actor, person(Role.MENTEE), person(Role.DPO), person(Role.AUDITOR))
        for actor in others:
            with recording(actor, AT), refuses(s.case, NotAllowed, match="withdraws their consent"):
                s.case.withdraw_special_category_consent()
        assert s.case.special.value == ANSWERS

    def test_the_mentor_withdraws_it_and_the_answers_leave_the_record(self):
        m = mentor_with_answers()
        with recording(as_mentor(m), AT):
            m.withdraw_special_category_consent()
        (event,) = triggered(m)
        assert type(event).__name__ == "ConsentChanged"
        assert kind_value_owner(event.consent) == ("Personal", NOT_GIVEN, m.person_id)
        assert (m.special, m.status) == (None, "in_pool")

    def test_nobody_else_withdraws_a_mentors_consent(self):
        m = mentor_with_answers()
        others = (ADMIN, person(Role.MENTOR), person(Role.MENTEE), person(Role.DPO), person(Role.AUDITOR))
        for actor in others:
            with recording(actor, AT), refuses(m, NotAllowed, match="withdraws their consent"):
                m.withdraw_special_category_consent()
        assert m.special.value == ANSWERS
