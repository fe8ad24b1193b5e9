"""Pausing Python's cycle collector around work that makes many objects and no cycles."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """No cycle collection while the block runs: an analysis, or a worker pickling its result.
    The front end makes millions of short-lived objects (tokens, nodes, entries) and the
    model it builds holds no cycle, so the collector's passes find nothing, and each costs
    more as the model in memory grows (a pass over the whole heap each time it grows by a
    quarter): 5-10% of a large estate's analysis, half the time of pickling a program's
    model. Nested use leaves the collector to the outermost.

    At the end, what the block made and keeps goes straight to the oldest generation
    (frozen, then unfrozen), where the next full collection finds it: re-enabled as it was,
    the collector would first walk all of it (a second for a thousand programs' model). That
    is skipped when something else in the process froze objects (unfreezing would undo it).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()
