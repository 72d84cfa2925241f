"""The routine model: what a routine file means once loaded and checked.

Pure data; imports neither YAML, Textual nor audio.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Union

CATEGORIES = ("warm-up", "activation", "strength", "stretch", "cool-down", "cramp", "other")
CUES = ("start", "rest", "switch", "countdown", "halfway", "rep", "phase", "finish")
SIDES = ("left", "right")
# Sides resolved at play time from the patient's affected leg (program-format.md, section 6).
PATIENT_SIDES = ("affected", "unaffected")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PROGRESS_KEYS = ("reps", "hold", "duration", "sets")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGES = 4

BUILTIN_DEFAULTS: Mapping[str, float] = {"prepare": 5.0, "switch": 5.0, "relax": 5.0, "rest": 30.0}
DEFAULT_COUNTDOWN = 3
DEFAULT_ESCALATE_AFTER = 600.0


@dataclass(frozen=True)
class CueSettings:
    """Per-file cue settings: countdown length, halfway on/off, and which sound plays per cue.

    A sound is `None` (use the built-in for that cue), the string "none" (silence),
    a bundled sound name, or an absolute path to a .wav file.
    """

    countdown: int = DEFAULT_COUNTDOWN
    halfway: bool = True
    sounds: Mapping[str, str] = field(default_factory=dict)


DEFAULT_CUE_SETTINGS = CueSettings()


@dataclass(frozen=True, slots=True)
class Frequency:
    """How often a routine is done (program-format.md, section 1); `days` excludes `days_a_week`."""

    times_a_day: int = 1
    days_a_week: int | None = None
    days: tuple[str, ...] | None = None
    weeks: int | None = None


DAILY = Frequency()


@dataclass(frozen=True, slots=True)
class Progress:
    """How one number of an exercise grows (program-format.md, section 2).

    `key` is reps, hold, duration or sets; `step` and `up_to` are whole numbers for
    reps/sets and seconds for hold/duration; `then` holds (key, value) pairs, a
    value being a number or, for `load`, text.
    """

    key: str
    step: float
    every: str
    up_to: float
    then: tuple[tuple[str, float | str], ...] | None = None


@dataclass(frozen=True, slots=True)
class PlayedAs:
    """How this playing of a routine stands in a programme: what its session record stores."""

    programme_id: str | None
    phase: int | None
    dose: Mapping[str, Mapping[str, object]] | None


@dataclass(frozen=True)
class Exercise:
    """An exercise step, with the file's defaults and the built-in defaults applied."""

    name: str
    duration: float | None = None
    hold: float | None = None
    reps: int | None = None
    tempo: tuple[float, ...] | None = None
    sets: int = 1
    sides: tuple[str, ...] = ()
    prepare: float = 5.0
    switch: float = 5.0
    relax: float = 5.0
    rest: float = 30.0
    instructions: str | None = None
    cues: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    target: str | None = None
    announce: str | None = None
    until_eased: bool = False
    escalate_after: float = DEFAULT_ESCALATE_AFTER
    escalate: str | None = None
    cue_settings: CueSettings = DEFAULT_CUE_SETTINGS
    source: Path | None = None
    line: int = 0
    progress: Progress | None = None
    # What the player says about this session's dose, e.g. "19 reps, up from 17" (set by the planner's dose).
    dose_note: str | None = None
    # Richer dosage (routine-format.md).
    images: tuple[str, ...] = ()  # as written: paths relative to the folder of `source`
    video: str | None = None  # an https:// link
    load: str | None = None  # free text: "1 lb ankle weight", "red band"
    alternate: bool = False  # sides: alternate; `sides` is then (left, right)
    max_reps: bool = False  # reps: max; `reps` is then None
    distance: str | None = None  # as shown: "400 m", "0.5 km", "1 mile"
    distance_m: float | None = None  # the same in metres
    tempo_names: tuple[str, ...] | None = None  # the phase names of a named tempo, else None

    @property
    def is_manual(self) -> bool:
        """Reps at the user's own pace (or a distance): no hold, no tempo, no duration."""
        return self.duration is None and self.hold is None and self.tempo is None

    def image_paths(self) -> tuple[Path, ...]:
        """The pictures as paths: relative to the file the exercise was written in."""
        folder = self.source.parent if self.source is not None else Path(".")
        return tuple(folder / image for image in self.images)

    @property
    def dose_extras(self) -> tuple[str, ...]:
        """What goes with the dose in words: the distance and the load."""
        return tuple(x for x in (self.distance, self.load) if x)

    @property
    def spoken_name(self) -> str:
        """What the voice says when the exercise starts (with this session's dose when it grew)."""
        name = self.announce if self.announce else self.name
        return f"{name}, {self.dose_note}" if self.dose_note else name


@dataclass(frozen=True)
class RestStep:
    """A rest step: one rest segment."""

    rest: float
    name: str = "Rest"
    instructions: str | None = None
    cue_settings: CueSettings = DEFAULT_CUE_SETTINGS
    source: Path | None = None
    line: int = 0


@dataclass(frozen=True)
class RepeatBlock:
    """Steps played `repeat` times, with an optional rest between rounds."""

    repeat: int
    steps: tuple["Step", ...]
    name: str | None = None
    rest: float = 0.0
    cue_settings: CueSettings = DEFAULT_CUE_SETTINGS
    source: Path | None = None
    line: int = 0


@dataclass(frozen=True)
class Section:
    """A heading over the steps that follow it (up to the next heading or the end of its list).

    No time of its own. `included` marks the heading an included file's name and
    description make where it is included: it heads the `covers` steps that follow
    it (the included file's steps, inlined), and the heading before it resumes after them.
    """

    title: str
    description: str | None = None
    included: bool = False
    covers: int = 0
    source: Path | None = None
    line: int = 0


# Includes are inlined by the loader (as a Section and the included steps).
Step = Union[Exercise, RestStep, RepeatBlock, Section]


@dataclass(frozen=True)
class Routine:
    """A loaded routine file."""

    id: str
    name: str
    steps: tuple[Step, ...]
    category: str = "other"
    summary: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    author: str | None = None
    safety: tuple[str, ...] = ()
    ask_pain: bool = False
    cue_settings: CueSettings = DEFAULT_CUE_SETTINGS
    path: Path | None = None
    file_hash: str | None = None
    frequency: Frequency | None = None
    # Set when played from a programme or with a grown dose (player/playprep.py); never from the file.
    played_as: PlayedAs | None = None

    def exercises(self) -> list[Exercise]:
        """Every exercise step, in file order, once each (repeat blocks not unrolled)."""
        found: list[Exercise] = []

        def walk(steps: tuple[Step, ...]) -> None:
            for step in steps:
                if isinstance(step, Exercise):
                    found.append(step)
                elif isinstance(step, RepeatBlock):
                    walk(step.steps)

        walk(self.steps)
        return found

    def sections(self) -> list[Section]:
        """Every section heading, in file order (repeat blocks not unrolled)."""
        found: list[Section] = []

        def walk(steps: tuple[Step, ...]) -> None:
            for step in steps:
                if isinstance(step, Section):
                    found.append(step)
                elif isinstance(step, RepeatBlock):
                    walk(step.steps)

        walk(self.steps)
        return found

    @property
    def patient_sides(self) -> bool:
        """Whether an exercise says `affected` or `unaffected` (needs resolving before play)."""
        return any(side in PATIENT_SIDES for ex in self.exercises() for side in ex.sides)

    def equipment(self) -> list[str]:
        """All equipment named by the routine's exercises, first mention first."""
        seen: dict[str, None] = {}
        for exercise in self.exercises():
            for item in exercise.equipment:
                seen.setdefault(item, None)
        return list(seen)


def other_side(side: str) -> str:
    """right for left, left for right."""
    return "right" if side == "left" else "left"


def resolve_sides(routine: Routine, affected: str | None) -> Routine:
    """The routine with `affected`/`unaffected` sides made `left`/`right` for a patient whose
    affected side is `affected`; unchanged when `affected` is None or nothing needs it. Pure."""
    if affected not in SIDES or not routine.patient_sides:
        return routine
    assert affected is not None
    names = {"affected": affected, "unaffected": other_side(affected)}

    def fix(steps: tuple[Step, ...]) -> tuple[Step, ...]:
        out: list[Step] = []
        for step in steps:
            if isinstance(step, Exercise) and any(s in names for s in step.sides):
                step = replace(step, sides=tuple(names.get(s, s) for s in step.sides))
            elif isinstance(step, RepeatBlock):
                step = replace(step, steps=fix(step.steps))
            out.append(step)
        return tuple(out)

    return replace(routine, steps=fix(routine.steps))
