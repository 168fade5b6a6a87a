"""`stage_after` and `closed_reason_after` agree with the case: both follow the table written here."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import Case, Role, closed_reason_after, recording, stage_after
from domain_support import ADMIN, AT, DAY, details, mentor, person, scene, settings, triggered

# A case's way through its stages, one command at a time: (who, command, event, stage after it or
# None where the event leaves the stage as it was, closed reason after it or None).
SELF_SELECTED_WITH_MANAGER = [
    ("manager", lambda s: s.case.approve(), "LineManagerApproved", "awaiting_matching_request", None),
    ("mentee", lambda s: s.case.hold_exploratory_conversation(s.mentor.id, DAY), "ExploratoryConversationHeld",
     None, None),
    ("mentee", lambda s: s.case.submit_matching_request([s.mentor.id], "g"), "MatchingRequestSubmitted",
     "awaiting_match", None),
    ("admin", lambda s: s.case.propose_match(s.mentor.id, "r"), "MatchProposed", "match_proposed", None),
    ("mentee", lambda s: s.case.record_discovery_call(DAY), "DiscoveryCallHeld", "discovery_call_held", None),
    ("mentee", lambda s: s.case.request_rematch(""), "RematchRequested", "awaiting_match", None),
    ("admin", lambda s: s.case.propose_match(s.mentor.id, "again"), "MatchProposed", "match_proposed", None),
    ("admin", lambda s: s.case.record_discovery_call(DAY), "DiscoveryCallHeld", "discovery_call_held", None),
    ("admin", lambda s: s.case.confirm_match(), "MatchConfirmed", "matched", None),
    ("admin", lambda s: s.case.request_rematch(""), "RematchRequested", "awaiting_match", None),
    ("admin", lambda s: s.case.propose_match(s.mentor.id, "third"), "MatchProposed", "match_proposed", None),
    ("admin", lambda s: s.case.record_discovery_call(DAY), "DiscoveryCallHeld", "discovery_call_held", None),
    ("admin", lambda s: s.case.confirm_match(), "MatchConfirmed", "matched", None),
    ("admin", lambda s: s.case.close_after_partnership(), "CaseClosed", "closed", "partnership_ended"),
]


def actor(s, who):
    return {"admin": ADMIN, "manager": s.manager, "mentee": s.mentee}[who]


class TestTheStageMachine:
    def test_follows_the_table_through_a_whole_case(self):
        s = scene("eoi", exploratory_conversations=1)
        stage = "awaiting_line_manager"
        for who, command, event_name, expected_stage, expected_reason in SELF_SELECTED_WITH_MANAGER:
            with recording(actor(s, who), AT):
                command(s)
            (event,) = triggered(s.case)
            assert type(event).__name__ == event_name
            assert stage_after(event, "self_selected") == expected_stage, event_name
            assert closed_reason_after(event) == expected_reason, event_name
            stage = expected_stage or stage
            assert s.case.stage == stage, event_name
        assert s.case.closed_reason == "partnership_ended"

    @pytest.mark.parametrize(
        ("approval", "matching", "expected"),
        [
            (True, "self_selected", "awaiting_line_manager"),
            (True, "allocated", "awaiting_line_manager"),
            (False, "self_selected", "awaiting_matching_request"),
            (False, "allocated", "awaiting_match"),
        ],
    )
    def test_an_eoi_waits_for_the_manager_or_goes_to_matching(self, approval, matching, expected):
        mentee = person(Role.MENTEE)
        with recording(mentee, AT):
            case = Case.submit_eoi(
                uuid4(), settings(line_manager_approval=approval, matching=matching), mentee.id,
                details(mentee.id), "s", "manager-1" if approval else None,
            )
        (event,) = triggered(case)
        assert (stage_after(event, matching), closed_reason_after(event), case.stage) == (expected, None, expected)

    @pytest.mark.parametrize(("matching", "expected"), [("self_selected", "awaiting_matching_request"),
                                                        ("allocated", "awaiting_match")])
    def test_an_approval_goes_to_the_programmes_way_of_matching(self, matching, expected):
        s = scene("eoi", matching=matching)
        with recording(s.manager, AT):
            s.case.approve()
        (event,) = triggered(s.case)
        assert (stage_after(event, matching), s.case.stage) == (expected, expected)

    @pytest.mark.parametrize(
        ("stage", "who", "command", "reason"),
        [
            ("eoi", "manager", lambda c: c.decline("no"), "declined"),
            ("eoi", "mentee", lambda c: c.withdraw(""), "withdrawn"),
            ("called", "admin", lambda c: c.withdraw(""), "withdrawn"),
            ("matched", "admin", lambda c: c.close_after_partnership(), "partnership_ended"),
        ],
    )
    def test_a_case_closes_with_its_reason(self, stage, who, command, reason):
        s = scene(stage)
        with recording(actor(s, who), AT):
            command(s.case)
        (event,) = triggered(s.case)
        assert (stage_after(event, "self_selected"), closed_reason_after(event)) == ("closed", reason)
        assert (s.case.stage, s.case.closed_reason) == ("closed", reason)

    def test_another_aggregates_event_moves_no_case(self):
        m = mentor("interested")
        with recording(ADMIN, AT):
            m.complete_training(DAY)
        (event,) = triggered(m)
        assert (stage_after(event, "self_selected"), closed_reason_after(event)) == (None, None)
