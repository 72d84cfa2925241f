"""Shared builders for the engine tests: routines from the model, events as short tuples."""

from __future__ import annotations

from typing import Any

from player.engine import Session
from player.events import (
    CueFired,
    EasingAnswered,
    EasingAsked,
    Escalated,
    Event,
    Extended,
    Paused,
    Resumed,
    RoutineFinished,
    SegmentFinished,
    SegmentStarted,
    Stopped,
)
from player.model import CueSettings, Exercise, RestStep, Routine, Step
from player.timeline import Timeline, compile_timeline


def ex(name: str = "Ex", **kw: Any) -> Exercise:
    """An exercise with no prepare, switch, relax or rest unless the test asks for them."""
    base: dict[str, Any] = dict(prepare=0.0, switch=0.0, relax=0.0, rest=0.0)
    base.update(kw)
    return Exercise(name=name, **base)


def rest(seconds: float, name: str = "Rest", **kw: Any) -> RestStep:
    """A rest step."""
    return RestStep(rest=seconds, name=name, **kw)


def timeline(*steps: Step) -> Timeline:
    """The compiled timeline of a routine made of `steps`."""
    return compile_timeline(Routine(id="t", name="T", steps=tuple(steps)))


def started(*steps: Step, speed: float = 1.0, at: float = 0.0) -> tuple[Session, list[Event]]:
    """A session of `steps`, started at `at`, and the events of its start."""
    s = Session(timeline(*steps), speed=speed)
    return s, s.start(at)


def quiet(countdown: int = 0, halfway: bool = False) -> CueSettings:
    """Cue settings that keep event lists short."""
    return CueSettings(countdown=countdown, halfway=halfway)


def brief(events: list[Event]) -> list[tuple[Any, ...]]:
    """Events as short tuples, so a table of expectations stays readable."""
    out: list[tuple[Any, ...]] = []
    for e in events:
        if isinstance(e, SegmentStarted):
            out.append(("started", e.index, e.at))
        elif isinstance(e, SegmentFinished):
            out.append(("skipped" if e.skipped else "finished", e.index, e.at))
        elif isinstance(e, CueFired):
            name = e.cue if e.count is None else f"{e.cue} {e.count}"
            out.append((name, e.index, e.at))
        elif isinstance(e, Paused):
            out.append(("paused", e.index, e.at))
        elif isinstance(e, Resumed):
            out.append(("resumed", e.index, e.at, e.paused_for))
        elif isinstance(e, Extended):
            out.append(("extended", e.index, e.at, e.seconds, e.remaining))
        elif isinstance(e, EasingAsked):
            out.append(("asked", e.index, e.at, e.attempt))
        elif isinstance(e, EasingAnswered):
            out.append(("answered", e.index, e.at, e.eased))
        elif isinstance(e, Escalated):
            out.append(("escalated", e.index, e.at, e.message))
        elif isinstance(e, RoutineFinished):
            out.append(("routine finished", e.at, e.played_seconds))
        elif isinstance(e, Stopped):
            out.append(("stopped", e.index, e.at, e.played_seconds))
        else:  # pragma: no cover - a new event class needs a line here
            raise AssertionError(f"unknown event {e!r}")
    return out


def run_out(s: Session, limit: int = 100_000) -> list[Event]:
    """Advance deadline by deadline until nothing is scheduled."""
    events: list[Event] = []
    for _ in range(limit):
        d = s.next_deadline()
        if d is None:
            return events
        events += s.advance(d)
    raise AssertionError("session did not run out")
