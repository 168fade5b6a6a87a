"""`mentor_status_after`, `slot_after` and `partnership_status_after` agree with the aggregates:
both follow the tables written here."""

from __future__ import annotations

from uuid import uuid4

from domain import Mentor, Role, mentor_status_after, partnership_status_after, recording, slot_after
from domain_support import ADMIN, AT, DAY, PROFILE, details, form_partnership, person, scene, triggered

CASE_A, CASE_B = uuid4(), uuid4()

# (command, event, mentor status after it or None for "as it was", slot after it or None)
MENTOR = [
    (lambda m: m.complete_training(DAY), "TrainingCompleted", "trained", None),
    (lambda m: m.join_pool(2, PROFILE), "JoinedPool", "in_pool", None),
    (lambda m: m.change_capacity(3), "CapacityChanged", None, None),
    (lambda m: m.hold_slot(CASE_A), "SlotHeld", None, "held"),
    (lambda m: m.hold_slot(CASE_B), "SlotHeld", None, "held"),
    (lambda m: m.confirm_slot(CASE_A), "SlotConfirmed", None, "confirmed"),
    (lambda m: m.pause(), "Paused", "paused", None),
    (lambda m: m.release_slot(CASE_B), "SlotReleased", None, "released"),
    (lambda m: m.resume(), "Resumed", "in_pool", None),
    (lambda m: m.release_slot(CASE_A), "SlotReleased", None, "released"),
    (lambda m: m.leave_pool(), "LeftPool", "left", None),
]

# (who, command, event, partnership status after it or None)
PARTNERSHIP = [
    ("mentee", lambda p: p.sign_agreement("mentee"), ["AgreementSigned"], [None]),
    ("mentor", lambda p: p.sign_agreement("mentor"), ["AgreementSigned", "PartnershipStarted"], [None, "active"]),
    ("mentor", lambda p: p.record_session(DAY, 60, "in_person", "n", "a"), ["SessionHeld"], [None]),
    ("admin", lambda p: p.review_progress("extend", ""), ["ProgressReviewed"], [None]),
    ("mentee", lambda p: p.request_extension(2), ["ExtensionRequested"], [None]),
    ("admin", lambda p: p.decline_extension(), ["ExtensionDeclined"], [None]),
    ("mentee", lambda p: p.end("completed"), ["PartnershipEnded"], ["ended"]),
    ("admin", lambda p: p.request_feedback(), ["FeedbackRequested"], [None]),
    ("mentee", lambda p: p.submit_feedback(5, ""), ["FeedbackSubmitted"], [None]),
]


class TestMentorStatusesAndSlots:
    def test_follow_the_table_from_interest_to_leaving(self):
        who = person(Role.MENTOR)
        with recording(who, AT):
            mentor = Mentor.express_interest(uuid4(), who.id, details(who.id))
        (created,) = triggered(mentor)
        assert (mentor_status_after(created), slot_after(created), mentor.status) == ("interested", None, "interested")
        status = "interested"
        for command, event_name, expected_status, expected_slot in MENTOR:
            with recording(ADMIN, AT):
                command(mentor)
            (event,) = triggered(mentor)
            assert type(event).__name__ == event_name
            assert (mentor_status_after(event), slot_after(event)) == (expected_status, expected_slot), event_name
            status = expected_status or status
            assert mentor.status == status, event_name
        assert (mentor.held, mentor.confirmed) == ([], [])


class TestPartnershipStatuses:
    def test_follow_the_table_from_forming_to_feedback(self):
        s = scene("called")
        with recording(ADMIN, AT):
            s.case.confirm_match()
            partnership = form_partnership(s.case, s.mentor, s.settings)
        formed = triggered(partnership)
        assert [(type(e).__name__, partnership_status_after(e)) for e in formed] == [
            ("PartnershipFormed", "awaiting_signatures")
        ]
        assert partnership.status == "awaiting_signatures"
        status = "awaiting_signatures"
        for who, command, event_names, expected in PARTNERSHIP:
            with recording({"admin": ADMIN, "mentee": s.mentee, "mentor": s.mentor_actor}[who], AT):
                command(partnership)
            events = triggered(partnership)
            assert [type(e).__name__ for e in events] == event_names
            assert [partnership_status_after(e) for e in events] == expected, event_names
            status = next((x for x in reversed(expected) if x), status)
            assert partnership.status == status, event_names

    def test_another_aggregates_event_has_no_partnership_or_mentor_status(self):
        s = scene("eoi")
        with recording(s.manager, AT):
            s.case.approve()
        (event,) = triggered(s.case)
        assert (partnership_status_after(event), mentor_status_after(event), slot_after(event)) == (None, None, None)
