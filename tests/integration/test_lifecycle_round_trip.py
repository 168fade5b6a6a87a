"""The whole lifecycle persisted and read back by a fresh application, on SQLite and PostgreSQL."""

from __future__ import annotations


import pytest

from api.bootstrap import build_app
from domain import (
    Case, ClosedReason, EndReason, Mentor, NotAllowed, Partnership, PartnershipStatus, Party, Stage,
)
from lifecycle import ADMIN, NOW, TODAY, World


def event_names(app, aggregate_id) -> list[str]:
    return [type(e).__name__ for e in app.events.get(aggregate_id)]


class TestLifecycleRoundTrip:
    def test_every_step_is_stored_and_reloads_in_a_fresh_application(self, app, settings):
        world = World.create(app, exploratory_conversations=1)
        mid, mentor = world.mentor(capacity=1, name="Rosalind Mentor")
        other, _ = world.mentor(capacity=1)
        case = world.case("approved", name="Mo Mentee")
        cid, mentee = case["case_id"], case["mentee"]
        app.record_exploratory_conversation(cid, other, TODAY, mentee)
        app.submit_matching_request(cid, [mid, other], "Lead a team", mentee, special={"disability": "d"}, consent=True)
        app.propose_match(cid, other, "Second choice has room", ADMIN)
        app.record_discovery_call(cid, TODAY, mentee)
        app.request_rematch(cid, mentee, reason="Not the right fit")
        app.propose_match(cid, mid, "First choice", ADMIN)
        app.record_discovery_call(cid, TODAY, mentor)
        pid = app.confirm_match(cid, ADMIN).id
        app.sign_agreement(pid, "mentee", mentee)
        app.sign_agreement(pid, "mentor", mentor)
        app.record_session(pid, TODAY, 55, "video", "Notes one", "Action one", mentee)
        app.review_progress(pid, "extend", "Review notes", mentor)
        app.request_extension(pid, 3, mentee)
        app.decline_extension(pid, ADMIN)
        app.request_extension(pid, 6, mentee)
        app.grant_extension(pid, ADMIN)
        app.end_partnership(pid, EndReason.COMPLETED, mentee)
        app.request_feedback(pid, ADMIN)
        app.submit_feedback(pid, 5, "Very useful", mentee)
        app.submit_feedback(pid, 4, "Rewarding", mentor)

        fresh = build_app(settings)
        try:
            loaded = fresh.load(Case, cid)
            assert (loaded.stage, loaded.closed_reason, loaded.matches) == (Stage.CLOSED, ClosedReason.PARTNERSHIP_ENDED, 1)
            assert loaded.details["name"].value == "Mo Mentee"
            assert loaded.special.value == {"disability": "d"}
            assert loaded.preferences.value == [str(mid), str(other)]
            assert event_names(fresh, cid) == [
                "EOISubmitted", "LineManagerApproved", "ExploratoryConversationHeld", "MatchingRequestSubmitted",
                "MatchProposed", "DiscoveryCallHeld", "RematchRequested", "MatchProposed", "DiscoveryCallHeld",
                "MatchConfirmed", "CaseClosed",
            ]
            partnership = fresh.load(Partnership, pid)
            assert (partnership.status, partnership.end_reason, partnership.planned_months) == (
                PartnershipStatus.ENDED, EndReason.COMPLETED, 18,
            )
            assert (partnership.sessions, partnership.feedback_from) == (1, ["mentee", "mentor"])
            assert event_names(fresh, pid) == [
                "PartnershipFormed", "AgreementSigned", "AgreementSigned", "PartnershipStarted", "SessionHeld",
                "ProgressReviewed", "ExtensionRequested", "ExtensionDeclined", "ExtensionRequested",
                "ExtensionGranted", "PartnershipEnded", "FeedbackRequested", "FeedbackSubmitted", "FeedbackSubmitted",
            ]
            (session,) = fresh.session_records(pid, mentor)
            assert (session.notes, session.actions, session.minutes, session.medium) == ("Notes one", "Action one", 55, "video")
            for mentor_id in (mid, other):
                slots = fresh.load(Mentor, mentor_id)
                assert (slots.held, slots.confirmed, slots.free) == ([], [], 1)
            assert fresh.load(Mentor, mid).details["name"].value == "Rosalind Mentor"
            signed = [e for e in fresh.events.get(pid) if type(e).__name__ == "AgreementSigned"]
            assert [(e.party, e.actor_id, e.on_behalf_of) for e in signed] == [
                ("mentee", mentee.id, None), ("mentor", mentor.id, None)]
            for event in fresh.events.get(pid):
                assert (event.actor_id, event.timestamp) != (None, None) and event.timestamp == NOW
        finally:
            fresh.close()

    def test_a_refused_command_writes_nothing_to_the_database(self, app):
        world = World.create(app)
        mid, _ = world.mentor(capacity=1)
        world.case("proposed", mentor_id=mid)
        waiting = world.case("requested", mentor_id=mid)
        before = app.recorder.max_notification_id()
        with pytest.raises(NotAllowed, match="no free capacity"):
            app.propose_match(waiting["case_id"], mid, "r", ADMIN)
        assert app.recorder.max_notification_id() == before
        assert event_names(app, waiting["case_id"])[-1] == "MatchingRequestSubmitted"


class TestSnapshots:
    def test_a_snapshot_restores_exactly_the_state_the_events_give(self, app, settings):
        world = World.create(app)
        mid, mentor = world.mentor()
        case = world.case("active", mentor_id=mid)
        ids = (world.programme_id, mid, case["case_id"], case["partnership_id"])
        replayed = {i: vars(app.repository.get(i)) for i in ids}
        for aggregate_id in ids:
            app.take_snapshot(aggregate_id)
        fresh = build_app(settings)
        try:
            for aggregate_id in ids:
                restored = vars(fresh.repository.get(aggregate_id))
                assert restored == replayed[aggregate_id]
                assert {k: type(v) for k, v in restored.items()} == {k: type(v) for k, v in replayed[aggregate_id].items()}
        finally:
            fresh.close()

    def test_a_long_partnership_snapshotted_on_its_own_still_refuses_with_domain_errors(self, app, settings):
        world = World.create(app)
        mid, mentor = world.mentor()
        case = world.case("active", mentor_id=mid)
        pid = case["partnership_id"]
        for _ in range(47):  # with the 3 events of forming and signing, the 50th event is snapshotted
            app.record_session(pid, TODAY, 30, "video", "n", "a", mentor)
        fresh = build_app(settings)
        try:
            assert next(fresh.snapshots.get(pid, desc=True, limit=1)).originator_version == 50
            partnership = fresh.load(Partnership, pid)
            assert (partnership.status, partnership.signed) == (PartnershipStatus.ACTIVE, [Party.MENTEE, Party.MENTOR])
            with pytest.raises(NotAllowed, match="is active"):
                fresh.request_feedback(pid, ADMIN)
            with pytest.raises(NotAllowed, match="is active"):
                fresh.sign_agreement(pid, "mentor", mentor)
            fresh.end_partnership(pid, EndReason.COMPLETED, mentor)
            assert fresh.load(Partnership, pid).end_reason is EndReason.COMPLETED
        finally:
            fresh.close()
