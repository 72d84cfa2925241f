"""`vmo show ROUTINE`: the timeline a routine compiles to, as a table or JSON."""

from __future__ import annotations

import argparse
import json
import sys

from player.errors import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo show`."""
    p = sub.add_parser("show", help="show a routine's timeline and total time", description="Show the timeline a routine compiles to.")
    p.add_argument("routine", metavar="ROUTINE", help="a routine id from the library, or a path to a routine file")
    p.add_argument("--json", action="store_true", help="print the timeline as one JSON object")
    p.add_argument(
        "--session", type=_session_number, metavar="N",
        help="the timeline of the N-th counted session (from 1), with its dose; default: the session due next",
    )
    p.add_argument(
        "--affected-side", choices=("left", "right"), default=None,
        help="the patient's affected side, for exercises written with sides: affected / unaffected",
    )
    return p


def _session_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError(f"expected a session number from 1, got {text!r}")
    return value


def _with_dose(routine, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The routine as it plays in the session asked for: its dose, and the affected side when known."""
    from player.model import PATIENT_SIDES

    exercises = routine.exercises()
    if any(e.progress is not None for e in exercises):
        from player.planner import apply_dose, session_dose

        if args.session is not None:
            previous = session_dose(routine, args.session - 1) if args.session > 1 else None
            routine = apply_dose(routine, session_dose(routine, args.session), previous)
        else:
            from player.following import followed_programmes, now, read_records
            from player.planner import plan, routine_dose

            on = now().date()
            records = read_records()
            plans = [plan(p, records, on) for p in followed_programmes(records, on, args.routines)]
            dose, previous, _owner = routine_dose(routine, records, on, plans)
            routine = apply_dose(routine, dose, previous)
    if any(set(e.sides) & set(PATIENT_SIDES) for e in exercises):
        from player.playprep import known_side, resolve_sides

        side = known_side(args.affected_side, None)
        if side is not None:
            routine = resolve_sides(routine, side)
    return routine


def run(args: argparse.Namespace) -> int:
    """Print the timeline."""
    from player.library import load
    from player.render import timeline_json, timeline_table
    from player.timeline import compile_timeline

    routine = _with_dose(load(args.routine, args.routines), args)
    tl = compile_timeline(routine)
    if args.json:
        from player.terminal import json_safe

        sys.stdout.write(json_safe(json.dumps(timeline_json(routine, tl), ensure_ascii=False)))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(timeline_table(routine, tl))
    return EXIT_OK
