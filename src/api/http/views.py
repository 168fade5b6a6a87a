"""Read views: one query, shaped per audience into an allow-listed response model.

Every response model is built field by field from the query's frozen result, so a field
added to a read model never reaches a response until a model here names it.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from fastapi import Response
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.http.headers import page_policy
from api.http.schemas.cases import CaseDetail, CaseForLineManager, CaseForParty, TimelineEntry
from api.http.schemas.history import BoardAsOf, HistoryEntry, ProgrammeAsOf
from api.http.schemas.mentors import DirectoryEntryPublic
from api.http.schemas.oversight import QAStatisticsPublic, StatisticCell
from api.http.schemas.partnerships import PartnershipDetail, SessionRecordPublic
from api.http.schemas.programmes import ActionQueuesPublic, PipelinePublic, ProgrammePublic
from api.http.schemas.retention import DuePublic, ErasurePreview, HoldPublic, RequestPublic, RetentionRunPublic
from api.services import Trellis
from api.services.catalogue import ProgrammeEntry
from api.services.timelines import recorded_by_administrator
from domain import Actor, NotFound, Role, mentor_id as mentor_id_of

M = TypeVar("M", bound=BaseModel)


def people(trellis: Trellis, *identities: str | None) -> list[str | None]:
    """The opaque ids of the people a request names by identity (made on first sight)."""
    return [None if identity is None else trellis.people.person_for(identity) for identity in identities]


def programme(entry: ProgrammeEntry) -> ProgrammePublic:
    return ProgrammePublic(programme_id=str(entry.programme_id), **entry.settings.as_dict())


def shape(model: type[M], result: Any, **extra: Any) -> M:
    """Only the model's own fields are copied from the result (an allow-list)."""
    values = asdict(result) if not isinstance(result, dict) else result
    fields = {name: values[name] for name in model.model_fields if name in values}
    return model(**(fields | extra))


def case_for(read_models: Any, actor: Actor, case_id: UUID) -> BaseModel:
    if actor.role is Role.LINE_MANAGER:
        for report in read_models.line_manager_reports(actor.id):
            if report.case_id == str(case_id):
                return shape(CaseForLineManager, report)
        raise NotFound(f"no case {case_id} yet")
    summary = read_models.case_summary(case_id)
    if actor.role in (Role.MENTEE, Role.MENTOR):
        return shape(CaseForParty, summary)
    return shape(CaseDetail, summary)


# -- history: timelines and as-of ------------------------------------------------------------------
def sees_names(actor: Actor) -> bool:
    """Whether a timeline names the people in it for this reader (as the case page does)."""
    return actor.role in (Role.ADMINISTRATOR, Role.AUDITOR)


def audit_events(entries: list[Any]) -> list[TimelineEntry]:
    return [shape(TimelineEntry, e, recorded_by_administrator=recorded_by_administrator(e)) for e in entries]


def timeline(events: list[Any]) -> list[HistoryEntry]:
    return [shape(HistoryEntry, e.entry, recorded_by_administrator=e.recorded_by_administrator,
                  details=e.details, withheld=e.withheld) for e in events]


def as_of(model: type[M], past: Any, when: Any) -> M:
    """A past state, in its live shape, with the moment it describes."""
    return shape(model, asdict(past.state) | dict(past.more), version=past.version, last_event_at=past.last_event_at,
                 last_event_position=past.last_event_position, **_moment(when))


def programme_as_of(past: Any, when: Any) -> ProgrammeAsOf:
    entry = programme(past.state)
    return ProgrammeAsOf(**entry.model_dump(), version=past.version, last_event_at=past.last_event_at,
                         last_event_position=past.last_event_position, **_moment(when))


def board_as_of(board: Any, when: Any) -> BoardAsOf:
    past = pipeline_of(board.programme_id, board.stage_counts, board.queues)
    return BoardAsOf(**past.model_dump(), on=_moment(when)["on"], at=board.at, position=board.position)


def _moment(when: Any) -> dict[str, Any]:
    return {"on": None if when.on is None else when.on.isoformat(),
            "at": None if when.at is None else when.at.isoformat(), "position": when.position}


def directory_entry(entry: Any) -> DirectoryEntryPublic:
    return shape(DirectoryEntryPublic, entry, expertise=list(entry.expertise))


def my_partnerships(read_models: Any, actor: Actor, programme_id: UUID) -> list[PartnershipDetail]:
    mine = str(mentor_id_of(programme_id, actor.id))
    return [
        shape(PartnershipDetail, p) for p in read_models.partnerships(programme_id)
        if (actor.role is Role.MENTEE and p.mentee_id == actor.id)
        or (actor.role is Role.MENTOR and p.mentor_id == mine)
    ]


def session_records(trellis: Trellis, actor: Actor, partnership_id: UUID) -> list[SessionRecordPublic]:
    return [
        SessionRecordPublic(
            held_on=r.held_on, minutes=r.minutes, medium=r.medium, recorded_by_role=str(r.recorded_by_role),
            notes=r.notes if isinstance(r.notes, str) else None,
            actions=r.actions if isinstance(r.actions, str) else None,
        )
        for r in trellis.session_records(partnership_id, actor)
    ]


async def pipeline_json(read_models: Any, programme_id: UUID, stale_after_days: int, limit: int,
                        at_least: int | None) -> bytes:
    """The board as JSON: from memory, with no thread and no query, while the board kept reflects
    `at_least` (the read position announced); else read (in the thread pool)."""
    if at_least is not None:
        board = read_models.kept_board((str(programme_id), stale_after_days, limit), at_least)
        kept = _PIPELINES.get((str(programme_id), stale_after_days, limit))
        if board is not None and kept is not None and kept[0] is board:
            return kept[1]
    return await run_in_threadpool(pipeline, read_models, programme_id, stale_after_days, limit, at_least)


def pipeline(read_models: Any, programme_id: UUID, stale_after_days: int, limit: int,
             at_least: int | None = None) -> bytes:
    """The board as JSON, serialised once per board: while the read models give the very same
    board again (they do until it changes), the same bytes are answered again."""
    board = read_models.board(programme_id, stale_after_days=stale_after_days, limit=limit, at_least=at_least)
    key = (str(programme_id), stale_after_days, limit)
    kept = _PIPELINES.get(key)
    if kept is not None and kept[0] is board:
        return kept[1]
    body = pipeline_of(programme_id, *board, limit).model_dump_json().encode()
    if len(_PIPELINES) >= PIPELINES_KEPT:
        _PIPELINES.clear()
    _PIPELINES[key] = (board, body)
    return body


PIPELINES_KEPT = 64
_PIPELINES: dict[tuple, tuple[tuple, bytes]] = {}  # (programme, stale days, limit) → (the board, its JSON)


def answer(model: BaseModel) -> Response:
    """An allow-listed model as JSON, serialised once (not validated again and dumped twice)."""
    return Response(model.model_dump_json(), media_type="application/json")


def json_answer(body: bytes, response: Response) -> Response:
    """JSON already serialised, with the headers the dependencies set (the read position)."""
    return Response(body, media_type="application/json", headers=dict(response.headers))


def pipeline_of(programme_id: UUID | str, stage_counts: dict[str, int], queues: Any,
                sizes: dict[str, int] | None = None, limit: int | None = None) -> PipelinePublic:
    """Without `sizes`, each queue holds all its items and its size is their number."""
    public = shape(ActionQueuesPublic, queues)
    if sizes is None:
        sizes = {name: len(value) for name, value in public if isinstance(value, list)}
    return PipelinePublic(programme_id=str(programme_id), stage_counts=stage_counts, queues=public,
                          queue_sizes=sizes, queue_limit=limit)


def statistics(read_models: Any, programme_id: UUID, period: str) -> QAStatisticsPublic:
    stats = read_models.statistics(programme_id, period)
    return QAStatisticsPublic(
        programme_id=stats.programme_id, period=stats.period, threshold=stats.threshold,
        cells=[StatisticCell(name=c.name, value=c.value, suppressed=c.suppressed) for c in stats.cells],
    )


# -- the data-protection officer's ------------------------------------------------------------------
def request(r: Any, now: Any) -> RequestPublic:
    overdue = r.state == "received" and now.date().isoformat() > r.due_on
    return shape(RequestPublic, asdict(r), overdue=overdue)


def erasure_preview(plan: Any) -> ErasurePreview:
    return ErasurePreview(
        request_id=plan.request_id, subject_id=plan.subject_id, keys_to_destroy=plan.live_keys,
        cases_to_close=list(plan.cases_to_close), cases_to_return_to_matching=list(plan.cases_to_return_to_matching),
        mentor_records_to_close=list(plan.mentor_records), partnerships_whose_records_go=list(plan.partnerships),
        identity_linked=plan.identity_linked,
        held_by=[shape(HoldPublic, asdict(h), active=h.active) for h in plan.holds],
    )


def retention_run(summary: Any) -> RetentionRunPublic:
    return RetentionRunPublic(dry_run=summary.dry_run, due=[shape(DuePublic, asdict(d)) for d in summary.due],
                              erased=summary.erased, held=summary.held)


def export_page(export: Any) -> str:
    """The export as a page the DPO can print (everything escaped)."""
    return EXPORT_PAGE.render(export=export.as_dict())


EXPORT_PAGE = Environment(
    loader=PackageLoader("api.http", "templates"), autoescape=select_autoescape(["html"]),
).get_template("subject_export.html")
# The page's own <style>, allowed by its hash: the content-security policy and the page agree.
EXPORT_HEADERS = {"Content-Security-Policy": page_policy(Path(EXPORT_PAGE.filename).read_text())}
