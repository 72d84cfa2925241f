"""`vmo start PROGRAMME`: start following a programme (or a routine with a frequency)."""

from __future__ import annotations

import argparse

from player.errors import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo start`."""
    p = sub.add_parser("start", help="start following a programme", description="Start following a programme.")
    p.add_argument("programme", metavar="PROGRAMME", help="a programme (or a routine with a frequency): id or path")
    return p


def run(args: argparse.Namespace) -> int:
    """Record `started` (with the file's start date, else today)."""
    from player.following import append, load_programme, now, read_records
    from player.planner import plan
    from player.planrecords import ProgrammeEvent
    from player.render import sanitize

    programme = load_programme(args.programme, args.routines)
    moment = now()
    current = plan(programme, read_records(), moment.date())
    if current.started is not None and not current.stopped and not current.finished:
        print(f"Already following {sanitize(programme.name)} (started {current.started.isoformat()}).")
        return EXIT_OK
    start = programme.start or moment.date()
    append(ProgrammeEvent(moment, programme.id, "started", programme.file_hash, start=start))
    first = programme.phases[0]
    weeks = f" ({first.weeks} week{'s' * (first.weeks != 1)})" if first.weeks else ""
    print(f"Started {sanitize(programme.name)} on {start.isoformat()}: {sanitize(first.name)}{weeks}.")
    print("'vmo today' shows what is due; 'vmo plan " + programme.id + "' shows the whole programme.")
    return EXIT_OK
