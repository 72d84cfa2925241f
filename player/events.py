"""Events the engine emits, named as facts. Immutable records (see `player.records`), compared with `==` in tests."""

from __future__ import annotations

from typing import NamedTuple, Union

from player.records import compared_by_type
from player.timeline import Segment


@compared_by_type
class SegmentStarted(NamedTuple):
    """Segment `index` began at `at`."""

    index: int
    segment: Segment
    at: float


@compared_by_type
class SegmentFinished(NamedTuple):
    """Segment `index` ended at `at`; `skipped` when the user moved on before its end."""

    index: int
    segment: Segment
    at: float
    skipped: bool = False


@compared_by_type
class CueFired(NamedTuple):
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


@compared_by_type
class Paused(NamedTuple):
    """The user paused during segment `index` at `at`."""

    index: int
    at: float


@compared_by_type
class Resumed(NamedTuple):
    """The user resumed segment `index` at `at` after `paused_for` seconds (real time)."""

    index: int
    at: float
    paused_for: float


@compared_by_type
class Extended(NamedTuple):
    """Segment `index` was lengthened by `seconds` (negative: shortened); `remaining` is what is left now."""

    index: int
    at: float
    seconds: float
    remaining: float


@compared_by_type
class EasingAsked(NamedTuple):
    """An `until_eased` hold ended; the player now waits for "Is it easing?". `attempt` counts the holds played."""

    index: int
    segment: Segment
    at: float
    attempt: int


@compared_by_type
class EasingAnswered(NamedTuple):
    """The user answered "Is it easing?" with yes (`eased`) or no."""

    index: int
    at: float
    eased: bool


@compared_by_type
class Escalated(NamedTuple):
    """`escalate_after` passed without the cramp easing; `message` is the step's `escalate` text (or None)."""

    index: int
    segment: Segment
    at: float
    message: str | None


@compared_by_type
class RoutineFinished(NamedTuple):
    """The last segment ended (or was skipped) at `at`; `played_seconds` is the real time segments ran."""

    at: float
    played_seconds: float


@compared_by_type
class Stopped(NamedTuple):
    """The user stopped the session at `at`, during segment `index` (None: before it started)."""

    index: int | None
    segment: Segment | None
    at: float
    played_seconds: float


Event = Union[
    SegmentStarted, SegmentFinished, CueFired, Paused, Resumed, Extended,
    EasingAsked, EasingAnswered, Escalated, RoutineFinished, Stopped,
]
