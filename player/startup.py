"""Start-up: the cyclic garbage collector waits until the first frame is on screen.

Importing Textual makes some hundred thousand objects, and the collector would walk
them again and again while nothing they make is garbage yet. `vmo` pauses it for
start-up, as Textual itself pauses it during smooth scrolling (`PAUSE_GC_ON_SCROLL`).
Issue 14 asked to drop this unless it is worth more than 5 % of a first frame: it is.
Without it `vmo cramp`'s first frame took +21 % wall and +12 % CPU (medians of 15,
bench/cramp_startup.py, which measures both in each run), `vmo play`'s +7 % wall.
Reference counting frees memory as usual meanwhile.

The full-screen apps call `first_frame_shown()` once their first frame is out, the
plain players once their first lines are; every other command gets the collector back
as soon as its arguments are parsed, and all of them when `vmo` returns.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

_paused = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector (if it runs) for the block; it is back on when the block ends."""
    global _paused
    if not gc.isenabled():
        yield  # someone else turned it off: theirs to turn back on
        return
    gc.disable()
    _paused = True
    try:
        yield
    finally:
        first_frame_shown()


def first_frame_shown() -> None:
    """Start-up is over: the collector runs again (once; later calls do nothing)."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
