"""The therapist's report: prescribed against done, per week, exercise and side; pain and next-day answers.

`build_report` is pure: history records, the routine files (by id; None for a
routine that is gone), an optional programme and the dates in, plain data out.
`player.documents` renders it (Jinja2, HTML with charts, Markdown) and
`report_csv` writes the same numbers as CSV.

A session's segments are matched to the routine's timeline as it is now; when
the file changed since (another `file_hash` and another number of segments),
the session still counts but is not broken down per exercise, and the report
says so.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, Mapping, Sequence

from player.model import Exercise, Routine
from player.timeline import Timeline, compile_timeline
from player.words import WEEKDAYS, Frequency, frequency_in_words, frequency_of, plural

WORK_KINDS = ("work", "manual")


def counted(record: Any) -> bool:
    """A session that counts (program-format.md): completed or not, played at speed 1, not a cramp stretch."""
    return getattr(record, "speed", 1.0) == 1.0 and getattr(record, "cramp", None) is None


# -- the model ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeekRow:
    """Sessions of one week: prescribed, done (completed) and stopped early; previews left out."""

    number: int
    first_day: date
    last_day: date
    phase: str | None
    prescribed: int | None
    completed: int
    stopped: int
    previews: int
    pain_before: float | None = None  # the week's average rating, one decimal
    pain_after: float | None = None

    @property
    def label(self) -> str:
        """Week 3 (7-13 Dec)."""
        return f"Week {self.number}"

    @property
    def dates(self) -> str:
        """7 Dec 2026 - 13 Dec 2026."""
        return f"{self.first_day:%d %b %Y} - {self.last_day:%d %b %Y}"


@dataclass(frozen=True, slots=True)
class ExerciseRow:
    """One exercise and side in one week: units (holds or sets) prescribed, done, shortened, skipped, missed."""

    week: int
    routine: str
    exercise: str
    side: str
    unit: str
    prescribed: int
    done: int
    shortened: int
    skipped: int

    @property
    def missed(self) -> int:
        """Prescribed units of sessions that were not played at all."""
        return max(0, self.prescribed - self.done - self.shortened - self.skipped)

    @property
    def percent(self) -> int:
        """Done as a share of prescribed, in whole per cent."""
        return round(100 * self.done / self.prescribed) if self.prescribed else 0


@dataclass(frozen=True, slots=True)
class PainRow:
    """The ratings around one session."""

    when: datetime
    routine: str
    before: int | None
    after: int | None


@dataclass(frozen=True, slots=True)
class EventRow:
    """A dated line: a next-morning answer, or a phase change."""

    when: datetime
    what: str


@dataclass(frozen=True, slots=True)
class VersionRow:
    """A version of a routine file that was played."""

    routine: str
    file_hash: str
    first_day: date
    last_day: date
    sessions: int
    status: str  # "current", "changed since" or "file not found"


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the report says."""

    title: str
    patient: str | None
    clinician: str | None
    date: date
    first_day: date | None
    last_day: date | None
    prescription: tuple[str, ...]
    weeks: tuple[WeekRow, ...]
    exercises: tuple[ExerciseRow, ...]
    pain: tuple[PainRow, ...]
    next_day: tuple[EventRow, ...]
    phases: tuple[EventRow, ...]
    versions: tuple[VersionRow, ...]
    previews: int
    notes: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """No session in the period."""
        return not any(w.completed or w.stopped or w.previews for w in self.weeks) and not self.pain


# -- building it -------------------------------------------------------------------------------


def _unit(ex: Exercise | None) -> str:
    return "holds" if ex is not None and ex.hold is not None else "sets"


@dataclass
class _Tally:
    prescribed: int = 0
    done: int = 0
    shortened: int = 0
    skipped: int = 0


def session_units(tl: Timeline) -> dict[tuple[str, str], tuple[str, int]]:
    """Work units (holds or sets) per (exercise, side) of one session of a timeline, in play order."""
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for seg in tl.segments:
        if seg.kind in WORK_KINDS:
            key = (seg.name, seg.side or "")
            unit = _unit(seg.step if isinstance(seg.step, Exercise) else None)
            out[key] = (unit, out.get(key, (unit, 0))[1] + 1)
    return out


def _breakdown(record: Any, tl: Timeline) -> dict[tuple[str, str], _Tally]:
    """What one session did of each exercise and side, from its recorded segments."""
    skipped = set(record.skipped_segments or ())
    shortened = set(record.shortened_segments or ())
    itemised = record.skipped_segments is not None or record.shortened_segments is not None
    stop = record.stopped_at.segment_index if record.stopped_at is not None else None
    out: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    for i, seg in enumerate(tl.segments):
        if seg.kind not in WORK_KINDS:
            continue
        t = out[(seg.name, seg.side or "")]
        if i in shortened or (not itemised and stop is not None and i == stop):
            t.shortened += 1
        elif i in skipped:
            t.skipped += 1
        elif record.completed or (stop is not None and i < stop):
            t.done += 1
        else:
            t.skipped += 1  # never reached: the session stopped before it
    return out


def _average(values: Iterable[int | None]) -> float | None:
    """The mean of the ratings given, to one decimal; None when there is none."""
    given = [v for v in values if v is not None]
    return round(sum(given) / len(given), 1) if given else None


def prescribed_sessions(freq: Frequency | None, first: date, last: date) -> int | None:
    """Sessions a frequency prescribes from `first` to `last` (one week or part of one); None without one."""
    if freq is None:
        return None
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if freq.days:
        n = sum(1 for d in days if WEEKDAYS[d.weekday()] in freq.days)
    else:
        n = min(freq.days_a_week, len(days))
    return n * freq.times_a_day


@dataclass(frozen=True, slots=True)
class Subject:
    """What the report is about: the routines (by id, with the frequency each is prescribed at) per phase."""

    title: str
    patient: str | None = None
    clinician: str | None = None
    start: date | None = None
    phases: tuple[tuple[str | None, int | None, tuple[tuple[str, Any], ...]], ...] = ()
    programme_id: str | None = None

    def routine_ids(self) -> set[str]:
        """Every routine of every phase."""
        return {rid for _n, _w, entries in self.phases for rid, _f in entries}


def subject_of(programme: Any) -> Subject:
    """A loaded Programme as the report's subject."""
    phases = tuple(
        (p.name, p.weeks, tuple((e.routine.id, e.frequency) for e in p.routines)) for p in programme.phases
    )
    return Subject(programme.name, programme.patient_name, programme.clinician, programme.start, phases, programme.id)


def _phase_changes(subject: Subject, events: Sequence[Any], start: date) -> list[tuple[date, int]]:
    """(first day, phase index) from the programme's records, and phases without `advance` ending by their weeks."""
    changes = [(start, 0)]
    for e in sorted(events, key=lambda e: e.at):
        if getattr(e, "event", None) in ("advanced", "stepped_back") and e.to_phase is not None:
            changes.append((e.at.date(), e.to_phase))
    return changes


def build_report(
    records: Iterable[Any],
    routines: Mapping[str, Routine | None],
    today: date,
    *,
    subject: Subject | None = None,
    since: date | None = None,
    until: date | None = None,
    patient: str | None = None,
    timeline_of: Callable[[Routine], Timeline] = compile_timeline,
    phase_of: Callable[[date], int | None] | None = None,
) -> Report:
    """The report over `records` (sessions, programme events, next-day answers) up to `today`.

    `phase_of(day)` says which phase of the subject's programme a day is in (the
    planner's fold of the history); without it, the phase records alone decide.
    """
    until = min(until or today, today)
    sessions: list[Any] = []
    events: list[Any] = []
    answers: list[Any] = []
    for r in records:
        kind = type(r).__name__
        if kind == "SessionRecord":
            if subject is not None and subject.phases and r.routine_id not in subject.routine_ids():
                continue
            if (since is None or r.day >= since) and r.day <= until:
                sessions.append(r)
        elif kind == "ProgrammeEvent":
            if subject is not None and r.programme_id == subject.programme_id:
                events.append(r)
        elif kind == "NextDayAnswer":
            if subject is None or subject.programme_id is None or r.programme_id in (None, subject.programme_id):
                if (since is None or r.day >= since) and r.day <= until:
                    answers.append(r)
    sessions.sort(key=lambda r: r.start)
    started = next((e.start for e in sorted(events, key=lambda e: e.at) if e.event == "started" and e.start), None)
    notes: list[str] = []

    # The weeks: 7-day blocks from the programme's start, else Mondays.
    programme_start = started or (subject.start if subject is not None else None)
    if programme_start is not None:
        anchor = programme_start
        begin = max(since or programme_start, programme_start)
    else:
        begin = since or (sessions[0].day if sessions else until)
        anchor = begin - timedelta(days=begin.weekday())
    first_week_start = anchor + timedelta(days=7 * ((begin - anchor).days // 7))
    end = until

    # Which phase each day is in (a programme), and the frequency of each routine then.
    phase_changes = _phase_changes(subject, events, anchor) if subject is not None and subject.phases else []

    phase_cache: dict[date, int | None] = {}

    def phase_on(day: date) -> int | None:
        if phase_of is not None:  # the planner's answer (phases that end by their weeks included)
            if day not in phase_cache:
                phase_cache[day] = phase_of(day)
            return phase_cache[day]
        if not phase_changes:
            return None
        index = 0
        for first, phase in phase_changes:
            if first <= day:
                index = phase
        # A phase without `advance` ends by its weeks and the next begins on its own.
        return index

    def frequencies_on(day: date) -> dict[str, Frequency]:
        if subject is None or not subject.phases:
            return {rid: f for rid, r in routines.items() if r is not None and (f := frequency_of(r.frequency))}
        index = phase_on(day)
        if index is None or index >= len(subject.phases):
            return {}
        # An entry's frequency (a phase entry without keys is once a day); None: a routine with no prescription.
        return {rid: f for rid, freq in subject.phases[index][2] if (f := frequency_of(freq)) is not None}

    timelines: dict[tuple[str, str], Timeline | None] = {}

    def timeline(rid: str, dose: Mapping[str, Any] | None = None) -> Timeline | None:
        """The routine's timeline as the file is now, at a session's dose (its progressed values)."""
        key = (rid, json.dumps(dose, sort_keys=True) if dose else "")
        if key not in timelines:
            routine = routines.get(rid)
            if routine is not None and dose:
                from player.planner import apply_dose

                try:
                    routine = apply_dose(routine, dose)
                except (TypeError, ValueError):  # a dose the file no longer fits: the file's own values
                    pass
            timelines[key] = timeline_of(routine) if routine is not None else None
        return timelines[key]

    units_cache: dict[int, dict[tuple[str, str], tuple[str, int]]] = {}

    def units_of(tl: Timeline) -> dict[tuple[str, str], tuple[str, int]]:
        """session_units, once per timeline (the timelines dict keeps each alive, so ids stay unique)."""
        if id(tl) not in units_cache:
            units_cache[id(tl)] = session_units(tl)
        return units_cache[id(tl)]

    by_week: dict[int, list[Any]] = defaultdict(list)
    previews_by_week: dict[int, int] = defaultdict(int)
    previews = 0
    versions: dict[tuple[str, str], list[Any]] = {}
    unbroken: set[str] = set()
    for r in sessions:
        n = (r.day - first_week_start).days // 7
        if n < 0:
            continue
        if not counted(r):
            if getattr(r, "cramp", None) is None:
                previews += 1
                previews_by_week[n] += 1
            continue
        by_week[n].append(r)
        versions.setdefault((r.routine_id, r.file_hash or ""), []).append(r)

    week_rows: list[WeekRow] = []
    tallies: dict[tuple[int, str, str, str], _Tally] = {}
    units: dict[tuple[str, str, str], str] = {}
    weeks_count = max(1, (end - first_week_start).days // 7 + 1)
    for n in range(weeks_count):
        w_first = first_week_start + timedelta(days=7 * n)
        w_last = min(w_first + timedelta(days=6), end)
        freqs = frequencies_on(w_first)
        phase_index = phase_on(w_first)
        phase_name = subject.phases[phase_index][0] if subject and phase_index is not None and phase_index < len(subject.phases) else None
        prescribed_total = None
        per_routine_prescribed: dict[str, int] = {}
        for rid, freq in freqs.items():
            count = prescribed_sessions(freq, w_first, w_last)
            if count is not None:
                per_routine_prescribed[rid] = count
                prescribed_total = (prescribed_total or 0) + count
        done = by_week.get(n, [])
        week_rows.append(WeekRow(n + 1, w_first, w_last, phase_name, prescribed_total,
                                 sum(1 for r in done if r.completed), sum(1 for r in done if not r.completed),
                                 previews_by_week.get(n, 0), _average(r.pain_before for r in done),
                                 _average(r.pain_after for r in done)))
        # Per exercise and side: the units of each prescribed (or played) session against what was done.
        played_by_routine: dict[str, list[Any]] = defaultdict(list)
        for r in done:
            played_by_routine[r.routine_id].append(r)
        for rid in sorted(set(per_routine_prescribed) | set(played_by_routine)):
            base = timeline(rid)
            if base is None:
                continue
            routine = routines[rid]
            played = played_by_routine.get(rid, [])
            sessions_prescribed = per_routine_prescribed.get(rid)
            # Each played session is prescribed at its own dose; the sessions not played at the last dose seen.
            missing = max(0, sessions_prescribed - len(played)) if sessions_prescribed is not None else 0
            last_dose = next((getattr(r, "dose", None) for r in reversed(played) if getattr(r, "dose", None)), None)
            prescribed_at = [timeline(rid, getattr(r, "dose", None)) or base for r in played]
            prescribed_at += [timeline(rid, last_dose) or base] * missing
            for tl in prescribed_at:
                for key, (unit, count) in units_of(tl).items():
                    units[(rid, *key)] = unit
                    tallies.setdefault((n, rid, *key), _Tally()).prescribed += count
            for key, (unit, _count) in units_of(base).items():
                units.setdefault((rid, *key), unit)
                tallies.setdefault((n, rid, *key), _Tally())
            for r in played:
                tl = timeline(rid, getattr(r, "dose", None)) or base
                if r.file_hash not in (None, routine.file_hash) and r.segments_total != len(tl.segments):
                    unbroken.add(rid)
                    continue
                for key, part in _breakdown(r, tl).items():
                    t = tallies.setdefault((n, rid, *key), _Tally())
                    t.done += part.done
                    t.shortened += part.shortened
                    t.skipped += part.skipped

    exercise_rows = tuple(
        ExerciseRow(n + 1, routines[rid].name if routines.get(rid) else rid, name, side or "-",
                    units.get((rid, name, side), "sets"), t.prescribed, t.done, t.shortened, t.skipped)
        for (n, rid, name, side), t in sorted(tallies.items(), key=lambda kv: kv[0][0])
    )

    gone = sorted({r.routine_id for r in sessions if routines.get(r.routine_id) is None})
    for rid in gone:
        name = next(r.routine_name for r in sessions if r.routine_id == rid)
        notes.append(f"{name} ({rid}): the routine file is no longer found; its sessions are counted, "
                     "but not broken down per exercise.")
    for rid in sorted(unbroken):
        notes.append(f"{routines[rid].name}: some sessions were played from an earlier version of the file with "
                     "other segments; they are counted, but not broken down per exercise.")
    if previews:
        notes.append(f"{plural(previews, 'preview')} (played faster than normal) left out: they do not count.")

    version_rows = []
    for (rid, fh), group in sorted(versions.items(), key=lambda kv: (kv[0][0], kv[1][0].start)):
        routine = routines.get(rid)
        status = "file not found" if routine is None else "current" if fh == (routine.file_hash or "") else "changed since"
        version_rows.append(VersionRow(group[-1].routine_name, fh[:12] if fh else "unknown", group[0].day,
                                       group[-1].day, len(group), status))

    pain = tuple(PainRow(r.start, r.routine_name, r.pain_before, r.pain_after) for r in sessions
                 if counted(r) and (r.pain_before is not None or r.pain_after is not None))
    next_day = tuple(EventRow(a.at, a.answer) for a in sorted(answers, key=lambda a: a.at))
    phase_rows = []
    for e in sorted(events, key=lambda e: e.at):
        if e.event == "started":
            phase_rows.append(EventRow(e.at, f"started ({subject.phases[0][0]})" if subject and subject.phases else "started"))
        elif e.event in ("advanced", "stepped_back") and subject and e.to_phase is not None and e.to_phase < len(subject.phases):
            verb = "moved on to" if e.event == "advanced" else "stepped back to"
            phase_rows.append(EventRow(e.at, f"{verb} {subject.phases[e.to_phase][0]}"))
        elif e.event == "declined":
            phase_rows.append(EventRow(e.at, "declined a proposal"))
        elif e.event == "stopped":
            phase_rows.append(EventRow(e.at, "stopped"))

    # A phase that ended by its weeks has no record of its own: the week the next one began says it.
    recorded_days = {row.when.date() for row in phase_rows}
    for before, week in zip(week_rows, week_rows[1:]):
        recorded = any(before.first_day < day <= week.first_day for day in recorded_days)
        if week.phase and week.phase != before.phase and not recorded:
            when = datetime.combine(week.first_day, datetime.min.time())
            phase_rows.append(EventRow(when, f"{week.phase} began (after the weeks of {before.phase or 'the phase before'})"))
    phase_rows.sort(key=lambda row: row.when.replace(tzinfo=None))

    prescription = []
    if subject is not None and subject.phases:
        for name, weeks, entries in subject.phases:
            for rid, freq in entries:
                f = frequency_of(freq)
                if f is None:
                    continue
                rname = routines[rid].name if routines.get(rid) else rid
                prescription.append(f"{name}: {rname}, {frequency_in_words(f)}" if name else f"{rname}: {frequency_in_words(f)}")
    else:
        for rid, routine in sorted(routines.items()):
            if routine is not None and (f := frequency_of(routine.frequency)):
                prescription.append(f"{routine.name}: {frequency_in_words(f)}")

    return Report(
        title=subject.title if subject else "Exercise report",
        patient=patient or (subject.patient if subject else None),
        clinician=subject.clinician if subject else None,
        date=today,
        first_day=first_week_start,
        last_day=end,
        prescription=tuple(prescription),
        weeks=tuple(week_rows),
        exercises=exercise_rows,
        pain=pain,
        next_day=next_day,
        phases=tuple(phase_rows),
        versions=tuple(version_rows),
        previews=previews,
        notes=tuple(notes),
    )


# -- CSV ------------------------------------------------------------------------------------------

CSV_COLUMNS = ("table", "week", "first_day", "last_day", "phase", "routine", "exercise", "side", "unit",
               "prescribed", "done", "stopped", "previews", "shortened", "skipped", "missed", "when", "pain_before", "pain_after",
               "answer", "event", "file_hash", "sessions", "status")


def _safe(value: Any) -> Any:
    """A text cell a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and value != "-":
        return "'" + value
    return "" if value is None else value


def report_csv(report: Report) -> str:
    """Every number of the report as one CSV table, a `table` column saying which part a row belongs to."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()

    def row(**values: Any) -> None:
        writer.writerow({k: _safe(v) for k, v in values.items()})

    for w in report.weeks:
        row(table="sessions", week=w.number, first_day=w.first_day.isoformat(), last_day=w.last_day.isoformat(),
            phase=w.phase, prescribed=w.prescribed, done=w.completed, stopped=w.stopped, previews=w.previews,
            pain_before=w.pain_before, pain_after=w.pain_after)
    for e in report.exercises:
        row(table="exercise", week=e.week, routine=e.routine, exercise=e.exercise, side=e.side, unit=e.unit,
            prescribed=e.prescribed, done=e.done, shortened=e.shortened, skipped=e.skipped, missed=e.missed)
    for p in report.pain:
        row(table="pain", when=p.when.isoformat(timespec="seconds"), routine=p.routine, pain_before=p.before,
            pain_after=p.after)
    for a in report.next_day:
        row(table="next_day", when=a.when.isoformat(timespec="seconds"), answer=a.what)
    for ph in report.phases:
        row(table="phase", when=ph.when.isoformat(timespec="seconds"), event=ph.what)
    for v in report.versions:
        row(table="version", routine=v.routine, file_hash=v.file_hash, first_day=v.first_day.isoformat(),
            last_day=v.last_day.isoformat(), sessions=v.sessions, status=v.status)
    return out.getvalue()
