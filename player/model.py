"""The routine model: what a routine file means once loaded and checked.

Pure data; imports neither YAML, Textual nor audio.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Union

CATEGORIES = ("warm-up", "activation", "strength", "stretch", "cool-down", "cramp", "other")
CUES = ("start", "rest", "switch", "countdown", "halfway", "rep", "finish")
SIDES = ("left", "right")
# Sides resolved at play time from the patient's affected leg (program-format.md, section 6).
PATIENT_SIDES = ("affected", "unaffected")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PROGRESS_KEYS = ("reps", "hold", "duration", "sets")

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

    @property
    def is_manual(self) -> bool:
        """Reps at the user's own pace: no hold, no tempo, no duration."""
        return self.duration is None and self.hold is None and self.tempo is None

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


# Includes are inlined by the loader: the model only holds the three kinds that play.
Step = Union[Exercise, RestStep, RepeatBlock]


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

    def equipment(self) -> list[str]:
        """All equipment named by the routine's exercises, first mention first."""
        seen: dict[str, None] = {}
        for exercise in self.exercises():
            for item in exercise.equipment:
                seen.setdefault(item, None)
        return list(seen)
