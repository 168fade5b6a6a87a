"""The line manager's own reports: status, dates and the mentor's name."""

from __future__ import annotations


from api.http import views
from api.http.deps import CurrentActor, ReadModelsDep
from api.http.problems import COMMON
from api.http.schemas.oversight import LineManagerReport
from api.http.routing import TrellisRouter

router = TrellisRouter(prefix="/line-manager", tags=["line manager"], responses=COMMON)


@router.get("/reports", summary="My reports' cases",
            description="Every case naming the caller as line manager, and no other.")
def my_reports(read_models: ReadModelsDep, actor: CurrentActor) -> list[LineManagerReport]:
    return [views.shape(LineManagerReport, r) for r in read_models.line_manager_reports(actor.id)]
