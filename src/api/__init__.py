"""The outer ring: application services, their storage, settings, and the ways in.

`services/` decides nothing itself — it loads aggregates, lets the domain decide inside the
actor's recording, and saves; `persistence/` stores events, keys and idempotency records;
`http/` (the FastAPI app, its auth, policy, schemas and dashboard) and `cli/` (the
`trellis` command, with the demo's data) are the ways in; `bootstrap` composes them from
`settings`.
"""
