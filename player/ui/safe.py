"""Routine text made safe for the screen. Tiny on purpose: every screen imports it."""

from __future__ import annotations

import re

from player.render import sanitize as _sanitize

_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def sanitize(text: str) -> str:
    """Routine text safe for the screen: control and bidi-control characters shown as U+XXXX.

    The loader rejects control characters in files, but text also comes from
    the history file and from paths; a bidi override would reorder the line.
    """
    return _BIDI.sub(lambda m: f"U+{ord(m.group()):04X}", _sanitize(text))
