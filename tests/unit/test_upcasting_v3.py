"""Events stored at version 2 load as version 3: a rating becomes the rater's personal data,
a review outcome the pair's confidential data, and a matching request or pool entry from
before consent was recorded carries no consent record."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from domain import Case, Confidential, Mentor, Partnership, Personal, SpecialCategory

PARTNERSHIP = UUID("0b5c4a4e-3f0c-4a7e-9d61-1f6f2d8c9a01")
CASE = UUID("6a1f0e57-2b8d-4c1e-8f3a-5d9e7c2b4a10")
MENTOR = UUID("c3d2e1f0-9a8b-4c7d-8e6f-5a4b3c2d1e0f")
WHEN = datetime(2025, 11, 3, 14, 0, tzinfo=UTC)


def v2(originator: UUID, actor_id: str, role: str, **fields) -> dict:
    """A version-2 event's state as the store held it (written out by hand)."""
    return {"originator_id": originator, "originator_version": 7, "timestamp": WHEN, "actor_id": actor_id,
            "actor_role": role, "on_behalf_of": None, **fields}


class TestFeedbackSubmitted:
    def test_a_clear_rating_becomes_the_raters_personal_data(self):
        state = v2(PARTNERSHIP, "p-rater", "mentee", party="mentee", rating=4,
                   comments=Personal("p-rater", "Helpful"))
        Partnership.FeedbackSubmitted.upcast_v2_v3(state)
        assert state["rating"] == Personal("p-rater", 4)
        assert (state["party"], state["comments"]) == ("mentee", Personal("p-rater", "Helpful"))

    def test_a_rating_already_protected_is_left_as_it_is(self):
        state = v2(PARTNERSHIP, "p-admin", "administrator", party="mentor", rating=Personal("p-mentor", 2),
                   comments=Personal("p-mentor", ""))
        Partnership.FeedbackSubmitted.upcast_v2_v3(state)
        assert state["rating"] == Personal("p-mentor", 2)


class TestProgressReviewed:
    def test_a_clear_outcome_becomes_the_pairs_confidential_data(self):
        state = v2(PARTNERSHIP, "p-mentor", "mentor", outcome="extend",
                   notes=Confidential(str(PARTNERSHIP), "Going well"))
        Partnership.ProgressReviewed.upcast_v2_v3(state)
        assert state["outcome"] == Confidential("0b5c4a4e-3f0c-4a7e-9d61-1f6f2d8c9a01", "extend")
        assert state["notes"] == Confidential(str(PARTNERSHIP), "Going well")

    def test_a_v3_outcome_stays_the_pairs_confidential_data_at_v4(self):
        state = v2(PARTNERSHIP, "p-mentor", "mentor", outcome=Confidential(str(PARTNERSHIP), "continue"),
                   notes=Confidential(str(PARTNERSHIP), "n"))
        Partnership.ProgressReviewed.upcast_v3_v4(state)
        assert state["outcome"] == Confidential(str(PARTNERSHIP), "continue")

    def test_an_outcome_already_confidential_is_left_as_it_is(self):
        state = v2(PARTNERSHIP, "p-mentor", "mentor", outcome=Confidential(str(PARTNERSHIP), "end"),
                   notes=Confidential(str(PARTNERSHIP), ""))
        Partnership.ProgressReviewed.upcast_v2_v3(state)
        assert state["outcome"] == Confidential(str(PARTNERSHIP), "end")


class TestConsentBeforeItWasRecorded:
    def test_a_matching_request_carries_no_consent_record(self):
        state = v2(CASE, "p-mentee", "mentee", preferences=Personal("p-mentee", [str(MENTOR)]),
                   goals=Personal("p-mentee", "Lead"), special=None)
        Case.MatchingRequestSubmitted.upcast_v2_v3(state)
        assert (state["consent"], state["special"]) == (None, None)
        assert state["goals"] == Personal("p-mentee", "Lead")

    def test_a_matching_request_keeps_its_answers(self):
        answers = SpecialCategory("p-mentee", {"ethnicity": "Irish Traveller"})
        state = v2(CASE, "p-mentee", "mentee", preferences=Personal("p-mentee", []),
                   goals=Personal("p-mentee", ""), special=answers)
        Case.MatchingRequestSubmitted.upcast_v2_v3(state)
        assert (state["consent"], state["special"]) == (None, SpecialCategory("p-mentee", {"ethnicity": "Irish Traveller"}))

    def test_a_pool_entry_carries_no_consent_record(self):
        state = v2(MENTOR, "p-mentor", "mentor", capacity=2, profile=Personal("p-mentor", {"headline": "Head"}),
                   special=None)
        Mentor.JoinedPool.upcast_v2_v3(state)
        assert (state["consent"], state["special"], state["capacity"]) == (None, None, 2)


def test_the_four_events_are_at_version_3_but_the_review_at_4():
    versions = {cls.__qualname__: cls.class_version for cls in (
        Partnership.FeedbackSubmitted, Partnership.ProgressReviewed, Case.MatchingRequestSubmitted, Mentor.JoinedPool,
    )}
    assert versions == {"Partnership.FeedbackSubmitted": 3, "Partnership.ProgressReviewed": 4,
                        "Case.MatchingRequestSubmitted": 3, "Mentor.JoinedPool": 3}
