"""Bare `vmo`: the routine library in the terminal UI (cli.py calls `run` when no command is given)."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Open the library; honours the common options --mute, --speed and --routines."""
    from player.library import scan
    from player.settings import get_settings
    from player.ui.app import VmoApp, run_app

    # Read before the full-screen UI starts, so problems are printed where they can be read.
    settings = get_settings()
    entries = scan(getattr(args, "routines", None) or [])
    app = VmoApp(
        entries=entries,
        speed=getattr(args, "speed", 1.0),
        mute=getattr(args, "mute", False),
        settings=settings,
    )
    return run_app(app)
