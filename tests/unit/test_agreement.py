"""The agreement: the partnership starts only when mentee and mentor have both signed."""

from __future__ import annotations

import pytest

from domain import Invalid, NotAllowed, Partnership, PartnershipStatus, Party, Role
from domain_support import ADMIN, TODAY, assert_recorded, stranger


@pytest.fixture
def matched(memory_app, world):
    mid, mentor = world.mentor()
    case = world.case("matched", mentor_id=mid)
    return case | {"mentor": mentor}


class TestSigningTheAgreement:
    def test_one_signature_does_not_start_it(self, memory_app, matched):
        memory_app.sign_agreement(matched["partnership_id"], "mentee", matched["mentee"])
        partnership = memory_app.load(Partnership, matched["partnership_id"])
        assert (partnership.status, partnership.signed) == (PartnershipStatus.AWAITING_SIGNATURES, [Party.MENTEE])
        assert assert_recorded(memory_app, matched["partnership_id"], "AgreementSigned", matched["mentee"]).party == "mentee"

    def test_both_signatures_start_it(self, memory_app, matched):
        memory_app.sign_agreement(matched["partnership_id"], "mentor", matched["mentor"])
        memory_app.sign_agreement(matched["partnership_id"], "mentee", matched["mentee"])
        partnership = memory_app.load(Partnership, matched["partnership_id"])
        assert (partnership.status, partnership.started_on) == (PartnershipStatus.ACTIVE, TODAY.isoformat())
        assert_recorded(memory_app, matched["partnership_id"], "PartnershipStarted", matched["mentee"])

    def test_an_administrator_may_record_either_signature(self, memory_app, matched):
        memory_app.sign_agreement(matched["partnership_id"], "mentor", ADMIN)
        memory_app.sign_agreement(matched["partnership_id"], "mentee", ADMIN)
        assert memory_app.load(Partnership, matched["partnership_id"]).status is PartnershipStatus.ACTIVE

    def test_nobody_signs_for_the_other_party(self, memory_app, matched, refused):
        with refused(NotAllowed, match="for themselves"):
            memory_app.sign_agreement(matched["partnership_id"], "mentee", matched["mentor"])
        with refused(NotAllowed, match="for themselves"):
            memory_app.sign_agreement(matched["partnership_id"], "mentor", matched["mentee"])

    def test_outsiders_cannot_sign(self, memory_app, matched, refused):
        for actor in (stranger(Role.MENTEE), stranger(Role.MENTOR), matched["manager"]):
            with refused(NotAllowed):
                memory_app.sign_agreement(matched["partnership_id"], "mentee", actor)

    def test_a_party_signs_once(self, memory_app, matched, refused):
        memory_app.sign_agreement(matched["partnership_id"], "mentee", matched["mentee"])
        with refused(NotAllowed, match="already signed"):
            memory_app.sign_agreement(matched["partnership_id"], "mentee", ADMIN)

    def test_an_active_partnership_takes_no_more_signatures(self, memory_app, matched, refused):
        memory_app.sign_agreement(matched["partnership_id"], "mentee", matched["mentee"])
        memory_app.sign_agreement(matched["partnership_id"], "mentor", matched["mentor"])
        with refused(NotAllowed, match="active"):
            memory_app.sign_agreement(matched["partnership_id"], "mentor", matched["mentor"])

    def test_an_unknown_party_is_invalid(self, memory_app, matched, refused):
        with refused(Invalid, match="party"):
            memory_app.sign_agreement(matched["partnership_id"], "witness", ADMIN)
