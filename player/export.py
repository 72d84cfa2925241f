"""The handout of a routine or programme as a document model: plain data, no markup.

`build_handout` is pure: the routine (or programme), who it is for and the date
go in, frozen dataclasses come out. `player.documents` renders them through
Jinja2 templates (autoescaped HTML, Markdown, and PDF from the HTML). The model
never holds HTML: routine text stays text until a template escapes it.

Model objects are read by attribute name (`frequency`, `progress`, `image`,
`video`, `load`, section steps), so the handout follows the loader as it grows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Sequence, Union

from player.model import Exercise, RepeatBlock, RestStep, Routine
from player.timeline import Timeline
from player.words import (
    WEEKDAY_NAMES,
    WEEKDAYS,
    Frequency,
    dosage,
    exercise_progression,
    frequency_in_words,
    frequency_of,
    plural,
    seconds_in_words,
    sides_in_words,
    times,
)

__all__ = [
    "FOOTER", "DISCLAIMER", "Handout", "build_handout", "dosage", "handout_html", "handout_markdown",
    "seconds_in_words", "sides_in_words", "date_in_words",
]

# The short standard footer every handout ends with (evidence.md section 6); the
# routine's own safety notes and red flags come first, in the author's words.
FOOTER = (
    "Stop and call emergency services for chest pain or pressure, sudden breathlessness, "
    "fainting, or sudden numbness or weakness.",
    "Get advice the same day for a calf that is painful, swollen and warm, or a joint that "
    "locks, gives way or swells quickly.",
)
DISCLAIMER = (
    "This handout is general exercise guidance, not medical advice or a diagnosis, and does not "
    "replace an assessment by a doctor or physiotherapist."
)
CALL_CLINIC = (
    "pain is sharp or catching, or goes above 5 out of 10 during an exercise",
    "pain or swelling is worse the next morning and does not settle",
)
# A tracker for a prescription without an end covers this many weeks.
OPEN_ENDED_WEEKS = 4


def date_in_words(day: date) -> str:
    """4 December 2026."""
    return f"{day.day} {day:%B %Y}"


def paragraphs(text: str | None) -> tuple[tuple[str, ...], ...]:
    """Text split into paragraphs (at blank lines) of lines, runs of spaces collapsed; line breaks kept."""
    if not text:
        return ()
    result = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        lines = tuple(" ".join(line.split()) for line in block.split("\n"))
        lines = tuple(line for line in lines if line)
        if lines:
            result.append(lines)
    return tuple(result)


def one_line(text: str | None) -> str:
    """Text that must stay on one line (headings, list items)."""
    return " ".join((text or "").split())


# -- the model -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture of an exercise: the file, how the routine names it, and its text alternative."""

    path: Path
    href: str
    alt: str


@dataclass(frozen=True, slots=True)
class ExerciseDoc:
    """A numbered exercise with its dosage in words and everything a patient needs to do it."""

    number: int
    name: str
    dosage: str
    load: str | None
    progression: str | None
    target: str | None
    equipment: tuple[str, ...]
    instructions: tuple[tuple[str, ...], ...]
    cues: tuple[str, ...]
    escalation: tuple[str, str] | None
    pictures: tuple[Picture, ...]
    video: str | None
    kind: str = "exercise"


@dataclass(frozen=True, slots=True)
class RestDoc:
    """A rest step between exercises."""

    text: str
    name: str | None
    instructions: tuple[tuple[str, ...], ...]
    kind: str = "rest"


@dataclass(frozen=True, slots=True)
class SectionDoc:
    """A heading inside a routine: a `section` step or an included file's name and description."""

    title: str
    description: tuple[tuple[str, ...], ...]
    kind: str = "section"


@dataclass(frozen=True, slots=True)
class BlockDoc:
    """A repeat block and what it repeats."""

    intro: str
    name: str | None
    items: tuple["Item", ...]
    kind: str = "block"


Item = Union[ExerciseDoc, RestDoc, SectionDoc, BlockDoc]


@dataclass(frozen=True, slots=True)
class TrackerRow:
    """One week of a tracker: its label and the number of boxes in each day column."""

    label: str
    boxes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Tracker:
    """Tick boxes matching the prescription: a row per week, a column per session day, a box per session."""

    title: str
    intro: str
    columns: tuple[str, ...]
    rows: tuple[TrackerRow, ...]
    pain: bool

    @property
    def total_boxes(self) -> int:
        """Every prescribed session of the tracker."""
        return sum(sum(row.boxes) for row in self.rows)


@dataclass(frozen=True, slots=True)
class RoutineDoc:
    """A routine as the handout shows it."""

    id: str
    title: str
    summary: str | None
    description: tuple[tuple[str, ...], ...]
    total_time: str
    equipment: tuple[str, ...]
    author: str | None
    frequency: str | None
    safety: tuple[str, ...]
    items: tuple[Item, ...]
    tracker: Tracker


@dataclass(frozen=True, slots=True)
class PhaseDoc:
    """A phase of a programme: its routines, how long, what moves the patient on."""

    number: int
    name: str
    weeks: str
    routines: tuple[RoutineDoc, ...]
    advance: tuple[str, ...]
    step_back: tuple[str, ...]
    then: str


@dataclass(frozen=True, slots=True)
class Handout:
    """Everything a handout says, for one routine or a whole programme."""

    kind: str  # "routine" or "programme"
    title: str
    summary: str | None
    description: tuple[tuple[str, ...], ...]
    date: str
    date_iso: str
    patient: str | None
    clinician: str | None
    author: str | None
    safety: tuple[str, ...]
    phases: tuple[PhaseDoc, ...]
    routines: tuple[RoutineDoc, ...]
    call_clinic: tuple[str, ...]
    footer: tuple[str, ...]
    disclaimer: str

    @property
    def pictures(self) -> tuple[Picture, ...]:
        """Every picture, in reading order."""
        found: list[Picture] = []

        def walk(items: Iterable[Item]) -> None:
            for item in items:
                if isinstance(item, ExerciseDoc):
                    found.extend(item.pictures)
                elif isinstance(item, BlockDoc):
                    walk(item.items)

        for routine in self.all_routines:
            walk(routine.items)
        return tuple(found)

    @property
    def all_routines(self) -> tuple[RoutineDoc, ...]:
        """The routines of a routine handout, or of every phase of a programme."""
        return self.routines + tuple(r for phase in self.phases for r in phase.routines)


# -- building it -------------------------------------------------------------------------


def _pictures(ex: Any, folder: Path | None) -> tuple[Picture, ...]:
    image = getattr(ex, "image", None) or getattr(ex, "images", None)
    if not image:
        return ()
    paths = [image] if isinstance(image, (str, Path)) else list(image)
    resolved = getattr(ex, "image_paths", None)
    if callable(resolved):  # the model resolves them (relative to the file that names them)
        full = list(resolved())
        return tuple(
            Picture(Path(p), str(getattr(raw, "text", None) or raw or p), f"{ex.name}{_position(n, len(full))}")
            for n, (p, raw) in enumerate(zip(full, paths + [None] * len(full)), start=1)
        )
    pictures = []
    source_folder = Path(ex.source).parent if getattr(ex, "source", None) else folder
    for n, value in enumerate(paths, start=1):
        raw = getattr(value, "path", value)
        path = Path(raw)
        full = path if path.is_absolute() or source_folder is None else source_folder / path
        href = str(getattr(value, "text", None) or raw)
        pictures.append(Picture(full, href, f"{ex.name}{_position(n, len(paths))}"))
    return tuple(pictures)


def _position(n: int, count: int) -> str:
    """How the alt text tells pictures apart: (start) and (end) for two."""
    if count == 1:
        return ""
    return " (start)" if n == 1 else " (end)" if n == count == 2 else f" ({n})"


def _escalation(ex: Exercise) -> tuple[str, str] | None:
    if not ex.until_eased:
        return None
    return f"If it has not eased after {seconds_in_words(ex.escalate_after)}", ex.escalate or "get urgent medical advice."


def _block_intro(block: RepeatBlock) -> str:
    text = f"Repeat the following {times(block.repeat)}" if block.repeat > 1 else "Do the following once"
    if block.rest > 0 and block.repeat > 1:
        text += f", resting {seconds_in_words(block.rest)} between rounds"
    return text


def _section_title(step: Any) -> str | None:
    for attr in ("section", "title", "heading"):
        value = getattr(step, attr, None)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _items(steps: Sequence[Any], folder: Path | None, number: list[int]) -> tuple[Item, ...]:
    items: list[Item] = []
    for step in steps:
        if isinstance(step, Exercise):
            load = getattr(step, "load", None)
            items.append(ExerciseDoc(
                number=number[0], name=one_line(step.name), dosage=dosage(step),
                load=one_line(load) if load else None,
                progression=exercise_progression(step),
                target=one_line(step.target) if step.target else None,
                equipment=tuple(one_line(e) for e in step.equipment),
                instructions=paragraphs(step.instructions),
                cues=tuple(one_line(c) for c in step.cues),
                escalation=_escalation(step),
                pictures=_pictures(step, folder),
                video=getattr(step, "video", None),
            ))
            number[0] += 1
        elif isinstance(step, RestStep):
            items.append(RestDoc(f"Rest {seconds_in_words(step.rest)}",
                                 None if step.name == "Rest" else one_line(step.name), paragraphs(step.instructions)))
        elif isinstance(step, RepeatBlock):
            inner = _items(step.steps, folder, number)
            items.append(BlockDoc(_block_intro(step), one_line(step.name) if step.name else None, inner))
        elif (title := _section_title(step)) is not None:
            items.append(SectionDoc(one_line(title), paragraphs(getattr(step, "description", None))))
            inner_steps = getattr(step, "steps", None)
            if inner_steps:
                items.extend(_items(inner_steps, folder, number))
    return tuple(items)


def total_in_words(tl: Timeline) -> str:
    """The routine's total time, with a note when some exercises are self-paced."""
    text = seconds_in_words(round(tl.total_seconds))
    if tl.untimed_segments:
        text += ", plus the exercises done at your own pace"
    return text


def tracker(freq: Frequency | None, *, pain: bool, weeks: int | None = None, first_week: int = 1) -> Tracker:
    """Tick boxes for a prescription: a row per week, a column per session day, `times_a_day` boxes in each.

    Without a frequency: one week, a box a day. `weeks` (a phase's length)
    caps the frequency's own weeks.
    """
    if freq is None:
        freq = Frequency(weeks=1)
        title = "This week"
    else:
        title = "Your sessions"
    count = min(w for w in (freq.weeks, weeks) if w) if (freq.weeks or weeks) else OPEN_ENDED_WEEKS
    if freq.days:
        columns = tuple(WEEKDAY_NAMES[d][:3] for d in WEEKDAYS if d in freq.days)
        where = "on the days shown"
    elif freq.days_a_week >= 7:
        columns = tuple(f"Day {n}" for n in range(1, 8))
        where = "each day"
    else:
        columns = tuple(f"Day {n}" for n in range(1, freq.days_a_week + 1))
        where = f"on {plural(freq.days_a_week, 'day')} of your choice each week"
    boxes = (freq.times_a_day,) * len(columns)
    rows = tuple(TrackerRow(f"Week {n}", boxes) for n in range(first_week, first_week + count))
    per = "a box for each session" if freq.times_a_day == 1 else f"{freq.times_a_day} boxes a day, one for each session"
    intro = f"Tick a box each time you do the routine: {per}, {where}."
    if pain:
        intro += " Note your pain after the session from 0 (none) to 10 (the worst you can imagine) beside the box."
    if freq.weeks is None and weeks is None and title != "This week":
        intro += f" The first {plural(count, 'week')} are shown; go on the same way."
    return Tracker(title, intro, columns, rows, pain)


def routine_doc(routine: Routine, tl: Timeline, frequency: Any = None, *, phase_weeks: int | None = None) -> RoutineDoc:
    """One routine of a handout; `frequency` (a phase entry's) replaces the routine's own."""
    freq = frequency_of(frequency if frequency is not None else getattr(routine, "frequency", None))
    folder = routine.path.parent if routine.path else None
    return RoutineDoc(
        id=routine.id,
        title=one_line(routine.name),
        summary=one_line(routine.summary) if routine.summary else None,
        description=paragraphs(routine.description),
        total_time=total_in_words(tl),
        equipment=tuple(one_line(e) for e in routine.equipment()),
        author=one_line(routine.author) if routine.author else None,
        frequency=frequency_in_words(freq) if freq else None,
        safety=tuple(one_line(s) for s in routine.safety),
        items=_items(routine.steps, folder, [1]),
        tracker=tracker(freq, pain=routine.ask_pain, weeks=phase_weeks),
    )


def _patient_name(patient: Any) -> str | None:
    if patient is None:
        return None
    name = patient.get("name") if isinstance(patient, dict) else getattr(patient, "name", None)
    return one_line(name) if name else None


def build_handout(routine: Routine, tl: Timeline, today: date, *, patient: str | None = None,
                  clinician: str | None = None) -> Handout:
    """The handout of one routine on `today`; `patient` and `clinician` when known."""
    doc = routine_doc(routine, tl)
    return Handout(
        kind="routine", title=doc.title, summary=doc.summary, description=doc.description,
        date=date_in_words(today), date_iso=today.isoformat(),
        patient=patient, clinician=clinician, author=doc.author, safety=(),
        phases=(), routines=(doc,), call_clinic=CALL_CLINIC, footer=FOOTER, disclaimer=DISCLAIMER,
    )


# -- programmes ---------------------------------------------------------------------------


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return default


def advance_in_words(advance: Any, weeks: int) -> tuple[str, ...]:
    """What moves the patient on to the next phase, one condition a line; empty when the weeks alone do."""
    if not advance:
        return ()
    out = [f"at least {plural(_get(advance, 'after_weeks', default=weeks), 'week')} in this phase"]
    if (n := _get(advance, "sessions")) is not None:
        out.append(f"{plural(n, 'session')} done in this phase")
    if (pain := _get(advance, "pain_at_most")) is not None:
        window = _get(advance, "sessions") or 3
        out.append(f"pain after each of your last {plural(window, 'session')} at most {pain} out of 10")
    if _get(advance, "next_day", "next_day_not_worse"):
        out.append("never worse the morning after a session")
    return tuple(out)


def step_back_in_words(step_back: Any) -> tuple[str, ...]:
    """When to call the clinic because the phase may be too much."""
    if not step_back:
        return ()
    out = []
    if (pain := _get(step_back, "pain_at_least")) is not None:
        out.append(f"pain of {pain} out of 10 or more after a session")
    if (n := _get(step_back, "next_day_worse")) is not None:
        out.append("worse the morning after a session" if n == 1 else f"worse the morning after {n} sessions in a row")
    return tuple(out)


@dataclass(frozen=True, slots=True)
class PhaseRoutine:
    """A routine of a phase as the command loaded it: the routine, its timeline and the entry's frequency."""

    routine: Routine
    timeline: Timeline
    frequency: Any


@dataclass(frozen=True, slots=True)
class PhaseInput:
    """A phase of a programme as plain data for `build_programme_handout`."""

    name: str
    weeks: int | None
    routines: tuple[PhaseRoutine, ...]
    advance: Any = None
    step_back: Any = None


def phases_of(programme: Any, affected: str | None = None) -> list[PhaseInput]:
    """A loaded programme's phases as plain data for `build_programme_handout`.

    Sides written `affected`/`unaffected` become the patient's left or right
    (`affected`, else the programme's `patient.affected_side`); unknown, they stay in words.
    """
    from player.model import resolve_sides
    from player.timeline import compile_timeline

    side = affected or getattr(programme, "affected_side", None)
    out = []
    for phase in programme.phases:
        routines = []
        for e in phase.routines:
            routine = resolve_sides(e.routine, side)
            routines.append(PhaseRoutine(routine, compile_timeline(routine), e.frequency))
        out.append(PhaseInput(phase.name, phase.weeks, tuple(routines), phase.advance, phase.step_back))
    return out


def build_programme_handout(programme: Any, phases: Sequence[PhaseInput], today: date, *,
                            patient: str | None = None, clinician: str | None = None) -> Handout:
    """The handout of a programme: its phases in order, each with its routines and what moves the patient on."""
    docs = []
    for n, phase in enumerate(phases, start=1):
        routines = tuple(routine_doc(p.routine, p.timeline, p.frequency or {}, phase_weeks=phase.weeks)
                         for p in phase.routines)
        advance = advance_in_words(phase.advance, phase.weeks or 1)
        if n == len(phases):
            then = "This is the last phase."
        elif advance:
            then = "Your clinician moves you on to the next phase when all of these hold:"
        elif phase.weeks:
            then = f"After {plural(phase.weeks, 'week')} you go on to the next phase."
        else:
            then = "Your clinician tells you when to go on to the next phase."
        weeks = plural(phase.weeks, "week") if phase.weeks else "no set end"
        docs.append(PhaseDoc(n, one_line(phase.name), weeks, routines, advance,
                             step_back_in_words(phase.step_back), then))
    clinician = clinician or _get(programme, "clinician")
    patient = patient or _get(programme, "patient_name") or _patient_name(_get(programme, "patient"))
    return Handout(
        kind="programme", title=one_line(_get(programme, "name", default="Programme")),
        summary=one_line(_get(programme, "summary")) or None,
        description=paragraphs(_get(programme, "description")),
        date=date_in_words(today), date_iso=today.isoformat(),
        patient=one_line(patient) if patient else None,
        clinician=one_line(clinician) if clinician else None,
        author=one_line(_get(programme, "author")) or None,
        safety=tuple(one_line(s) for s in _get(programme, "safety", default=())),
        phases=tuple(docs), routines=(), call_clinic=CALL_CLINIC, footer=FOOTER, disclaimer=DISCLAIMER,
    )


# -- convenience for callers that want text ------------------------------------------------


def handout_markdown(routine: Routine, tl: Timeline, today: date | None = None) -> str:
    """The handout of one routine as Markdown."""
    from player.documents import render_markdown

    return render_markdown(build_handout(routine, tl, today or date.today()))


def handout_html(routine: Routine, tl: Timeline, today: date | None = None) -> str:
    """The handout of one routine as one self-contained HTML file."""
    from player.documents import render_html

    return render_html(build_handout(routine, tl, today or date.today()))
