"""`vmo play ROUTINE [--plain]`: play a routine in the terminal UI, or as plain lines of text."""

from __future__ import annotations

import argparse
import importlib
import sys


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo play`."""
    p = sub.add_parser(
        "play", help="play a routine",
        description="Play a routine in the terminal UI, or with --plain as plain lines of text.",
    )
    p.add_argument(
        "routine", metavar="ROUTINE",
        help="a routine id from the library, or a path to a routine file; or a programme: its next session due",
    )
    p.add_argument(
        "--affected-side", choices=("left", "right"), default=None,
        help="the patient's affected side, for exercises written with sides: affected / unaffected",
    )
    p.add_argument(
        "--plain", action="store_true",
        help="plain lines of text, no full-screen UI (screen readers, logs, dumb terminals)",
    )
    p.add_argument(
        "--watch", action="store_true",
        help="reload the routine when its file is saved, keeping the place (for authors; not recorded in the history)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Load the routine and play it."""
    from player.library import load_any
    from player.model import Routine

    found = load_any(args.routine, args.routines)
    routine = found if isinstance(found, Routine) else None
    if routine is None and not args.plain and _ui_entry() is not None:
        from player.ui import play_programme

        status = play_programme(found, args)  # the questions as dialogs; None: the plain path below
        if status is not None:
            return int(status)
    if routine is None and args.watch:
        from player.errors import UsageError

        raise UsageError(f"--watch reloads a routine file while you edit it; '{args.routine}' is a programme")
    if routine is None or _needs_preparing(routine):
        from player.playprep import prepare

        routine = prepare(found, args)
        if routine is None:
            return 0  # a programme with nothing due: what is next was said
    if not args.plain:
        ui_play = _ui_entry()
        if ui_play is not None:
            return int(ui_play(routine, args))
        print("vmo: the terminal UI is not available; playing as plain text", file=sys.stderr)
    from player.plain import play_plain

    from player.terminal import protect_streams

    protect_streams()  # a non-UTF-8 terminal gets "-" for "·", not a crash
    return play_plain(
        routine, speed=args.speed, mute=args.mute,
        audio=getattr(args, "audio", None), voice=getattr(args, "voice", None),
        watch=args.routine if args.watch else None,
    )


def _needs_preparing(routine) -> bool:  # type: ignore[no-untyped-def]
    """A routine whose exercises grow, or are for the affected side: the history or the settings decide."""
    from player.model import PATIENT_SIDES

    return any(e.progress is not None or set(e.sides) & set(PATIENT_SIDES) for e in routine.exercises())


def _ui_entry():  # type: ignore[no-untyped-def]
    """`player.ui.play(routine, args) -> int` when the terminal UI is installed, else None."""
    try:
        ui = importlib.import_module("player.ui")
    except ImportError:
        return None
    return getattr(ui, "play", None)
