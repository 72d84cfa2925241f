"""Events the engine emits, named as facts: frozen dataclasses, compared with `==` in tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from player.timeline import Segment


@dataclass(frozen=True, slots=True)
class SegmentStarted:
    """Segment `index` began at `at`."""

    index: int
    segment: Segment
    at: float


@dataclass(frozen=True, slots=True)
class SegmentFinished:
    """Segment `index` ended at `at`; `skipped` when the user moved on before its end."""

    index: int
    segment: Segment
    at: float
    skipped: bool = False


@dataclass(frozen=True, slots=True)
class CueFired:
    """A cue of the spec's Cues table.

    `cue` is one of start, rest, switch, countdown, halfway, rep, finish.
    `count` is the number said for a countdown (3, 2, 1) or the rep just begun for `rep`.
    `segment` is None only for `finish`.
    """

    cue: str
    index: int
    at: float
    segment: Segment | None = None
    count: int | None = None


@dataclass(frozen=True, slots=True)
class Paused:
    """The user paused during segment `index` at `at`."""

    index: int
    at: float


@dataclass(frozen=True, slots=True)
class Resumed:
    """The user resumed segment `index` at `at` after `paused_for` seconds (real time)."""

    index: int
    at: float
    paused_for: float


@dataclass(frozen=True, slots=True)
class Extended:
    """Segment `index` was lengthened by `seconds` (negative: shortened); `remaining` is what is left now."""

    index: int
    at: float
    seconds: float
    remaining: float


@dataclass(frozen=True, slots=True)
class EasingAsked:
    """An `until_eased` hold ended; the player now waits for "Is it easing?". `attempt` counts the holds played."""

    index: int
    segment: Segment
    at: float
    attempt: int


@dataclass(frozen=True, slots=True)
class EasingAnswered:
    """The user answered "Is it easing?" with yes (`eased`) or no."""

    index: int
    at: float
    eased: bool


@dataclass(frozen=True, slots=True)
class Escalated:
    """`escalate_after` passed without the cramp easing; `message` is the step's `escalate` text (or None)."""

    index: int
    segment: Segment
    at: float
    message: str | None


@dataclass(frozen=True, slots=True)
class RoutineFinished:
    """The last segment ended (or was skipped) at `at`; `played_seconds` is the real time segments ran."""

    at: float
    played_seconds: float


@dataclass(frozen=True, slots=True)
class Stopped:
    """The user stopped the session at `at`, during segment `index` (None: before it started)."""

    index: int | None
    segment: Segment | None
    at: float
    played_seconds: float


Event = Union[
    SegmentStarted, SegmentFinished, CueFired, Paused, Resumed, Extended,
    EasingAsked, EasingAnswered, Escalated, RoutineFinished, Stopped,
]
