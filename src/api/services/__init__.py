"""The application services: where a command is decided (by the domain) and saved.

`Trellis` composes one module per resource — `programmes`, `mentors`, `cases`,
`partnerships` — each a typed method per command, and the queries answered from the event
store itself: `sessions` (the pair's confidential records), `catalogue` (programmes),
`history` (timelines, and anything as it stood at a past moment) and `ownership` (is this
object the actor's own). `matching_queue` reads which cases wait for a match from a read
model; `clock` is where "now" comes from.
"""

from api.services.clock import Clock, ManualClock, utc_now
from api.services.commanding import Recorded
from api.services.trellis import Trellis

__all__ = ["Clock", "ManualClock", "Recorded", "Trellis", "utc_now"]
