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
    return p


def run(args: argparse.Namespace) -> int:
    """Print the timeline."""
    from player.library import load
    from player.render import timeline_json, timeline_table
    from player.timeline import compile_timeline

    routine = load(args.routine, args.routines)
    tl = compile_timeline(routine)
    if args.json:
        from player.terminal import json_safe

        sys.stdout.write(json_safe(json.dumps(timeline_json(routine, tl), ensure_ascii=False)))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(timeline_table(routine, tl))
    return EXIT_OK
