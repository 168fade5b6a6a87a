"""The API docs: Swagger UI and the OpenAPI document, served by this process alone.

Off in production unless `TRELLIS_API_DOCS=true`. Swagger UI's script and style come from
the `swagger-ui-bundle-v2` package (Swagger UI 5, which reads OpenAPI 3.1) and the page's
start-up script from this folder, all served here: no CDN, and a content-security policy
that lets the page load nothing from anywhere else and run no inline script. None of these
routes needs a token or is in the OpenAPI schema.
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from api.http.problems import problem

BUNDLE = Path(swagger_ui_bundle.swagger_ui_path)
ASSETS = {
    "swagger-ui.css": (BUNDLE / "swagger-ui.css", "text/css"),
    "swagger-ui-bundle.js": (BUNDLE / "swagger-ui-bundle.js", "text/javascript"),
    "docs.js": (Path(__file__).parent / "docs.js", "text/javascript"),
    "favicon.png": (BUNDLE / "favicon-32x32.png", "image/png"),
}
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
          "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
HEADERS = {"Content-Security-Policy": POLICY, "Cache-Control": "no-cache"}
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trellis API</title>
<link rel="icon" href="/docs/assets/favicon.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    app.add_route("/openapi.json", openapi, include_in_schema=False)
    app.add_route("/docs", page, include_in_schema=False)
    app.add_route("/docs/assets/{name}", asset, include_in_schema=False)


async def openapi(request: Request) -> Response:
    return JSONResponse(request.app.openapi())


async def page(request: Request) -> Response:
    return HTMLResponse(PAGE, headers=HEADERS)


async def asset(request: Request) -> Response:
    found = ASSETS.get(request.path_params["name"])
    if found is None:
        return problem(request, 404, "http-404", "Not found", "no such docs file")
    path, media_type = found
    return FileResponse(path, media_type=media_type, headers=HEADERS)
