"""Events the engine emits, named as facts. Frozen, compared with `==` in tests."""

from __future__ import annotations

from dataclasses import dataclass

from player.timeline import Segment


@dataclass(frozen=True)
class SegmentStarted:
    """Segment `index` began at `at`."""

    index: int
    segment: Segment
    at: float


@dataclass(frozen=True)
class SegmentFinished:
    """Segment `index` ended at `at`; `skipped` when the user moved on before its end."""

    index: int
    segment: Segment
    at: float
    skipped: bool = False


@dataclass(frozen=True)
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
