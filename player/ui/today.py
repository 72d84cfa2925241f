"""What the UI needs from the programmes: what is due today, and the session to play next.

An edge, without Textual: it reads the history and the library (like `vmo today`)
and asks the pure planner (player/planner.py). The screens only show what it
returns; the app writes the records through the same functions the commands use.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Sequence

from player.model import Routine
from player.planner import DueItem, Plan
from player.programme import Programme


@dataclass(frozen=True, slots=True)
class Followed:
    """A programme (or routine with a frequency) the user follows, and where they are in it on the day."""

    programme: Programme
    plan: Plan

    @property
    def due(self) -> tuple[DueItem, ...]:
        """Its items due on the day."""
        return tuple(i for i in self.plan.due if i.due_today)


@dataclass(frozen=True, slots=True)
class Today:
    """Everything followed on one day, as `vmo today` computes it, and the warnings reading it gave."""

    on: date
    followed: tuple[Followed, ...]
    warnings: tuple[str, ...] = ()

    def due(self) -> list[tuple[Followed, DueItem]]:
        """(programme, item) for each item due, in the order `vmo today` lists them."""
        return [(f, item) for f in self.followed for item in f.due]


@dataclass(frozen=True, slots=True)
class Session:
    """The next session of a programme, ready to play: the routine with this session's dose and programme facts."""

    programme: Programme
    plan: Plan
    item: DueItem
    routine: Routine          # dose applied, `played_as` set; patient sides not yet resolved
    next_day_area: str | None  # ask the next-day question about this first, or None


def read_today(folders: Sequence[str], on: date) -> Today:
    """What is due on `on` across the programmes followed; the warnings (stderr of the commands) as lines."""
    from player.following import followed_programmes, print_notes, read_records
    from player.planner import index, plan

    buffer = io.StringIO()
    with redirect_stderr(buffer):  # the commands' warnings: shown as notices, never written over the screen
        records = index(read_records())
        followed = []
        for programme in followed_programmes(records, on, folders):
            result = plan(programme, records, on)
            print_notes(result)
            followed.append(Followed(programme, result))
    warnings = tuple(line.removeprefix("vmo: ") for line in buffer.getvalue().splitlines() if line.strip())
    return Today(on, tuple(followed), warnings)


def next_session(programme: Programme, records: Any, on: date, routine_id: str | None = None) -> Session | None:
    """The session to play now (the item `routine_id`, else the first due), as `vmo play PROGRAMME` builds it.

    None when nothing is due. Pure: the records and the date are arguments.
    """
    from player.planner import apply_dose, index, plan
    from player.playprep import area_of, needs_next_day, played_as

    records = index(records)
    result = plan(programme, records, on)
    if result.phase is None:
        return None
    items = [i for i in result.due if i.due_today and (routine_id is None or i.routine == routine_id)]
    if not items:
        return None
    item = items[0]
    entry = next(e for e in programme.phases[result.phase.index].routines if e.id == item.routine)
    routine = apply_dose(entry.routine, item.dose, item.previous_dose)
    if programme.routine_based:  # `vmo play ROUTINE` for a routine with its own frequency: no programme id
        routine = replace(routine, played_as=played_as(None, None, dict(item.dose)))
    else:
        routine = replace(routine, played_as=played_as(programme.id, result.phase.index, dict(item.dose)))
    area = area_of(entry.routine) if needs_next_day(programme, result, records, on) else None  # type: ignore[arg-type]
    return Session(programme, result, item, routine, area)


def read_session(programme: Programme, on: date, routine_id: str | None = None) -> Session | None:
    """`next_session` with the history read now."""
    from player.following import read_records

    with redirect_stderr(io.StringIO()):  # a skipped line was already reported when the list was read
        records = read_records()
    return next_session(programme, records, on, routine_id)


def with_dose(routine: Routine, followed: Sequence[Followed], on: date) -> tuple[Routine, str | None, str | None]:
    """A routine chosen in the library, as `vmo play ROUTINE` prepares it: this session's dose (a followed
    programme's when its phase has the routine, else the routine's own progression) and the programme facts;
    with the area and programme id to ask the next-day question about first (None, None when not asked)."""
    from player.following import read_records
    from player.planner import apply_dose, index, routine_dose
    from player.playprep import area_of, needs_next_day, owner_is_routine, played_as

    if not any(e.progress is not None for e in routine.exercises()):
        return routine, None, None
    with redirect_stderr(io.StringIO()):
        records = index(read_records())
    dose, previous, owner = routine_dose(routine, records, on, [f.plan for f in followed])
    ask = None
    if owner is not None:
        programme = next((f.programme for f in followed if f.programme.id == owner.id), None)
        if programme is not None and needs_next_day(programme, owner, records, on):  # type: ignore[arg-type]
            ask = programme.id
    applied = apply_dose(routine, dose, previous)
    phase = owner.phase.index if owner is not None and owner.phase is not None else None
    pid = owner.id if owner is not None and not owner_is_routine(owner, routine) else None
    applied = replace(applied, played_as=played_as(pid, phase if pid else None, dose))
    return applied, (area_of(routine) if ask else None), ask
