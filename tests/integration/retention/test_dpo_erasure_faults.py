"""What the data-protection officer gets wrong, or may not do yet: each is refused with a clear
problem (RFC 9457) and writes nothing to the event log."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import Role
from dpo_support import erasure_request, nothing_written, ok, place_hold, refused
from lifecycle import TODAY, identity_of, person, unique


def execute(api, officer, request_id):
    return api.post(f"/retention/erasure-requests/{request_id}/execute", officer)


def erased(api, officer, subject) -> str:
    request_id = erasure_request(api, officer, subject)
    ok(execute(api, officer, request_id))
    api.settle()
    return request_id


class TestNamingTheSubject:
    def test_an_unknown_identity_is_not_found(self, api, officer):
        with nothing_written(api):
            refused(api.post("/retention/erasure-requests", officer,
                             {"identity": unique("nobody"), "received_on": TODAY.isoformat()}), 404)

    def test_an_unknown_opaque_id_is_not_found(self, api, officer):
        with nothing_written(api):
            refused(api.post("/retention/erasure-requests", officer,
                             {"person_id": f"p-{uuid4().hex}", "received_on": TODAY.isoformat()}), 404)

    def test_an_already_erased_person_by_opaque_id_is_a_conflict(self, api, officer, pair):
        erased(api, officer, pair["mentee"])
        with nothing_written(api):
            body = refused(api.post("/retention/erasure-requests", officer,
                                    {"person_id": pair["mentee"].id, "received_on": TODAY.isoformat()}), 409)
        assert pair["mentee"].id in body["detail"]

    def test_an_erased_persons_identity_is_no_longer_known(self, api, officer, pair):
        erased(api, officer, pair["mentee"])
        with nothing_written(api):
            refused(api.post("/retention/erasure-requests", officer,
                             {"identity": identity_of(pair["mentee"]), "received_on": TODAY.isoformat()}), 404)

    @pytest.mark.parametrize("named", ["both", "neither"])
    def test_the_body_names_exactly_one_of_identity_and_person_id(self, api, officer, pair, named):
        body = {"received_on": TODAY.isoformat()}
        if named == "both":
            body |= {"identity": identity_of(pair["mentee"]), "person_id": pair["mentee"].id}
        with nothing_written(api):
            refused(api.post("/retention/erasure-requests", officer, body), 422)

    def test_a_request_received_in_the_future_is_invalid(self, api, officer, pair):
        with nothing_written(api):
            refused(api.post("/retention/erasure-requests", officer,
                             {"person_id": pair["mentee"].id, "received_on": "2026-06-02"}), 422)


class TestClosedRequests:
    def test_executing_twice_is_a_conflict(self, api, officer, pair):
        request_id = erased(api, officer, pair["mentee"])
        with nothing_written(api):
            refused(execute(api, officer, request_id), 409)

    def test_refusing_after_completion_is_a_conflict(self, api, officer, pair):
        request_id = erased(api, officer, pair["mentee"])
        with nothing_written(api):
            refused(api.post(f"/retention/erasure-requests/{request_id}/refuse", officer,
                             {"lawful_basis": "legal_claims"}), 409)

    def test_executing_after_a_refusal_is_a_conflict(self, api, officer, pair):
        request_id = erasure_request(api, officer, pair["mentee"])
        ok(api.post(f"/retention/erasure-requests/{request_id}/refuse", officer, {"lawful_basis": "legal_obligation"}))
        with nothing_written(api):
            refused(execute(api, officer, request_id), 409)
        assert api.trellis.people.is_linked(pair["mentee"].id)

    def test_an_unknown_lawful_basis_is_invalid(self, api, officer, pair):
        request_id = erasure_request(api, officer, pair["mentee"])
        with nothing_written(api):
            refused(api.post(f"/retention/erasure-requests/{request_id}/refuse", officer,
                             {"lawful_basis": "because_we_said_so"}), 422)

    def test_an_unknown_request_is_not_found(self, api, officer):
        with nothing_written(api):
            refused(execute(api, officer, uuid4()), 404)


class TestLegalHoldsRefuseExecution:
    @pytest.mark.parametrize("target", ["person", "case", "partnership", "programme"])
    def test_a_hold_on_what_it_would_erase_refuses_it_naming_the_hold(self, api, officer, pair, target):
        target_id = {"person": pair["mentee"].id, "case": pair["case_id"], "partnership": pair["partnership_id"],
                     "programme": pair["world"].programme_id}[target]
        hold_id = place_hold(api, officer, target, target_id)
        request_id = erasure_request(api, officer, pair["mentee"])
        api.settle()
        with nothing_written(api):
            body = refused(execute(api, officer, request_id), 409)
        assert hold_id in body["detail"]
        assert api.trellis.people.is_linked(pair["mentee"].id)
        assert api.read(f"/cases/{pair['case_id']}", pair["mentee"])["stage"] == "matched"

    def test_a_hold_on_someone_else_does_not(self, api, officer, pair):
        place_hold(api, officer, "person", pair["mentor"].id)
        request_id = erasure_request(api, officer, pair["mentee"])
        ok(execute(api, officer, request_id))

    @pytest.mark.parametrize("target", ["person", "case", "partnership", "programme"])
    def test_a_hold_on_something_that_does_not_exist_is_not_found(self, api, officer, target):
        target_id = f"p-{uuid4().hex}" if target == "person" else str(uuid4())
        with nothing_written(api):
            refused(api.post("/retention/legal-holds", officer,
                             {"target": target, "target_id": target_id, "reason": "Claim ref 1"}), 404)

    def test_a_hold_on_a_malformed_id_is_not_found(self, api, officer):
        with nothing_written(api):
            refused(api.post("/retention/legal-holds", officer,
                             {"target": "case", "target_id": "not-a-case-id", "reason": "Claim ref 1"}), 404)

    def test_a_hold_on_an_unknown_kind_of_thing_is_invalid(self, api, officer, pair):
        with nothing_written(api):
            refused(api.post("/retention/legal-holds", officer,
                             {"target": "mentor", "target_id": str(pair["mentor_id"]), "reason": "Claim ref 1"}), 422)


class TestOnlyTheDpo:
    @pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR, Role.MENTEE])
    def test_others_may_not_record_or_execute_a_request(self, api, officer, pair, role):
        other = pair["mentee"] if role is Role.MENTEE else person(api.trellis, role)
        request_id = erasure_request(api, officer, pair["mentee"])
        with nothing_written(api):
            refused(api.post("/retention/erasure-requests", other,
                             {"person_id": pair["mentee"].id, "received_on": TODAY.isoformat()}), 403)
            refused(execute(api, other, request_id), 403)
