"""Where a user stands in a programme: files, history records and a date in; plain data out.

Pure: no I/O, no clock. Everything comes from the arguments (program-format.md,
sections 4, 5 and 7), so the answer for a date is the same however often, and
in whatever order of records, it is asked.

The API a command or a screen calls:

- `plan(programme, records, on) -> Plan`: one programme on the date `on`:
  `started` (date or None), `phase` (a `PhaseState`: index, name, week, day,
  first_day; None before the start, after a stop or once finished), `due` (a
  `DueItem` per routine of the current phase: times_a_day, done_today,
  days_a_week / days, days_done_this_week, due_today, dose), `proposal` (a
  `Proposal`: kind, to_phase, because) or None, `stopped`, `finished`, and
  `notes` (readable lines about a changed or shrunk programme file). `Plan.to_json()`
  is the object `vmo plan --json` prints.
- `index(records) -> History`: the records sorted once; every function here
  takes either the records or their index (an index is faster for many questions).
- `following(records, on) -> list[str]`: the ids the user has started and not
  stopped (programmes and routines with a frequency), in the order started.
- `next_due(programme, records, on, days=14) -> (date, DueItem) | None`: the
  first day from `on` on when something is due, assuming nothing more is played.
- `routine_dose(routine, records, on, plans)`: the dose of the routine's next
  session: that of the programme whose current phase has it, else the routine
  on its own (its counted sessions ever; weeks since its first one).
- `dose_for(exercise, k)`, `dose_at(routine, k_session, k_week)`,
  `session_dose(routine, n, frequency)` (the n-th counted session, from 1) and
  `apply_dose(routine, dose, previous)`: the values a progressed exercise
  plays with, and the routine with them applied (with "19 reps, up from 17" as
  each changed exercise's `dose_note`).

Records are `SessionRecord` (player/history.py), `ProgrammeEvent` and
`NextDayAnswer` (player/planrecords.py); anything else is ignored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Mapping, Sequence

from player.model import WEEKDAYS, Exercise, Frequency, RepeatBlock, Routine
from player.planrecords import NextDayAnswer, ProgrammeEvent
from player.programme import Phase, Programme

_EPOCH = datetime(1, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class PhaseState:
    """Where the user is: the phase (index from 0), week and day within it (from 1), its first day."""

    index: int
    name: str
    week: int
    day: int
    first_day: date

    def to_json(self) -> dict[str, Any]:
        """As `vmo plan --json` prints it."""
        return {"index": self.index, "name": self.name, "week": self.week, "day": self.day,
                "first_day": self.first_day.isoformat()}


@dataclass(frozen=True, slots=True)
class DueItem:
    """One routine of the current phase on the date asked about."""

    routine: str
    routine_name: str
    times_a_day: int
    done_today: int
    days_a_week: int
    days: tuple[str, ...] | None
    days_done_this_week: int
    due_today: bool
    dose: Mapping[str, Mapping[str, Any]]
    previous_dose: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """As `vmo plan --json` prints it (`days` only when the entry lists days)."""
        out: dict[str, Any] = {
            "routine": self.routine, "times_a_day": self.times_a_day, "done_today": self.done_today,
            "days_a_week": self.days_a_week, "days_done_this_week": self.days_done_this_week,
            "due_today": self.due_today, "dose": {k: dict(v) for k, v in self.dose.items()},
        }
        if self.days is not None:
            out["days"] = list(self.days)
        return out


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposal to move to another phase, never applied by itself."""

    kind: str  # "advance" or "step_back"
    to_phase: int
    because: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """As `vmo plan --json` prints it."""
        return {"kind": self.kind, "to_phase": self.to_phase, "because": list(self.because)}


@dataclass(frozen=True, slots=True)
class Plan:
    """One programme on one date."""

    id: str
    name: str
    started: date | None
    phase: PhaseState | None
    due: tuple[DueItem, ...]
    proposal: Proposal | None
    stopped: bool = False
    finished: bool = False
    notes: tuple[str, ...] = ()
    phase_names: tuple[str, ...] = ()
    uses_next_day: bool = False

    @property
    def active(self) -> bool:
        """Started, begun, not stopped and not finished."""
        return self.phase is not None

    def to_json(self) -> dict[str, Any]:
        """The object `vmo plan --json` prints (`stopped`/`finished` only when true)."""
        out: dict[str, Any] = {
            "id": self.id, "name": self.name,
            "started": self.started.isoformat() if self.started else None,
            "phase": self.phase.to_json() if self.phase else None,
            "due": [d.to_json() for d in self.due],
            "proposal": self.proposal.to_json() if self.proposal else None,
        }
        if self.stopped:
            out["stopped"] = True
        if self.finished:
            out["finished"] = True
        return out


# -- records --


@dataclass(frozen=True, slots=True)
class CountedSession:
    """A counted session as the planner reads it: when (and its local day), which routine, the pain after it.

    `index` makes these from SessionRecords (completed, speed 1, not a cramp
    stretch); a reader that builds them itself passes only counted sessions.
    """

    at: datetime
    day: date
    routine_id: str
    pain_after: int | None


@dataclass(frozen=True, slots=True)
class History:
    """The records sorted once, for asking about several programmes or dates: `index(records)`."""

    sessions: tuple[CountedSession, ...]  # counted sessions only, in time order
    events: tuple[ProgrammeEvent, ...]
    answers: tuple[NextDayAnswer, ...]


_EVENT_ORDER = {"started": 0, "advanced": 1, "stepped_back": 2, "declined": 3, "stopped": 4}


def _event_key(e: ProgrammeEvent) -> tuple:
    return (e.at, e.programme_id, _EVENT_ORDER[e.event], e.to_phase or 0, e.proposal_kind or "",
            e.proposal_to_phase or 0, e.start or date.min, e.file_hash or "")


def index(records: Iterable[Any]) -> History:
    """The records as the planner reads them; any order in, one order out (so the answer never depends on it)."""
    if isinstance(records, History):
        return records
    sessions, events, answers = [], [], []
    for r in records:
        if type(r) is CountedSession:
            sessions.append(r)
        elif isinstance(r, ProgrammeEvent):
            events.append(r)
        elif isinstance(r, NextDayAnswer):
            answers.append(r)
        elif getattr(r, "completed", None) is True and r.speed == 1 and not r.cramp:
            sessions.append(CountedSession(r.start, r.start.date(), r.routine_id, r.pain_after))
    sessions.sort(key=lambda s: (s.at, s.routine_id, -1 if s.pain_after is None else s.pain_after))
    events.sort(key=_event_key)
    answers.sort(key=lambda a: (a.at, a.answer, a.routine_id or "", a.programme_id or ""))
    return History(tuple(sessions), tuple(events), tuple(answers))


def _counted(records: Iterable[Any], on: date) -> list[CountedSession]:
    """Counted sessions (completed, speed 1, not cramp) up to the end of `on`, in time order."""
    return [s for s in index(records).sessions if s.day <= on]


def _events(records: Iterable[Any], on: date) -> list[ProgrammeEvent]:
    return [e for e in index(records).events if e.at.date() <= on]


def _answers(records: Iterable[Any], on: date) -> list[NextDayAnswer]:
    return [a for a in index(records).answers if a.at.date() <= on]


# -- following a programme through its phases --


@dataclass
class _Run:
    """The state of one run of a programme while its events are folded."""

    active: bool = False
    started: date | None = None
    phase: int = 0
    first_day: date = date.min
    boundary: datetime | None = None  # sessions on first_day before this belong to the previous phase
    stopped: bool = False
    finished: bool = False
    file_hash: str | None = None
    declines: list[ProgrammeEvent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _auto(run: _Run, phases: Sequence[Phase], until: date) -> None:
    """Phases without `advance` end when their weeks are over; the next begins on its own."""
    while run.active and not run.finished:
        phase = phases[run.phase]
        if phase.advance is not None or phase.weeks is None:
            return
        end = run.first_day + timedelta(weeks=phase.weeks)
        if end > until:
            return
        if run.phase + 1 >= len(phases):
            run.finished = True
            return
        run.phase += 1
        run.first_day, run.boundary = end, None
        run.declines = []


def _fold(programme: Programme, events: Sequence[ProgrammeEvent], on: date) -> _Run:
    phases = programme.phases
    run = _Run()
    for e in events:
        if e.programme_id != programme.id:
            continue
        if run.active:
            _auto(run, phases, e.at.date())
        if e.event == "started":
            if run.active and not run.finished:
                continue  # already following it: a second start changes nothing
            start = e.start or e.at.date()
            run = _Run(active=True, started=start, first_day=start, file_hash=e.file_hash,
                       boundary=e.at if start == e.at.date() else None)
            continue
        if not run.active:
            continue
        if e.event == "stopped":
            run.active, run.stopped = False, True
        elif run.finished:
            continue
        elif e.event in ("advanced", "stepped_back"):
            target = e.to_phase if e.to_phase is not None else run.phase
            if target >= len(phases):
                run.notes.append(
                    f"the history moves to phase {target + 1}, which the programme file no longer has;"
                    f" following its last phase instead"
                )
                target = len(phases) - 1
            run.phase, run.first_day, run.boundary = target, e.at.date(), e.at
            run.declines = []
        elif e.event == "declined":
            run.declines.append(e)
    if run.active and run.phase >= len(phases):
        run.notes.append(f"the programme file no longer has phase {run.phase + 1}; following its last phase instead")
        run.phase = len(phases) - 1
    if run.active:
        _auto(run, phases, on)
    return run


def _in_phase(at: datetime, day: date, run: _Run) -> bool:
    if day > run.first_day:
        return True
    return day == run.first_day and (run.boundary is None or at >= run.boundary)


# -- progression --


def _number(key: str, value: float) -> int | float:
    return int(value) if key in ("reps", "sets") else float(value)


def dose_for(exercise: Exercise, k: int) -> dict[str, Any]:
    """The values of a progressed exercise at step k (k = 0 for the first session)."""
    p = exercise.progress
    if p is None:
        return {}
    start = float(getattr(exercise, p.key) or 0)
    cap_step = 0 if start >= p.up_to else math.ceil((p.up_to - start) / p.step - 1e-9)
    if k <= cap_step or not p.then:
        return {p.key: _number(p.key, min(start + k * p.step, p.up_to))}
    then = dict(p.then)
    restart = float(then.get(p.key, start))  # type: ignore[arg-type]
    out: dict[str, Any] = {}
    for key, value in p.then:
        out[key] = value if key == "load" else _number(key, value)  # type: ignore[arg-type]
    out[p.key] = _number(p.key, min(restart + (k - cap_step - 1) * p.step, p.up_to))
    return {p.key: out.pop(p.key), **out}


def _walk(routine: Routine) -> list[Exercise]:
    return [e for e in routine.exercises() if e.progress is not None]


def dose_at(routine: Routine, k_session: int, k_week: int) -> dict[str, dict[str, Any]]:
    """{exercise name: values} for every progressed exercise, at these session and week counts."""
    return {
        e.name: dose_for(e, k_session if e.progress.every == "session" else k_week)  # type: ignore[union-attr]
        for e in _walk(routine)
    }


def sessions_a_week(frequency: Frequency) -> int:
    """Prescribed counted sessions a week."""
    days = len(frequency.days) if frequency.days else (frequency.days_a_week or 7)
    return days * frequency.times_a_day


def session_dose(routine: Routine, n: int, frequency: Frequency | None = None) -> dict[str, dict[str, Any]]:
    """The dose of the n-th counted session (from 1); a weekly step assumes the prescribed sessions a week."""
    per_week = sessions_a_week(frequency or routine.frequency or Frequency())
    return dose_at(routine, n - 1, (n - 1) // per_week)


def _describe(key: str, value: Any) -> str:
    if key == "load":
        return f"with {value}"
    if key in ("hold", "duration"):
        from player.durations import format_duration

        return f"{format_duration(float(value))} {'hold' if key == 'hold' else ''}".strip()
    word = {"reps": "rep", "sets": "set"}[key]
    return f"{value} {word}{'s' * (value != 1)}"


def dose_note(values: Mapping[str, Any], before: Mapping[str, Any] | None) -> str:
    """What the player says about a dose: "19 reps, up from 17"."""
    parts = []
    for key, value in values.items():
        text = _describe(key, value)
        old = (before or {}).get(key)
        if old is not None and old != value and key != "load":
            text += f", {'up' if value > old else 'down'} from {_describe(key, old).split(' ')[0]}"
        parts.append(text)
    return "; ".join(parts)


def apply_dose(
    routine: Routine, dose: Mapping[str, Mapping[str, Any]], previous: Mapping[str, Mapping[str, Any]] | None = None
) -> Routine:
    """The routine with each progressed exercise's values replaced by its dose."""
    if not dose:
        return routine

    def fix(steps: tuple) -> tuple:
        out = []
        for step in steps:
            if isinstance(step, Exercise) and step.progress is not None and step.name in dose:
                values = dose[step.name]
                changes = {
                    k: (str(v) if k == "load" else int(v) if k in ("reps", "sets") else float(v)) for k, v in values.items()
                }
                out.append(replace(step, **changes, dose_note=dose_note(values, (previous or {}).get(step.name))))
            elif isinstance(step, RepeatBlock):
                out.append(replace(step, steps=fix(step.steps)))
            else:
                out.append(step)
        return tuple(out)

    return replace(routine, steps=fix(routine.steps))


# -- the plan --


def plan(programme: Programme, records: Sequence[Any] | History, on: date) -> Plan:
    """The programme on the date `on`, from the history records (order does not matter) or their `index`."""
    records = index(records)
    events = _events(records, on)
    run = _fold(programme, events, on)
    notes = list(run.notes)
    if run.file_hash and programme.file_hash and run.file_hash != programme.file_hash and (run.active or run.stopped):
        notes.insert(0, "the programme file has changed since it was started; your place in it is kept")
    base = dict(
        id=programme.id, name=programme.name, started=run.started, notes=tuple(notes),
        phase_names=tuple(p.name for p in programme.phases), uses_next_day=programme.uses_next_day(),
    )
    if not run.active or run.finished or on < run.first_day:
        return Plan(**base, phase=None, due=(), proposal=None, stopped=run.stopped, finished=run.finished)  # type: ignore[arg-type]
    phase = programme.phases[run.phase]
    days = (on - run.first_day).days
    state = PhaseState(run.phase, phase.name, days // 7 + 1, days % 7 + 1, run.first_day)
    ids = {e.id for e in phase.routines}
    sessions = [s for s in _counted(records, on) if s.routine_id in ids and _in_phase(s.at, s.day, run)]
    week_start = run.first_day + timedelta(weeks=days // 7)
    due = []
    for entry in phase.routines:
        frequency = entry.frequency
        if frequency.weeks is not None and state.week > frequency.weeks:
            continue
        mine = [s for s in sessions if s.routine_id == entry.id]
        done_today = sum(1 for s in mine if s.day == on)
        week_days = {s.day for s in mine if s.day >= week_start}
        if frequency.days:
            per_week = len(frequency.days)
            is_day = WEEKDAYS[on.weekday()] in frequency.days
        else:
            per_week = frequency.days_a_week or 7
            is_day = on in week_days or len(week_days - {on}) < per_week
        k_week = days // 7
        dose = dose_at(entry.routine, len(mine), k_week)
        previous = dose_at(entry.routine, len(mine) - 1, k_week) if mine else {}
        due.append(DueItem(
            routine=entry.id, routine_name=entry.routine.name, times_a_day=frequency.times_a_day,
            done_today=done_today, days_a_week=per_week, days=frequency.days,
            days_done_this_week=len(week_days), due_today=is_day and done_today < frequency.times_a_day,
            dose=dose, previous_dose=previous,
        ))
    answers = [
        a for a in _answers(records, on)
        if (a.programme_id == programme.id or (a.programme_id is None and a.routine_id in ids))
        and _in_phase(a.at, a.at.date(), run)
    ]
    proposal = _proposal(programme, run, phase, sessions, answers, days)
    if proposal is not None and _declined(run, proposal, sessions):
        proposal = None
    return Plan(**base, phase=state, due=tuple(due), proposal=proposal)  # type: ignore[arg-type]


def _proposal(
    programme: Programme, run: _Run, phase: Phase, sessions: list[CountedSession], answers: list[NextDayAnswer], days: int
) -> Proposal | None:
    back = phase.step_back
    if back is not None and run.phase > 0:
        because = []
        if back.pain_at_least is not None:
            hits = [s for s in sessions if s.pain_after is not None and s.pain_after >= back.pain_at_least]
            if hits:
                worst = hits[-1]
                because.append(
                    f"pain {worst.pain_after}/10 after the session on {worst.day.isoformat()}"
                    f" (steps back at {back.pain_at_least} or more)"
                )
        if back.next_day_worse is not None:
            last = answers[-back.next_day_worse:]
            if len(last) == back.next_day_worse and all(a.answer == "worse" for a in last):
                because.append(f"the last {back.next_day_worse} next-day answers were 'worse'")
        if because:
            return Proposal("step_back", run.phase - 1, tuple(because))
    ahead = phase.advance
    if ahead is None or run.phase + 1 >= len(programme.phases):
        return None
    because = []
    weeks = days // 7
    need = ahead.after_weeks if ahead.after_weeks is not None else (phase.weeks or 0)
    if weeks < need:
        return None
    if need:
        because.append(f"{weeks} whole week{'s' * (weeks != 1)} in this phase (needs {need})")
    if ahead.sessions is not None:
        if len(sessions) < ahead.sessions:
            return None
        because.append(f"{len(sessions)} counted sessions in this phase (needs {ahead.sessions})")
    if ahead.pain_at_most is not None:
        window = sessions[-(ahead.sessions or 3):]
        rated = [s.pain_after for s in window if s.pain_after is not None]
        if not rated or max(rated) > ahead.pain_at_most:
            return None
        because.append(
            f"pain after the last {len(window)} counted sessions at most {max(rated)}/10 (needs {ahead.pain_at_most} or less)"
        )
    if ahead.next_day_not_worse:
        if any(a.answer == "worse" for a in answers):
            return None
        because.append("no 'worse' next-day answer in this phase")
    return Proposal("advance", run.phase + 1, tuple(because))


def _declined(run: _Run, proposal: Proposal, sessions: list[CountedSession]) -> bool:
    """Declined, and no counted session since: the proposal waits."""
    matching = [
        d for d in run.declines
        if d.proposal_kind == proposal.kind and d.proposal_to_phase == proposal.to_phase
        and _in_phase(d.at, d.at.date(), run)
    ]
    if not matching:
        return False
    last = max(d.at for d in matching)
    return not any(s.at > last for s in sessions)


# -- across programmes --


def following(records: Sequence[Any], on: date) -> list[str]:
    """The ids started and not stopped as of `on`, in the order they were (last) started."""
    state: dict[str, tuple[bool, datetime]] = {}
    for e in _events(records, on):
        if e.event == "started" and not state.get(e.programme_id, (False, _EPOCH))[0]:
            state[e.programme_id] = (True, e.at)
        elif e.event == "stopped" and e.programme_id in state:
            state[e.programme_id] = (False, e.at)
    active = [(at, pid) for pid, (on_, at) in state.items() if on_]
    return [pid for _at, pid in sorted(active)]


def next_due(programme: Programme, records: Sequence[Any], on: date, days: int = 14) -> tuple[date, DueItem] | None:
    """The first day from `on` on with something due (nothing more played), and its first due routine."""
    records = index(records)
    for i in range(days + 1):
        day = on + timedelta(days=i)
        result = plan(programme, records, day)
        if result.finished or result.stopped:
            return None
        for item in result.due:
            if item.due_today:
                return day, item
    return None


def routine_dose(
    routine: Routine, records: Sequence[Any], on: date, plans: Iterable[Plan] = ()
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], Plan | None]:
    """The dose of the routine's next session and the one before: a programme's when its phase has it."""
    records = index(records)
    for p in plans:
        for item in p.due:
            if item.routine == routine.id:
                return dict(item.dose), dict(item.previous_dose), p  # type: ignore[arg-type]
    mine = [s for s in _counted(records, on) if s.routine_id == routine.id]
    k_week = (on - mine[0].day).days // 7 if mine else 0
    previous = dose_at(routine, len(mine) - 1, k_week) if mine else {}
    return dose_at(routine, len(mine), k_week), previous, None
