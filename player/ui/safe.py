"""Routine text made safe for the screen. Tiny on purpose: every screen imports it."""

from __future__ import annotations

from player.terminal import sanitize as _sanitize


def sanitize(text: str) -> str:
    """Routine text safe for the screen: control and bidi-control characters shown as U+XXXX.

    The loader rejects control characters in files, but text also comes from
    the history file and from paths; a bidi override would reorder the line.
    The one function is player.terminal.sanitize; this name stays for the screens.
    """
    return _sanitize(text)
