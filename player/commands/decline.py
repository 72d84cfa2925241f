"""`vmo decline PROGRAMME`: decline the current proposal; it comes back after the next counted session."""

from __future__ import annotations

import argparse

from player.errors import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo decline`."""
    p = sub.add_parser("decline", help="decline a programme's proposal", description="Decline the current proposal.")
    p.add_argument("programme", metavar="PROGRAMME", help="a programme id or path")
    return p


DECLINED_TEXT = "Declined: you stay in this phase. It will be proposed again after your next session."


def declined(programme, proposal, moment):  # type: ignore[no-untyped-def]
    """The record of declining `proposal`; the UI records the same."""
    from player.planrecords import ProgrammeEvent

    return ProgrammeEvent(moment, programme.id, "declined", programme.file_hash,
                          proposal_kind=proposal.kind, proposal_to_phase=proposal.to_phase)


def run(args: argparse.Namespace) -> int:
    """Record `declined` with the proposal."""
    from player.commands.advance import pending
    from player.following import append

    programme, proposal, moment = pending(args)
    append(declined(programme, proposal, moment))
    print(DECLINED_TEXT)
    return EXIT_OK
