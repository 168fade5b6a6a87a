"""Where things are stored: adapters between Trellis and its database.

`event_store` (the application base: per-owner encryption wired in, private copies from the
aggregate cache, snapshots from the aggregate just saved, atomic saves), `recorders` (the
one-trip PostgreSQL recorder), `copies`, `keys` (the key table) and `idempotency` (the
Idempotency-Key records). Every table of ours is written through `projections.sql`, the
one helper that knows SQLite from PostgreSQL.
"""
