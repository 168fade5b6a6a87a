"""Mentors: interest, training, the pool and capacity."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query, Request, Response

from api.http import views
from api.http.deps import CurrentActor, ProgrammeId, ReadModelsDep, TrellisDep
from api.http.routing import TrellisRouter
from api.http.paging import DEFAULT_PAGE, After, Limit, key_of, page
from api.http.problems import COMMON, responses
from api.http.results import command, created, done
from api.http.schemas.common import Created, Done
from api.http.schemas.mentors import (
    CapacityChange, DirectoryEntryPublic, MentorCapacityPublic, MentorCreate, PoolJoin, TrainingCompletion,
)

router = TrellisRouter(prefix="/mentors", tags=["mentors"], responses=COMMON)
Filter = Annotated[str | None, Query(max_length=60)]


@router.get("", summary="The mentor directory", responses=responses(404), description=(
    "Mentors in the pool and their public profiles, in name order, a page at a time (see `limit` and `after`)."))
def directory(
    request: Request, response: Response, programme_id: ProgrammeId, read_models: ReadModelsDep,
    sector: Filter = None, region: Filter = None, expertise: Filter = None, available_only: bool = False,
    limit: Limit = DEFAULT_PAGE, after: After = None,
) -> list[DirectoryEntryPublic]:
    after_mentor = key_of(after, 1)
    found = read_models.directory(programme_id, sector=sector, region=region, expertise=expertise,
                                  available_only=available_only, limit=limit + 1,
                                  after=None if after_mentor is None else after_mentor[0])
    return page(request, response, found, limit, lambda e: (e.mentor_id,), views.directory_entry)


@router.get("/capacity", summary="The mentor capacity table", description="Capacity, held, confirmed and free.",
            responses=responses(404))
def capacity_table(programme_id: ProgrammeId, read_models: ReadModelsDep) -> list[MentorCapacityPublic]:
    return [views.shape(MentorCapacityPublic, row) for row in read_models.mentor_capacity(programme_id)]


@router.get("/{mentor_id}", summary="Read a mentor's capacity", responses=responses(404))
def read_mentor(mentor_id: UUID, read_models: ReadModelsDep) -> MentorCapacityPublic:
    return views.shape(MentorCapacityPublic, read_models.mentor(mentor_id))


@router.post("", status_code=201, **command("Express interest in mentoring",
             "By the person themselves or by an administrator. One mentor record per person per programme."))
def express_interest(body: MentorCreate, trellis: TrellisDep, actor: CurrentActor) -> Created:
    (person,) = views.people(trellis, body.person_id)
    return created(trellis.express_mentor_interest(body.programme_id, person, body.details.details(), actor))


@router.post("/{mentor_id}/training", **command("Record completed training"))
def complete_training(mentor_id: UUID, body: TrainingCompletion, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.complete_mentor_training(mentor_id, body.completed_on, actor))


@router.post("/{mentor_id}/join-pool", **command("Join the pool",
             "Publishes the directory profile and sets the capacity."))
def join_pool(mentor_id: UUID, body: PoolJoin, trellis: TrellisDep, actor: CurrentActor) -> Done:
    special = body.special.answers() if body.special else None
    return done(trellis.join_pool(mentor_id, body.capacity, body.profile.model_dump(), actor, special=special, consent=body.consent))


@router.post("/{mentor_id}/capacity", **command("Change capacity",
             "Never below the places already held or confirmed."))
def change_capacity(mentor_id: UUID, body: CapacityChange, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.change_mentor_capacity(mentor_id, body.capacity, actor))


@router.post("/{mentor_id}/pause", **command("Pause", "No new proposals while paused."))
def pause(mentor_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.pause_mentor(mentor_id, actor))


@router.post("/{mentor_id}/resume", **command("Resume"))
def resume(mentor_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.resume_mentor(mentor_id, actor))


@router.post("/{mentor_id}/leave", **command("Leave the pool", "Only with no open proposals or partnerships."))
def leave_pool(mentor_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.leave_pool(mentor_id, actor))


@router.post("/{mentor_id}/special-category-consent/withdraw", **command(
    "Withdraw consent to special-category answers",
    "By the mentor alone: the answers leave matching and are erased everywhere they were kept."))
def withdraw_mentor_consent(mentor_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.withdraw_mentor_consent(mentor_id, actor))
