"""`vmo advance PROGRAMME`: accept the current proposal (advance or step back)."""

from __future__ import annotations

import argparse

from player.errors import EXIT_OK, UsageError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo advance`."""
    p = sub.add_parser("advance", help="accept a programme's proposal", description="Accept the current proposal.")
    p.add_argument("programme", metavar="PROGRAMME", help="a programme id or path")
    return p


def pending(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The programme, the proposal pending now, and the time. Raises UsageError when there is none."""
    from player.following import load_programme, now, print_notes, read_records
    from player.planner import plan

    programme = load_programme(args.programme, args.routines)
    moment = now()
    result = plan(programme, read_records(), moment.date())
    print_notes(result)
    if result.proposal is None:
        raise UsageError(f"no proposal is pending for '{programme.id}'")
    return programme, result.proposal, moment


def accepted(programme, proposal, moment):  # type: ignore[no-untyped-def]
    """The record of accepting `proposal` (`advanced` or `stepped_back`); the UI records the same."""
    from player.planrecords import ProgrammeEvent

    event = "advanced" if proposal.kind == "advance" else "stepped_back"
    return ProgrammeEvent(moment, programme.id, event, programme.file_hash, to_phase=proposal.to_phase)


def accepted_text(programme, proposal) -> str:  # type: ignore[no-untyped-def]
    """What is said once a proposal is accepted."""
    from player.render import sanitize

    phase = programme.phases[proposal.to_phase]
    return f"{'Moved up' if proposal.kind == 'advance' else 'Stepped back'} to {sanitize(phase.name)}, from today."


def run(args: argparse.Namespace) -> int:
    """Record `advanced` or `stepped_back`."""
    from player.following import append

    programme, proposal, moment = pending(args)
    append(accepted(programme, proposal, moment))
    print(accepted_text(programme, proposal))
    return EXIT_OK
