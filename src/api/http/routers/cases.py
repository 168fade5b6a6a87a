"""A mentee's case, from expression of interest to a confirmed match."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import Query, Request, Response

from api.http import views
from api.http.deps import CurrentActor, ProgrammeId, ReadModelsDep, TrellisDep
from api.http.routing import TrellisRouter
from api.http.paging import DEFAULT_PAGE, After, Limit, key_of, page
from api.http.problems import COMMON, responses
from api.http.results import command, created, done
from api.http.schemas.cases import (
    CaseCreate, CaseDetail, CaseView, DiscoveryCall, EOIApproval, EOIDecline, ExploratoryConversation,
    MatchingRequest, MatchProposal, RematchRequest, Withdrawal,
)
from api.http.schemas.common import Created, Done
from domain import Stage

router = TrellisRouter(prefix="/cases", tags=["cases"], responses=COMMON)
StageName = Literal[tuple(s.value for s in Stage)]  # type: ignore[valid-type]


@router.get("", summary="List a programme's cases", responses=responses(404), description=(
    "For administrators and auditors, in submission order, a page at a time (see `limit` and `after`)."))
def list_cases(
    request: Request, response: Response, programme_id: ProgrammeId, read_models: ReadModelsDep,
    stage: Annotated[StageName | None, Query()] = None, limit: Limit = DEFAULT_PAGE, after: After = None,
) -> list[CaseDetail]:
    found = read_models.cases(programme_id, stage=stage, limit=limit + 1, after=key_of(after, 2))
    return page(request, response, found, limit, lambda c: (c.submitted_at, c.case_id),
                lambda c: views.shape(CaseDetail, c))


@router.get("/{case_id}", summary="Read a case", responses=responses(404), response_model=CaseView, description=(
    "Shaped for the reader: administrators and auditors see the case in full (never content); the "
    "line manager sees status, dates and the mentor's name; the mentee and the mentor see their own case."))
def read_case(case_id: UUID, read_models: ReadModelsDep, actor: CurrentActor) -> Response:
    return views.answer(views.case_for(read_models, actor, case_id))  # the shaped model, serialised once


@router.post("", status_code=201, **command("Submit an expression of interest",
             "By the mentee for themselves, or by an administrator on their behalf."))
def submit_eoi(body: CaseCreate, trellis: TrellisDep, actor: CurrentActor) -> Created:
    mentee, line_manager = views.people(trellis, body.mentee_id, body.line_manager_id)
    return created(trellis.submit_eoi(body.programme_id, mentee, body.details.details(), body.statement, actor,
                                      line_manager_id=line_manager))


@router.post("/{case_id}/approve", **command("Approve the expression of interest", "By the mentee's line manager."))
def approve_eoi(case_id: UUID, body: EOIApproval, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.approve_eoi(case_id, actor, priority=body.priority))


@router.post("/{case_id}/decline", **command("Decline the expression of interest", "Closes the case."))
def decline_eoi(case_id: UUID, body: EOIDecline, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.decline_eoi(case_id, actor, reason=body.reason))


@router.post("/{case_id}/matching-request", **command("Submit the matching request",
             "Ranked preferred mentors and goals; special-category answers only with consent."))
def submit_matching_request(case_id: UUID, body: MatchingRequest, trellis: TrellisDep, actor: CurrentActor) -> Done:
    special = body.special.answers() if body.special else None
    return done(trellis.submit_matching_request(case_id, body.preferences, body.goals, actor, special=special, consent=body.consent))


@router.post("/{case_id}/exploratory-conversations", **command("Record an exploratory conversation",
             "A no-obligation conversation with a mentor, where the programme allows them."))
def record_exploratory_conversation(
    case_id: UUID, body: ExploratoryConversation, trellis: TrellisDep, actor: CurrentActor
) -> Done:
    return done(trellis.record_exploratory_conversation(case_id, body.mentor_id, body.held_on, actor))


@router.post("/{case_id}/match-proposal", **command("Propose a match", "Holds a slot of the mentor's capacity."))
def propose_match(case_id: UUID, body: MatchProposal, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.propose_match(case_id, body.mentor_id, body.reasons, actor))


@router.post("/{case_id}/discovery-call", **command("Record the discovery call"))
def record_discovery_call(case_id: UUID, body: DiscoveryCall, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.record_discovery_call(case_id, body.held_on, actor))


@router.post("/{case_id}/confirm-match", status_code=201, **command("Confirm the match",
             "Forms the partnership; `id` in the answer is the partnership's."))
def confirm_match(case_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> Created:
    return created(trellis.confirm_match(case_id, actor))


@router.post("/{case_id}/rematch", **command("Request a rematch",
             "No blame: the mentor's capacity is released and the case returns to matching."))
def request_rematch(case_id: UUID, body: RematchRequest, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.request_rematch(case_id, actor, reason=body.reason))


@router.post("/{case_id}/withdraw", **command("Withdraw the case", "Ends the case at any stage."))
def withdraw_case(case_id: UUID, body: Withdrawal, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.withdraw_case(case_id, actor, reason=body.reason))


@router.post("/{case_id}/special-category-consent/withdraw", **command(
    "Withdraw consent to special-category answers",
    "By the mentee alone: the answers leave matching and are erased everywhere they were kept."))
def withdraw_case_consent(case_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.withdraw_case_consent(case_id, actor))
