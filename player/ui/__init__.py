"""The Textual terminal UI: library, safety notes, player, summary, help and history screens.

Importing this package imports nothing heavy; `play` and `player.ui.app` pull in Textual.
`vmo play ROUTINE` (without --plain) calls `play`; bare `vmo` goes through
`player.commands.library_ui`.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from player.model import Routine


def play(routine: Routine, args: argparse.Namespace) -> int:
    """Play `routine` in the terminal UI with the common options in `args`; the exit status."""
    if not is_terminal():
        # `vmo play x > log` or in a pipe: a full-screen UI would only write escape codes there.
        from player.plain import play_plain

        return play_plain(
            routine, speed=getattr(args, "speed", 1.0), mute=getattr(args, "mute", False),
            audio=getattr(args, "audio", None), voice=getattr(args, "voice", None), watch=_watch(args),
        )
    from player.ui.app import VmoApp, run_app

    # The settings are read after the first frame; their problems show as notices.
    app = VmoApp(
        routine=routine, speed=getattr(args, "speed", 1.0), mute=getattr(args, "mute", False),
        audio=getattr(args, "audio", None), voice=getattr(args, "voice", None), watch=_watch(args),
    )
    return run_app(app)


def play_programme(programme: object, args: argparse.Namespace) -> int | None:
    """`vmo play PROGRAMME` in the terminal UI: its next session due, the next-day and side questions as dialogs.

    None (nothing done) when the plain path should take it: not a terminal, a preview speed, or nothing
    due today (the plain path says what is next)."""
    if not is_terminal() or getattr(args, "speed", 1.0) != 1 or getattr(args, "watch", False):
        return None
    from player.following import now
    from player.ui.today import read_session

    if read_session(programme, now().date()) is None:  # type: ignore[arg-type]
        return None
    from player.ui.app import VmoApp, run_app

    app = VmoApp(
        programme=programme, speed=getattr(args, "speed", 1.0), mute=getattr(args, "mute", False),  # type: ignore[arg-type]
        audio=getattr(args, "audio", None), voice=getattr(args, "voice", None),
        affected_side=getattr(args, "affected_side", None), folders=getattr(args, "routines", None),
    )
    return run_app(app)


def is_terminal() -> bool:
    """Both standard input and output are terminals (the full-screen UI needs them)."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _watch(args: argparse.Namespace) -> str | None:
    """The routine argument to show when `--watch` is on, else None."""
    return getattr(args, "routine", None) if getattr(args, "watch", False) else None
