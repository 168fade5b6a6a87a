"""The administrators' dashboard: static files only, served by the same app.

The dashboard is a thin single-page app built on the JSON API alone; this router holds no
logic and reads no data. Assets are served from an allow-list made at import time, so a
request can never name a file outside the `static` folder. None of these routes is in the
OpenAPI schema, and none needs a token: the pages sign in with the API's bearer tokens.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import HTTPException
from fastapi.responses import FileResponse, RedirectResponse

from api.http.routing import TrellisRouter

STATIC = Path(__file__).parent / "static"
MEDIA_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
ASSETS = {
    path.relative_to(STATIC).as_posix(): path
    for path in sorted(STATIC.rglob("*"))
    if path.is_file() and path.suffix in MEDIA_TYPES
}
HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "Referrer-Policy": "no-referrer",
}

router = TrellisRouter(include_in_schema=False)


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/dashboard/")


@router.get("/dashboard")
@router.get("/dashboard/")
def index() -> FileResponse:
    return asset("index.html")


@router.get("/dashboard/{name:path}")
def asset(name: str) -> FileResponse:
    path = ASSETS.get(name)
    if path is None:
        raise HTTPException(status_code=404, detail="no such dashboard file")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=HEADERS)
