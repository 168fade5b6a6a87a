"""The HTTP API: FastAPI app, routers per resource, auth, the policy table, problems."""
