"""Nothing happens to a closed case: every command is refused and nothing is triggered."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import NotAllowed, recording
from domain_support import ADMIN, AT, DAY, refuses, scene, triggered


def closed(how: str):
    if how == "declined":
        s = scene("eoi")
        with recording(s.manager, AT):
            s.case.decline("no")
    elif how == "withdrawn_while_proposed":
        s = scene("proposed")
        with recording(s.mentee, AT):
            s.case.withdraw("moving")
    else:
        s = scene("matched")
        with recording(ADMIN, AT):
            s.case.close_after_partnership()
    triggered(s.case)
    return s


def every_case_command(s):
    """(who, command) for every command on a case."""
    return {
        "approve": (s.manager, lambda: s.case.approve()),
        "decline": (s.manager, lambda: s.case.decline()),
        "matching request": (s.mentee, lambda: s.case.submit_matching_request([s.mentor.id], "g")),
        "exploratory": (s.mentee, lambda: s.case.hold_exploratory_conversation(uuid4(), DAY)),
        "propose": (ADMIN, lambda: s.case.propose_match(s.mentor.id, "r")),
        "discovery call": (ADMIN, lambda: s.case.record_discovery_call(DAY)),
        "confirm": (ADMIN, lambda: s.case.confirm_match()),
        "rematch": (ADMIN, lambda: s.case.request_rematch()),
        "withdraw": (s.mentee, lambda: s.case.withdraw()),
        "close": (ADMIN, lambda: s.case.close_after_partnership()),
    }


class TestClosedCase:
    @pytest.mark.parametrize("how", ["declined", "withdrawn_while_proposed", "partnership_ended"])
    def test_refuses_every_command_and_never_changes(self, how):
        s = closed(how)
        assert s.case.stage == "closed"
        for name, (actor, command) in every_case_command(s).items():
            with recording(actor, AT), refuses(s.case, NotAllowed, match="closed"):
                command()
        assert s.case.stage == "closed"
