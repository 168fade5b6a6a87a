"""A data subject's request (erasure or access): received by the data-protection officer,
due one calendar month later, completed or (an erasure, on a lawful basis) refused once."""

from __future__ import annotations

from datetime import date

import pytest

from domain import SYSTEM, Invalid, NotAllowed, Role, SubjectRequest, recording
from domain_support import AT, person, refuses, triggered

DPO = person(Role.DPO)
SUBJECT = "p-subject"
NOT_DPO_OR_SYSTEM = ["administrator", "line_manager", "mentor", "mentee", "auditor"]


def test_the_roles_refused_are_every_role_but_the_dpo_and_the_system():
    assert {*NOT_DPO_OR_SYSTEM, "dpo", "system"} == {role.value for role in Role}


def received(kind: str = "erasure", on: date = date(2026, 5, 20)) -> SubjectRequest:
    with recording(DPO, AT):
        request = SubjectRequest.receive(kind, SUBJECT, on)
    triggered(request)
    return request


class TestReceiving:
    @pytest.mark.parametrize("kind", ["erasure", "access"])
    def test_the_dpo_receives_it_naming_the_subject_by_their_opaque_id(self, kind):
        with recording(DPO, AT):
            request = SubjectRequest.receive(kind, SUBJECT, date(2026, 5, 20))
        (event,) = triggered(request)
        assert (type(event).__name__, event.kind, event.subject_id, event.received_on, event.due_on) == (
            "Received", kind, SUBJECT, "2026-05-20", "2026-06-20",
        )
        assert (request.state, request.outcome) == ("received", {})

    @pytest.mark.parametrize(
        ("received_on", "due_on"),
        [
            (date(2026, 3, 15), date(2026, 4, 15)),
            (date(2026, 1, 31), date(2026, 2, 28)),
            (date(2024, 1, 31), date(2024, 2, 29)),  # a leap year
            (date(2025, 12, 31), date(2026, 1, 31)),
            (date(2026, 3, 31), date(2026, 4, 30)),
            (date(2026, 6, 1), date(2026, 7, 1)),  # received today
        ],
    )
    def test_is_due_one_calendar_month_later(self, received_on, due_on):
        assert received("access", received_on).due_on == due_on.isoformat()

    def test_the_system_receives_one_when_retention_runs_out(self):
        with recording(SYSTEM, AT):
            request = SubjectRequest.receive("retention", SUBJECT, date(2026, 6, 1))
        assert (request.kind, request.state) == ("retention", "received")

    @pytest.mark.parametrize("role", NOT_DPO_OR_SYSTEM)
    def test_no_other_role_receives_one(self, role):
        with recording(person(Role(role)), AT), pytest.raises(NotAllowed, match="dpo"):
            SubjectRequest.receive("erasure", SUBJECT, date(2026, 5, 20))

    @pytest.mark.parametrize(
        ("kind", "subject_id", "received_on", "message"),
        [
            ("forget-me", SUBJECT, date(2026, 5, 20), "kind"),
            ("erasure", "", date(2026, 5, 20), "subject"),
            ("erasure", SUBJECT, date(2026, 6, 2), "future"),
            ("erasure", SUBJECT, "2026-05-20", "date"),
        ],
    )
    def test_malformed_requests_are_invalid(self, kind, subject_id, received_on, message):
        with recording(DPO, AT), pytest.raises(Invalid, match=message):
            SubjectRequest.receive(kind, subject_id, received_on)

    def test_requests_are_new_each_time_but_retention_erases_a_person_once(self):
        with recording(SYSTEM, AT):
            asked = [SubjectRequest.receive("erasure", SUBJECT, date(2026, 5, 20)) for _ in range(2)]
            ran_out = [SubjectRequest.receive("retention", SUBJECT, day) for day in (date(2026, 5, 1), date(2026, 6, 1))]
        assert asked[0].id != asked[1].id
        assert ran_out[0].id == ran_out[1].id


class TestCompleting:
    @pytest.mark.parametrize("who", ["dpo", "system"])
    def test_records_counts_once(self, who):
        request = received()
        with recording({"dpo": DPO, "system": SYSTEM}[who], AT):
            request.complete({"keys": 2, "events": 14})
            with refuses(request, NotAllowed, match="already completed"):
                request.complete({"keys": 0})
        with recording(DPO, AT), refuses(request, NotAllowed, match="already completed"):
            request.refuse("legal_claims")
        (event,) = triggered(request)
        assert (type(event).__name__, event.counts) == ("Completed", {"events": 14, "keys": 2})
        assert (request.state, request.outcome) == ("completed", {"events": 14, "keys": 2})

    @pytest.mark.parametrize("counts", [{"names": "Ada"}, {"keys": -1}, {"keys": 1.5}])
    def test_counts_only(self, counts):
        request = received("access")
        with recording(DPO, AT), refuses(request, Invalid, match="counts"):
            request.complete(counts)

    @pytest.mark.parametrize("role", NOT_DPO_OR_SYSTEM)
    def test_no_other_role_completes_one(self, role):
        request = received()
        with recording(person(Role(role)), AT), refuses(request, NotAllowed):
            request.complete({"keys": 1})
        assert request.state == "received"


class TestRefusing:
    def test_the_dpo_refuses_an_erasure_on_a_lawful_basis_once(self):
        request = received("erasure")
        with recording(DPO, AT):
            request.refuse("legal_claims")
            with refuses(request, NotAllowed, match="already refused"):
                request.refuse("legal_obligation")
            with refuses(request, NotAllowed, match="already refused"):
                request.complete({"keys": 1})
        (event,) = triggered(request)
        assert (type(event).__name__, event.basis) == ("Refused", "legal_claims")
        assert (request.state, request.outcome) == ("refused", {"lawful_basis": "legal_claims"})

    @pytest.mark.parametrize("basis", ["freedom_of_expression", "legal_obligation", "public_health",
                                       "archiving_or_research", "legal_claims"])
    def test_each_lawful_basis_is_known(self, basis):
        request = received("erasure")
        with recording(DPO, AT):
            request.refuse(basis)
        assert request.outcome == {"lawful_basis": basis}

    @pytest.mark.parametrize("basis", ["", "too busy", None])
    def test_an_unknown_basis_is_invalid(self, basis):
        request = received("erasure")
        with recording(DPO, AT), refuses(request, Invalid, match="lawful_basis"):
            request.refuse(basis)

    @pytest.mark.parametrize("kind", ["access", "retention"])
    def test_only_an_erasure_is_refused(self, kind):
        with recording(SYSTEM, AT):
            request = SubjectRequest.receive(kind, SUBJECT, date(2026, 5, 20))
        triggered(request)
        with recording(DPO, AT), refuses(request, NotAllowed, match="only an erasure"):
            request.refuse("legal_claims")

    @pytest.mark.parametrize("role", [*NOT_DPO_OR_SYSTEM, "system"])
    def test_the_dpo_alone_refuses(self, role):
        request = received("erasure")
        actor = SYSTEM if role == "system" else person(Role(role))
        with recording(actor, AT), refuses(request, NotAllowed):
            request.refuse("legal_claims")
        assert request.state == "received"
