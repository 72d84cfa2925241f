"""`vmo today [--on DATE] [--json]`: everything due on a day across the programmes you follow."""

from __future__ import annotations

import argparse
import json
import sys

from player.errors import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo today`."""
    p = sub.add_parser(
        "today", help="what is due today across your programmes",
        description="Everything due on a day across the programmes (and routines with a frequency) you follow.",
    )
    p.add_argument("--on", metavar="DATE", help="the day to look at (YYYY-MM-DD; default today)")
    p.add_argument("--json", action="store_true", help="print a JSON list of the due items")
    return p


def run(args: argparse.Namespace) -> int:
    """Print what is due."""
    from player.commands.plan import dose_text, item_text
    from player.following import followed_programmes, parse_on, print_notes, read_records
    from player.planner import plan
    from player.render import sanitize

    on = parse_on(args.on)
    from player.planner import index

    records = index(read_records())
    items = []
    lines: list[str] = []
    for programme in followed_programmes(records, on, args.routines):
        result = plan(programme, records, on)
        print_notes(result)
        pid = None if programme.routine_based else programme.id
        for item in result.due:
            if not item.due_today:
                continue
            items.append({"programme": pid, **item.to_json()})
            where = "" if pid is None else f" [{sanitize(programme.name)}, {sanitize(result.phase.name)}]"  # type: ignore[union-attr]
            lines.append(item_text(item) + where)
            lines += ["    " + line for line in dose_text(dict(item.dose), dict(item.previous_dose))]
        if result.proposal is not None:
            lines.append(f"  A proposal is waiting for {sanitize(programme.name)}: 'vmo plan {programme.id}'")
    if args.json:
        json.dump(items, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    if not items:
        lines.insert(0, f"Nothing due on {on.isoformat()}.")
    else:
        lines.insert(0, f"Due on {on.isoformat()}:")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK
