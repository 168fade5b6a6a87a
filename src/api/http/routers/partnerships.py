"""Partnerships: agreement, confidential sessions, review, extension, end and feedback."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import Query, Request, Response

from api.http import views
from api.http.deps import CurrentActor, ProgrammeId, ReadModelsDep, TrellisDep
from api.http.routing import TrellisRouter
from api.http.paging import DEFAULT_PAGE, After, Limit, key_of, page
from api.http.problems import COMMON, responses
from api.http.results import command, done
from api.http.schemas.common import Done
from api.http.schemas.partnerships import (
    ExtensionRequest, FeedbackCreate, PartnershipDetail, PartnershipEnd, ProgressReview, SessionCreate,
    SessionRecordPublic, Signature,
)

router = TrellisRouter(prefix="/partnerships", tags=["partnerships"], responses=COMMON)


@router.get("", summary="List a programme's partnerships", responses=responses(404), description=(
    "For administrators and auditors, in the order they were formed, a page at a time (see `limit` and `after`)."))
def list_partnerships(
    request: Request, response: Response, programme_id: ProgrammeId, read_models: ReadModelsDep,
    status: Annotated[Literal["awaiting_signatures", "active", "ended"] | None, Query()] = None,
    limit: Limit = DEFAULT_PAGE, after: After = None,
) -> list[PartnershipDetail]:
    found = read_models.partnerships(programme_id, status=status, limit=limit + 1, after=key_of(after, 2))
    return page(request, response, found, limit, lambda p: (p.formed_at, p.partnership_id),
                lambda p: views.shape(PartnershipDetail, p))


@router.get("/mine", summary="My partnerships", description="The mentee's or mentor's own, in a programme.",
            responses=responses(404))
def my_partnerships(
    programme_id: ProgrammeId, read_models: ReadModelsDep, actor: CurrentActor,
) -> list[PartnershipDetail]:
    return views.my_partnerships(read_models, actor, programme_id)


@router.get("/{partnership_id}", summary="Read a partnership", responses=responses(404),
            description="Status, dates, signatures and counts; never session content.")
def read_partnership(partnership_id: UUID, read_models: ReadModelsDep) -> PartnershipDetail:
    return views.shape(PartnershipDetail, read_models.partnership_summary(partnership_id))


@router.get("/{partnership_id}/sessions", summary="The pair's session records", responses=responses(404),
            description="Confidential: the mentee and the mentor of this partnership alone may read them.")
def session_records(partnership_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> list[SessionRecordPublic]:
    return views.session_records(trellis, actor, partnership_id)


@router.post("/{partnership_id}/signatures", **command("Sign the agreement",
             "Each party signs for themselves, or an administrator records it; both signatures start it."))
def sign_agreement(partnership_id: UUID, body: Signature, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.sign_agreement(partnership_id, body.party, actor))


@router.post("/{partnership_id}/sessions", status_code=201, **command("Record a session",
             "By the mentee or mentor. Notes and actions are confidential to the pair."))
def record_session(partnership_id: UUID, body: SessionCreate, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.record_session(partnership_id, body.held_on, body.minutes, body.medium, body.notes, body.actions, actor))


@router.post("/{partnership_id}/review", **command("Review progress", "The review's notes are confidential."))
def review_progress(partnership_id: UUID, body: ProgressReview, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.review_progress(partnership_id, body.outcome, body.notes, actor))


@router.post("/{partnership_id}/extension-request", **command("Request an extension"))
def request_extension(partnership_id: UUID, body: ExtensionRequest, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.request_extension(partnership_id, body.months, actor))


@router.post("/{partnership_id}/extension-grant", **command("Grant the extension",
             "Weighed against the mentor's free capacity and the cases waiting for a match."))
def grant_extension(partnership_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.grant_extension(partnership_id, actor))


@router.post("/{partnership_id}/extension-decline", **command("Decline the extension"))
def decline_extension(partnership_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.decline_extension(partnership_id, actor))


@router.post("/{partnership_id}/end", **command("End the partnership", "Closes the case and frees the slot."))
def end_partnership(partnership_id: UUID, body: PartnershipEnd, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.end_partnership(partnership_id, body.reason, actor))


@router.post("/{partnership_id}/feedback-request", **command("Send the feedback forms"))
def request_feedback(partnership_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.request_feedback(partnership_id, actor))


@router.post("/{partnership_id}/feedback", status_code=201, **command("Give feedback",
             "By the mentee or mentor, once asked. Used only for anonymous QA statistics."))
def submit_feedback(partnership_id: UUID, body: FeedbackCreate, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.submit_feedback(partnership_id, body.rating, body.comments, actor))
