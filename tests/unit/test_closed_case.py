"""Nothing happens to a closed case: every command is refused and nothing is written."""

from __future__ import annotations

import pytest

from domain import Case, EndReason, NotAllowed
from domain_support import ADMIN, TODAY


def closed_by(memory_app, world, how):
    mid, _ = world.mentor(capacity=2)
    if how == "declined":
        case = world.case("eoi")
        memory_app.decline_eoi(case["case_id"], case["manager"])
    elif how == "withdrawn_while_proposed":
        case = world.case("proposed", mentor_id=mid)
        memory_app.withdraw_case(case["case_id"], case["mentee"])
    else:
        case = world.case("active", mentor_id=mid)
        memory_app.end_partnership(case["partnership_id"], EndReason.COMPLETED, ADMIN)
    return case, mid


def every_case_command(app, case, mid):
    cid = case["case_id"]
    return {
        "approve": lambda: app.approve_eoi(cid, case["manager"]),
        "decline": lambda: app.decline_eoi(cid, case["manager"]),
        "matching request": lambda: app.submit_matching_request(cid, [mid], "g", case["mentee"]),
        "exploratory": lambda: app.record_exploratory_conversation(cid, mid, TODAY, case["mentee"]),
        "propose": lambda: app.propose_match(cid, mid, "r", ADMIN),
        "discovery call": lambda: app.record_discovery_call(cid, TODAY, ADMIN),
        "confirm": lambda: app.confirm_match(cid, ADMIN),
        "rematch": lambda: app.request_rematch(cid, ADMIN),
        "withdraw": lambda: app.withdraw_case(cid, case["mentee"]),
    }


class TestClosedCase:
    @pytest.mark.parametrize("how", ["declined", "withdrawn_while_proposed", "partnership_ended"])
    def test_refuses_every_command_and_never_changes(self, memory_app, world, refused, how):
        case, mid = closed_by(memory_app, world, how)
        version = memory_app.load(Case, case["case_id"]).version
        for name, command in every_case_command(memory_app, case, mid).items():
            with refused(NotAllowed, match="closed"):
                command()
        assert memory_app.load(Case, case["case_id"]).version == version
