"""Bare `vmo`: the routine library in the terminal UI (cli.py calls `run` when no command is given)."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Open the library; honours the common options --mute, --speed, --routines, --audio and --voice."""
    from player.errors import UsageError
    from player.ui import is_terminal

    if not is_terminal():
        raise UsageError("the library needs a terminal; 'vmo list' prints the routines, 'vmo --help' the commands")
    from player.library import quick_scan, scan
    from player.ui.app import VmoApp, run_app

    # The settings are read after the first frame; their problems show as notices.
    # Programmes show above the routines, as what is due today (read after the first frame).
    folders = getattr(args, "routines", None) or []

    def routines_only(entries: list) -> list:
        return [e for e in entries if e.kind != "programme"]

    # The first frame shows the indexes as they are; right after it, every file is
    # stat'ed and what changed is checked again (the list follows if anything did).
    entries = routines_only(quick_scan(folders))
    app = VmoApp(
        entries=entries, speed=getattr(args, "speed", 1.0), mute=getattr(args, "mute", False),
        audio=getattr(args, "audio", None), voice=getattr(args, "voice", None),
        rescan=lambda: routines_only(scan(folders)), folders=folders,
    )
    return run_app(app)
