"""`vmo stop PROGRAMME`: stop following a programme."""

from __future__ import annotations

import argparse

from player.errors import EXIT_OK, UsageError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo stop`."""
    p = sub.add_parser("stop", help="stop following a programme", description="Stop following a programme.")
    p.add_argument("programme", metavar="PROGRAMME", help="a programme (or a routine with a frequency): id or path")
    return p


def run(args: argparse.Namespace) -> int:
    """Record `stopped`."""
    from player.following import append, load_programme, now, read_records
    from player.planner import following
    from player.planrecords import ProgrammeEvent
    from player.render import sanitize

    programme = load_programme(args.programme, args.routines)
    moment = now()
    if programme.id not in following(read_records(), moment.date()):
        raise UsageError(f"you are not following '{programme.id}'")
    append(ProgrammeEvent(moment, programme.id, "stopped", programme.file_hash))
    print(f"Stopped {sanitize(programme.name)}. Its sessions stay in the history.")
    return EXIT_OK
