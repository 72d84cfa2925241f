"""Events the engine emits, named as facts. Immutable, compared with `==` in tests.

They are `NamedTuple`s rather than frozen dataclasses: the engine needs all eleven at
import, and a NamedTuple class costs about a sixth of a frozen dataclass to create,
which `vmo cramp`'s first frame feels (bench/cramp_startup.py). Equality is by type
and fields, as with dataclasses: a `Paused` never equals a `RoutineFinished` that
happens to hold the same numbers.
"""

from __future__ import annotations

from typing import NamedTuple, Union

from player.timeline import Segment


class SegmentStarted(NamedTuple):
    """Segment `index` began at `at`."""

    index: int
    segment: Segment
    at: float


class SegmentFinished(NamedTuple):
    """Segment `index` ended at `at`; `skipped` when the user moved on before its end."""

    index: int
    segment: Segment
    at: float
    skipped: bool = False


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


class Paused(NamedTuple):
    """The user paused during segment `index` at `at`."""

    index: int
    at: float


class Resumed(NamedTuple):
    """The user resumed segment `index` at `at` after `paused_for` seconds (real time)."""

    index: int
    at: float
    paused_for: float


class Extended(NamedTuple):
    """Segment `index` was lengthened by `seconds` (negative: shortened); `remaining` is what is left now."""

    index: int
    at: float
    seconds: float
    remaining: float


class EasingAsked(NamedTuple):
    """An `until_eased` hold ended; the player now waits for "Is it easing?". `attempt` counts the holds played."""

    index: int
    segment: Segment
    at: float
    attempt: int


class EasingAnswered(NamedTuple):
    """The user answered "Is it easing?" with yes (`eased`) or no."""

    index: int
    at: float
    eased: bool


class Escalated(NamedTuple):
    """`escalate_after` passed without the cramp easing; `message` is the step's `escalate` text (or None)."""

    index: int
    segment: Segment
    at: float
    message: str | None


class RoutineFinished(NamedTuple):
    """The last segment ended (or was skipped) at `at`; `played_seconds` is the real time segments ran."""

    at: float
    played_seconds: float


class Stopped(NamedTuple):
    """The user stopped the session at `at`, during segment `index` (None: before it started)."""

    index: int | None
    segment: Segment | None
    at: float
    played_seconds: float


def _same_type_eq(self: tuple, other: object) -> bool:
    return type(self) is type(other) and tuple.__eq__(self, other)


def _same_type_ne(self: tuple, other: object) -> bool:
    return not _same_type_eq(self, other)


Event = Union[
    SegmentStarted, SegmentFinished, CueFired, Paused, Resumed, Extended,
    EasingAsked, EasingAnswered, Escalated, RoutineFinished, Stopped,
]

for _cls in Event.__args__:
    # Set after creation, so each class keeps tuple's hash.
    _cls.__eq__ = _same_type_eq  # type: ignore[method-assign,assignment]
    _cls.__ne__ = _same_type_ne  # type: ignore[method-assign,assignment]
del _cls
