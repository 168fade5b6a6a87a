"""Benchmarks that print Trellis's figures beside a raw PostgreSQL baseline.

PostgreSQL only; a benchmark is never a timed unit test. `python -m bench` runs every
suite module that exists, in `SUITES` order; each also runs alone
(`python -m bench.events`). A suite module provides:

- `add_arguments(parser)`: its own options (the shared ones come from `bench.common`);
- `run(args) -> bool`: measures, prints its table, and says whether its target was met.
"""

SUITES = ("events", "projections", "http", "erasure", "chain")
