"""The cyclic garbage collector while a process serves (the API, the projection worker).

Most objects are freed by their reference counts; the collector's passes are for cycles.
At Python's default thresholds a pass over the young generation came every few requests and
promoted the objects of requests still in flight, so full passes — every request waiting —
came often and took tens of milliseconds. While serving: what the process started with is
kept out of every pass (`gc.freeze`: a full pass would otherwise walk ~140,000 objects, over
100 ms), and the young generation holds 20,000 objects before a pass, not 700. Both are put
back after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

SERVING_THRESHOLDS = (20_000, 50, 100)


@contextmanager
def serving() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*SERVING_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
