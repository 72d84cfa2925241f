"""Before a routine plays: which session of a programme, the dose, the affected side, the next-day question.

An edge: it reads the history, the settings and the clock, may ask on the
terminal, and writes the answers (a `next_day` record, the `affected_side`
setting). What it decides comes from the pure planner (player/planner.py).
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from datetime import date
from typing import Any, TextIO

from player.model import PlayedAs, Routine
from player.programme import Programme

NEXT_DAY_QUESTION = (
    "Compared with before your last session, is your {area} better, the same or worse?"
    " (b = better, s = same, w = worse, Enter skips) "
)
SIDE_QUESTION = "Which side is affected, left or right? (l / r) "


def uses_patient_sides(routine: Routine) -> bool:
    """Some exercise names its sides as affected / unaffected."""
    return routine.patient_sides


def resolve_sides(routine: Routine, affected: str) -> Routine:
    """The routine with `affected` / `unaffected` sides turned into left / right (player.model does it)."""
    from player.model import resolve_sides as resolve

    return resolve(routine, affected)


def known_side(option: str | None, programme: Programme | None) -> str | None:
    """The affected side from, first to last: the option, the programme's patient, the setting."""
    if option:
        return option
    if programme is not None and programme.affected_side:
        return programme.affected_side
    from player.settings import get_settings

    return getattr(get_settings(), "affected_side", None)


def ask_side(stdin: TextIO, stdout: TextIO) -> str | None:
    """Ask which side is affected (three tries); None when skipped or at end of input."""
    for _ in range(3):
        stdout.write(SIDE_QUESTION)
        stdout.flush()
        line = stdin.readline()
        if not line:
            stdout.write("\n")
            return None
        answer = line.strip().lower()
        if answer in ("l", "left"):
            return "left"
        if answer in ("r", "right"):
            return "right"
        if not answer:
            return None
        stdout.write("  Please answer left or right.\n")
    return None


def remember_setting(key: str, value: str) -> str | None:
    """Write `key: value` into settings.yaml (replacing the key's line, else appending). A warning on failure."""
    from player.settings import settings_path

    path = settings_path()
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        line = f"{key}: {value}"
        pattern = re.compile(rf"^{re.escape(key)}[ \t]*:.*$", re.MULTILINE)
        if pattern.search(text):
            text = pattern.sub(line, text, count=1)
        else:
            text = (text if not text or text.endswith("\n") else text + "\n") + line + "\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        return f"vmo: warning: cannot save the setting {key} in {path} ({exc.strerror or exc})"
    return None


def affected_side(routine: Routine, option: str | None, programme: Programme | None, interactive: bool) -> Routine:
    """The routine with its patient sides resolved; asks once (and remembers) when nothing says."""
    if not uses_patient_sides(routine):
        return routine
    side = known_side(option, programme)
    if side is None and interactive:
        side = ask_side(sys.stdin, sys.stdout)
        if side is not None:
            warning = remember_setting("affected_side", side)
            if warning:
                print(warning, file=sys.stderr)
            else:
                print(f"Saved: affected_side: {side} (settings.yaml). --affected-side overrides it.")
    if side is None:  # not known and not asked (no terminal, or skipped): the sides keep their names
        print(
            "vmo: note: which side is affected is not known, so the sides are called affected and unaffected;"
            " --affected-side left|right (or affected_side in settings.yaml) says which",
            file=sys.stderr,
        )
        return routine
    return resolve_sides(routine, side)


def ask_next_day(area: str, stdin: TextIO, stdout: TextIO) -> str | None:
    """The next-day question; None when skipped."""
    for _ in range(3):
        stdout.write(NEXT_DAY_QUESTION.format(area=area))
        stdout.flush()
        line = stdin.readline()
        if not line:
            stdout.write("\n")
            return None
        answer = line.strip().lower()
        for word in ("better", "same", "worse"):
            if answer and word.startswith(answer):
                return word
        if not answer or answer in ("skip",):
            return None
        stdout.write("  Please answer better, same or worse (or press Enter to skip).\n")
    return None


def needs_next_day(programme: Programme, plan: Any, records: list[Any], on: date) -> bool:
    """Before the first counted session of the day of a programme that reads next-day answers, once a day."""
    from player.planner import index

    if not programme.uses_next_day() or plan.phase is None:
        return False
    if any(item.done_today for item in plan.due):
        return False
    return not any(a.programme_id == programme.id and a.at.date() == on for a in index(records).answers)


def area_of(routine: Routine) -> str:
    """What the next-day question asks about: the routine's first exercise target, else the knee."""
    for exercise in routine.exercises():
        if exercise.target:
            from player.render import sanitize

            return sanitize(exercise.target)
    return "knee"


def played_as(programme_id: str | None, phase: int | None, dose: dict[str, Any]) -> PlayedAs | None:
    """What the session record says about a programme and dose, or None for neither."""
    if programme_id is None and not dose:
        return None
    return PlayedAs(programme_id, phase, dose or None)


def _interactive() -> bool:
    import os

    try:
        return os.isatty(sys.stdin.fileno()) and os.isatty(sys.stdout.fileno())
    except (AttributeError, ValueError, OSError):
        return False


def prepare(found: Routine | Programme, args: Any) -> Routine | None:
    """The routine to play, with its dose, sides and programme facts; None when a programme has nothing due.

    For a programme: the first routine of its current phase due today (the
    next-day question first, when the programme uses it). For a routine: the
    dose of its next session (a followed programme's, when its phase has it).
    """
    from player.following import followed_programmes, now, print_notes, read_records
    from player.planner import apply_dose, next_due, plan, routine_dose
    from player.planrecords import NextDayAnswer
    from player.render import sanitize

    moment = now()
    on = moment.date()
    from player.planner import index

    records = index(read_records())
    interactive = _interactive() and getattr(args, "speed", 1.0) == 1 and not getattr(args, "watch", False)
    speed = getattr(args, "speed", 1.0)
    if isinstance(found, Programme):
        result = plan(found, records, on)
        print_notes(result)
        item = next((i for i in result.due if i.due_today), None)
        if item is None:
            print(_nothing_due(found, result, next_due(found, records, on) if result.phase is not None else None, on))
            return None
        entry = next(e for e in found.phases[result.phase.index].routines if e.id == item.routine)  # type: ignore[union-attr]
        if interactive and needs_next_day(found, result, records, on):
            answer = ask_next_day(area_of(entry.routine), sys.stdin, sys.stdout)
            if answer is not None:
                from player.following import append

                append(NextDayAnswer(moment, answer, entry.id, found.id))
        routine = apply_dose(entry.routine, item.dose, item.previous_dose)
        where = f"{sanitize(found.name)}: {sanitize(result.phase.name)}, week {result.phase.week}"  # type: ignore[union-attr]
        print(f"{where}: {sanitize(routine.name)} ({item.done_today + 1} of {item.times_a_day} today)")
        routine = replace(routine, played_as=played_as(found.id, result.phase.index, dict(item.dose)))  # type: ignore[union-attr]
        return affected_side(routine, getattr(args, "affected_side", None), found, interactive and speed == 1)
    routine = found
    if any(e.progress is not None for e in routine.exercises()):
        programmes = followed_programmes(records, on, getattr(args, "routines", ()))
        plans = [plan(p, records, on) for p in programmes]
        dose, previous, owner = routine_dose(routine, records, on, plans)
        if owner is not None and interactive:
            programme = next(p for p in programmes if p.id == owner.id)
            if needs_next_day(programme, owner, records, on):  # type: ignore[arg-type]
                answer = ask_next_day(area_of(routine), sys.stdin, sys.stdout)
                if answer is not None:
                    from player.following import append

                    append(NextDayAnswer(moment, answer, routine.id, programme.id))
        routine = apply_dose(routine, dose, previous)
        phase = owner.phase.index if owner is not None and owner.phase is not None else None
        pid = owner.id if owner is not None and not owner_is_routine(owner, routine) else None
        routine = replace(routine, played_as=played_as(pid, phase if pid else None, dose))
    return affected_side(routine, getattr(args, "affected_side", None), None, interactive)


def owner_is_routine(plan: Any, routine: Routine) -> bool:
    """The plan is the routine's own (a routine with a frequency), not another programme's."""
    return plan.id == routine.id


def _nothing_due(programme: Programme, result: Any, upcoming: Any, on: date) -> str:
    from player.render import sanitize

    name = sanitize(programme.name)
    if result.stopped:
        return f"Nothing due: you stopped following {name}. 'vmo start {programme.id}' follows it again."
    if result.finished:
        return f"Nothing due: {name} is finished. Well done."
    if result.started is None:
        return f"Nothing due: you have not started {name}. 'vmo start {programme.id}' starts it."
    if result.phase is None:
        return f"Nothing due yet: {name} starts on {result.started.isoformat()}."
    if upcoming is None:
        return f"Nothing due in {name} in the next two weeks."
    day, item = upcoming
    when = "tomorrow" if (day - on).days == 1 else f"on {day.strftime('%A')} {day.isoformat()}"
    return f"Nothing more due today in {name}. Next: {sanitize(item.routine_name)} ({item.routine}), {when}."
