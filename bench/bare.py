"""The limit the HTTP benchmark measures Trellis against: a bare FastAPI app with one trivial
route, served by the same server with the same settings (`python -m uvicorn bench.bare:app`)."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
