"""Crypto-shredding: with one key destroyed, events still load, only that key's fields read ERASED.

Every check reads through a fresh application instance, so nothing comes from a cache.
"""

from __future__ import annotations


import pytest

from api.bootstrap import build_app
from domain import ERASED, Case, Mentor, NotAllowed, Partnership, PartnershipStatus, PersonDetails, Stage
from lifecycle import ADMIN, TODAY, World
from retention.keystore import SubjectErased


@pytest.fixture
def history(app):
    """Two mentees with the same mentor; the first has sessions, a review and feedback."""
    world = World.create(app)
    mid, mentor = world.mentor(capacity=2, name="Mentor Kept")
    erased = world.case("approved", name="Mentee Erased")
    kept = world.case("approved", name="Mentee Kept")
    for case in (erased, kept):
        app.submit_matching_request(
            case["case_id"], [mid], "Goals of " + case["mentee"].id, case["mentee"],
            special={"ethnicity": "answer"}, consent=True,
        )
        app.propose_match(case["case_id"], mid, "Reasons for " + case["mentee"].id, ADMIN)
        app.record_discovery_call(case["case_id"], TODAY, ADMIN)
        case["partnership_id"] = app.confirm_match(case["case_id"], ADMIN).id
        app.sign_agreement(case["partnership_id"], "mentee", ADMIN)
        app.sign_agreement(case["partnership_id"], "mentor", ADMIN)
        app.record_session(case["partnership_id"], TODAY, 40, "phone", "Pair notes", "Pair actions", mentor)
    pid = erased["partnership_id"]
    app.review_progress(pid, "continue", "Review notes", mentor)
    app.end_partnership(pid, "completed", ADMIN)
    app.request_feedback(pid, ADMIN)
    app.submit_feedback(pid, 5, "Mentee comments", erased["mentee"])
    app.submit_feedback(pid, 4, "Mentor comments", mentor)
    for aggregate_id in (erased["case_id"], kept["case_id"], mid, pid):
        app.take_snapshot(aggregate_id)
    return {"world": world, "mentor_id": mid, "mentor": mentor, "erased": erased, "kept": kept}


@pytest.fixture
def fresh(settings):
    application = build_app(settings)
    yield application
    application.close()


def events(app, aggregate_id, name: str) -> list:
    return [e for e in app.events.get(aggregate_id) if type(e).__name__ == name]


class TestDestroyingASubjectsKey:
    @pytest.fixture(autouse=True)
    def destroy(self, app, history):
        mentee = history["erased"]["mentee"].id
        assert app.keys.destroy_all([f"subject:{mentee}", f"special:{mentee}"]) == 2

    def test_the_subjects_fields_read_as_erased_and_the_rest_is_intact(self, fresh, history):
        case_id, mentee = history["erased"]["case_id"], history["erased"]["mentee"]
        case = fresh.load(Case, case_id)
        assert {k: v.value for k, v in case.details.items()} == dict.fromkeys(case.details, ERASED)
        assert case.preferences.value is ERASED and case.special.value is ERASED
        assert (case.mentee_id, case.stage, case.proposed_mentor) == (mentee.id, Stage.CLOSED, history["mentor_id"])
        (eoi,) = events(fresh, case_id, "EOISubmitted")
        assert eoi.statement.value is ERASED and eoi.details["name"].is_erased
        assert (eoi.mentee_id, eoi.actor_id, eoi.actor_role, eoi.matching) == (mentee.id, mentee.id, "mentee", "self_selected")
        (request,) = events(fresh, case_id, "MatchingRequestSubmitted")
        assert request.goals.value is ERASED and request.special.value is ERASED
        (proposal,) = events(fresh, case_id, "MatchProposed")
        assert proposal.reasons.value is ERASED
        assert (proposal.mentor_id, proposal.from_preferences) == (history["mentor_id"], True)

    def test_the_partnerships_confidential_content_and_the_other_partys_data_stay(self, fresh, history):
        pid = history["erased"]["partnership_id"]
        (session,) = fresh.session_records(pid, history["mentor"])
        assert (session.notes, session.actions, session.minutes) == ("Pair notes", "Pair actions", 40)
        comments = {e.party: e.comments.value for e in events(fresh, pid, "FeedbackSubmitted")}
        assert comments == {"mentee": ERASED, "mentor": "Mentor comments"}
        assert fresh.load(Partnership, pid).status is PartnershipStatus.ENDED

    def test_other_subjects_are_untouched(self, fresh, history):
        kept = fresh.load(Case, history["kept"]["case_id"])
        assert kept.details["name"].value == "Mentee Kept"
        assert kept.preferences.value == [str(history["mentor_id"])]
        assert kept.special.value == {"ethnicity": "answer"}
        (eoi,) = events(fresh, history["kept"]["case_id"], "EOISubmitted")
        assert eoi.statement.value == "I want to grow as a leader"
        mentor = fresh.load(Mentor, history["mentor_id"])
        assert mentor.details["name"].value == "Mentor Kept"
        assert mentor.profile.value["headline"] == "Head of maths"

    def test_new_personal_data_for_the_erased_subject_is_refused_and_nothing_written(self, fresh, history):
        mentee = history["erased"]["mentee"]
        other_programme = World.create(fresh)
        before = fresh.recorder.max_notification_id()
        with pytest.raises(SubjectErased, match="erased") as refusal:
            fresh.submit_eoi(
                other_programme.programme_id, mentee.id, PersonDetails("Back Again", "back@example.org"),
                "Again", mentee, line_manager_id="lm",
            )
        assert isinstance(refusal.value, NotAllowed)
        assert "Back Again" not in str(refusal.value) and mentee.id not in str(refusal.value)
        assert fresh.recorder.max_notification_id() == before

    def test_the_key_stays_destroyed_and_is_not_recreated(self, app, fresh, history):
        ref = f"subject:{history['erased']['mentee'].id}"
        assert fresh.keys.is_destroyed(ref)
        assert fresh.keys.key_for(ref, create=False) is None
        with pytest.raises(SubjectErased):
            fresh.keys.key_for(ref, create=True)
        assert app.keys.destroy(ref) is False


class TestDestroyingAPartnershipsKey:
    @pytest.fixture(autouse=True)
    def destroy(self, app, history):
        assert app.keys.destroy(f"partnership:{history['erased']['partnership_id']}") is True

    def test_session_content_reads_erased_while_dates_minutes_and_medium_stay(self, fresh, history):
        pid = history["erased"]["partnership_id"]
        for actor in (history["erased"]["mentee"], history["mentor"]):
            (session,) = fresh.session_records(pid, actor)
            assert (session.notes, session.actions) == (ERASED, ERASED)
            assert (session.held_on, session.minutes, session.medium, session.recorded_by_role) == (
                TODAY.isoformat(), 40, "phone", "mentor",
            )
        (review,) = events(fresh, pid, "ProgressReviewed")
        # the outcome is the mentee's personal data, not the pair's content: it goes with them
        assert (review.notes.value, review.outcome.value) == (ERASED, "continue")

    def test_everything_personal_and_every_other_pair_stays(self, fresh, history):
        pid = history["erased"]["partnership_id"]
        comments = {e.party: e.comments.value for e in events(fresh, pid, "FeedbackSubmitted")}
        assert comments == {"mentee": "Mentee comments", "mentor": "Mentor comments"}
        assert fresh.load(Case, history["erased"]["case_id"]).details["name"].value == "Mentee Erased"
        (other,) = fresh.session_records(history["kept"]["partnership_id"], history["mentor"])
        assert other.notes == "Pair notes"

    def test_new_confidential_content_for_the_partnership_is_refused(self, app, fresh, history):
        pid = history["kept"]["partnership_id"]
        assert app.keys.destroy(f"partnership:{pid}") is True
        before = fresh.recorder.max_notification_id()
        with pytest.raises(SubjectErased):
            fresh.record_session(pid, TODAY, 30, "video", "More notes", "", history["mentor"])
        assert fresh.recorder.max_notification_id() == before
        assert fresh.load(Partnership, pid).sessions == 1
