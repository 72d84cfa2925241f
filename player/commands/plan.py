"""`vmo plan PROGRAMME [--on DATE] [--json]`: a programme's phases, where the user is, what is due, any proposal."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from player.errors import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo plan`."""
    p = sub.add_parser(
        "plan", help="a programme: its phases, where you are, what is due",
        description="A programme's phases, where you are in it, what is due on a day, and any proposal.",
    )
    p.add_argument("programme", metavar="PROGRAMME", help="a programme (or a routine with a frequency): id or path")
    p.add_argument("--on", metavar="DATE", help="the day to look at (YYYY-MM-DD; default today)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def run(args: argparse.Namespace) -> int:
    """Print the plan."""
    from player.following import load_programme, parse_on, print_notes, read_records
    from player.planner import plan

    on = parse_on(args.on)
    programme = load_programme(args.programme, args.routines)
    result = plan(programme, read_records(), on)
    print_notes(result)
    if args.json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(plan_text(programme, result, on))
    return EXIT_OK


def dose_text(dose: dict[str, dict[str, Any]], previous: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """One line per progressed exercise: "Straight-leg raise: 19 reps, up from 17"."""
    from player.planner import dose_note
    from player.render import sanitize

    return [f"{sanitize(name)}: {sanitize(dose_note(values, (previous or {}).get(name)))}" for name, values in dose.items()]


def item_text(item: Any) -> str:
    """A due item in one line: routine, how often, done today."""
    from player.render import sanitize

    if item.days:
        when = "on " + ", ".join(item.days)
    else:
        when = f"{item.days_a_week} day{'s' * (item.days_a_week != 1)} a week"
    times = f"{item.times_a_day} time{'s' * (item.times_a_day != 1)} a day, {when}"
    state = "due" if item.due_today else ("done" if item.done_today >= item.times_a_day and item.done_today else "not today")
    return (f"{sanitize(item.routine_name)} ({item.routine}): {times}; {item.done_today} of {item.times_a_day} today,"
            f" {item.days_done_this_week} day{'s' * (item.days_done_this_week != 1)} this week; {state}")


def plan_text(programme: Any, result: Any, on: Any) -> str:
    """The plan for people."""
    from player.render import sanitize

    lines = [f"{sanitize(programme.name)} ({programme.id})"]
    if programme.patient_name or programme.affected_side:
        who = sanitize(programme.patient_name or "")
        side = f"affected side: {programme.affected_side}" if programme.affected_side else ""
        lines.append("For: " + ", ".join(x for x in (who, side) if x))
    if programme.clinician:
        lines.append(f"Prescribed by: {sanitize(programme.clinician)}")
    lines.append("")
    for i, phase in enumerate(programme.phases):
        mark = "->" if result.phase is not None and result.phase.index == i else "  "
        weeks = f"{phase.weeks} week{'s' * (phase.weeks != 1)}" if phase.weeks else "no end"
        lines.append(f"{mark} {i + 1}. {sanitize(phase.name)} ({weeks})")
    lines.append("")
    if result.stopped:
        lines.append("Stopped. 'vmo start' follows it again.")
    elif result.finished:
        lines.append(f"Finished (started {result.started.isoformat()}).")
    elif result.started is None:
        lines.append(f"Not started. 'vmo start {programme.id}' starts following it.")
    elif result.phase is None:
        lines.append(f"Starts on {result.started.isoformat()}.")
    else:
        ph = result.phase
        lines.append(f"On {on.isoformat()}: {sanitize(ph.name)}, week {ph.week}, day {ph.day} (since {ph.first_day.isoformat()})")
        for item in result.due:
            lines.append("  " + item_text(item))
            lines += ["    " + line for line in dose_text(dict(item.dose), dict(item.previous_dose))]
        if result.proposal is not None:
            p = result.proposal
            verb = "Move up" if p.kind == "advance" else "Step back"
            lines += ["", f"{verb} to {sanitize(programme.phases[p.to_phase].name)}? Because:"]
            lines += [f"  - {reason}" for reason in p.because]
            lines.append(f"'vmo advance {programme.id}' accepts, 'vmo decline {programme.id}' keeps this phase.")
    return "\n".join(lines) + "\n"
