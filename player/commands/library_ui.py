"""Bare `vmo`: the routine library in the terminal UI (cli.py calls `run` when no command is given)."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Open the library; honours the common options --mute, --speed, --routines, --audio and --voice."""
    from player.errors import UsageError
    from player.ui import is_terminal

    if not is_terminal():
        raise UsageError("the library needs a terminal; 'vmo list' prints the routines, 'vmo --help' the commands")
    from player.library import scan
    from player.ui.app import VmoApp, run_app

    # The settings are read after the first frame; their problems show as notices.
    # Programmes get their own screens later; the library lists the routines.
    entries = [e for e in scan(getattr(args, "routines", None) or []) if e.kind != "programme"]
    app = VmoApp(
        entries=entries, speed=getattr(args, "speed", 1.0), mute=getattr(args, "mute", False),
        audio=getattr(args, "audio", None), voice=getattr(args, "voice", None),
    )
    return run_app(app)
