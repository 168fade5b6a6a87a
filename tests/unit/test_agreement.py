"""The agreement: the partnership starts only when mentee and mentor have both signed."""

from __future__ import annotations

from domain import Invalid, NotAllowed, Role, recording
from domain_support import ADMIN, AT, person, refuses, scene, triggered


class TestSigningTheAgreement:
    def test_one_signature_does_not_start_it(self):
        s = scene("matched")
        with recording(s.mentee, AT):
            s.partnership.sign_agreement("mentee")
        (event,) = triggered(s.partnership)
        assert (type(event).__name__, event.party) == ("AgreementSigned", "mentee")
        assert (s.partnership.status, s.partnership.signed, s.partnership.started_on) == (
            "awaiting_signatures", ["mentee"], None,
        )

    def test_both_signatures_start_it(self):
        s = scene("matched")
        with recording(s.mentor_actor, AT):
            s.partnership.sign_agreement("mentor")
        with recording(s.mentee, AT):
            s.partnership.sign_agreement("mentee")
        assert [type(e).__name__ for e in triggered(s.partnership)] == [
            "AgreementSigned", "AgreementSigned", "PartnershipStarted",
        ]
        assert (s.partnership.status, s.partnership.signed, s.partnership.started_on) == (
            "active", ["mentor", "mentee"], "2026-06-01",
        )

    def test_an_administrator_may_record_either_signature(self):
        s = scene("matched")
        with recording(ADMIN, AT):
            s.partnership.sign_agreement("mentor")
            s.partnership.sign_agreement("mentee")
        assert s.partnership.status == "active"

    def test_nobody_signs_for_the_other_party(self):
        s = scene("matched")
        with recording(s.mentor_actor, AT), refuses(s.partnership, NotAllowed, match="for themselves"):
            s.partnership.sign_agreement("mentee")
        with recording(s.mentee, AT), refuses(s.partnership, NotAllowed, match="for themselves"):
            s.partnership.sign_agreement("mentor")

    def test_outsiders_cannot_sign(self):
        s = scene("matched")
        for actor in (person(Role.MENTEE), person(Role.MENTOR), s.manager):
            with recording(actor, AT), refuses(s.partnership, NotAllowed):
                s.partnership.sign_agreement("mentee")

    def test_a_party_signs_once(self):
        s = scene("matched")
        with recording(s.mentee, AT):
            s.partnership.sign_agreement("mentee")
        with recording(ADMIN, AT), refuses(s.partnership, NotAllowed, match="already signed"):
            s.partnership.sign_agreement("mentee")

    def test_an_active_partnership_takes_no_more_signatures(self):
        s = scene("active")
        with recording(s.mentor_actor, AT), refuses(s.partnership, NotAllowed, match="active"):
            s.partnership.sign_agreement("mentor")

    def test_an_unknown_party_is_invalid(self):
        s = scene("matched")
        with recording(ADMIN, AT), refuses(s.partnership, Invalid, match="party"):
            s.partnership.sign_agreement("witness")
