"""Property tests of the timer engine: random timelines, random controls at random times."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from player.engine import IllegalMove, Session, State
from player.events import (
    CueFired,
    Event,
    Extended,
    Paused,
    Resumed,
    RoutineFinished,
    SegmentFinished,
    SegmentStarted,
    Stopped,
)
from player.model import CueSettings, Exercise, RepeatBlock, RestStep, Step
from test_engine_helpers import timeline

SECONDS = st.sampled_from([0.5, 1.0, 2.0, 2.5, 3.0, 7.0, 10.0, 12.5])
GAPS = st.sampled_from([0.0, 0.0, 1.5, 3.0])
cue_settings = st.builds(CueSettings, countdown=st.integers(0, 4), halfway=st.booleans())


@st.composite
def exercises(draw: Any) -> Exercise:
    kind = draw(st.sampled_from(["duration", "hold", "tempo", "manual"]))
    common: dict[str, Any] = dict(
        name=draw(st.sampled_from(["A", "B", "C"])),
        sets=draw(st.integers(1, 2)),
        sides=draw(st.sampled_from([(), ("left", "right")])),
        prepare=draw(GAPS), switch=draw(GAPS), relax=draw(GAPS), rest=draw(GAPS),
        cue_settings=draw(cue_settings),
    )
    if kind == "duration":
        return Exercise(duration=draw(SECONDS), **common)
    if kind == "hold":
        return Exercise(
            hold=draw(SECONDS), reps=draw(st.integers(1, 3)), until_eased=draw(st.booleans()),
            escalate_after=draw(st.sampled_from([4.0, 20.0, 600.0])), escalate="help", **common,
        )
    if kind == "tempo":
        tempo = draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0]), min_size=2, max_size=4).filter(lambda t: sum(t) > 0))
        return Exercise(reps=draw(st.integers(1, 4)), tempo=tuple(tempo), **common)
    return Exercise(reps=draw(st.integers(1, 10)), **common)


rest_steps = st.builds(RestStep, rest=SECONDS, cue_settings=cue_settings)
simple_steps = st.one_of(exercises(), rest_steps)
blocks = st.builds(
    RepeatBlock, repeat=st.integers(1, 3), steps=st.lists(simple_steps, min_size=1, max_size=2).map(tuple), rest=GAPS,
)
routines = st.lists(st.one_of(simple_steps, blocks), min_size=1, max_size=4).map(tuple)

ACTIONS = st.one_of(
    st.just(("deadline",)), st.just(("deadline",)), st.just(("deadline",)),
    st.just(("advance",)), st.just(("pause",)), st.just(("resume",)), st.just(("skip",)),
    st.just(("skip_exercise",)), st.just(("back",)), st.just(("done",)), st.just(("stop",)),
    st.tuples(st.just("extend"), st.sampled_from([-10.0, -2.5, 2.5, 10.0])),
    st.tuples(st.just("answer"), st.booleans()),
)
STEPS_IN_TIME = st.lists(st.tuples(st.sampled_from([0.0, 0.25, 1.0, 2.0, 5.5, 13.0]), ACTIONS), max_size=40)


def play(steps: tuple[Step, ...], speed: float, actions: list[tuple[float, tuple[Any, ...]]]) -> tuple[Session, list[Event], float, list[Any]]:
    """Run the actions; return the session, every event, the final time and the snapshots taken."""
    s = Session(timeline(*steps), speed=speed)
    now = 100.0
    events = s.start(now)
    snaps = [s.snapshot(now)]
    for dt, action in actions:
        name = action[0]
        if name == "deadline":
            d = s.next_deadline()
            now = max(now, d) if d is not None else now + dt
        else:
            now += dt
        try:
            if name in ("deadline", "advance"):
                events += s.advance(now)
            elif name == "extend":
                events += s.extend(action[1], now)
            elif name == "answer":
                events += s.answer_easing(action[1], now)
            else:
                events += getattr(s, name)(now)
        except IllegalMove:
            pass
        snaps.append(s.snapshot(now))
    # Let whatever is scheduled run out, then end the session if it is still open.
    for _ in range(10_000):
        d = s.next_deadline()
        if d is None or s.state is not State.RUNNING:
            break
        now = max(now, d)
        events += s.advance(now)
    events += s.advance(now)
    if s.state not in (State.FINISHED, State.STOPPED):
        events += s.stop(now)
    return s, events, now, snaps


def played_from_events(events: list[Event], speed: float) -> float:
    """An independent account of the time segments ran, checking each run on the way."""
    played = 0.0
    last = -math.inf
    in_segment = paused = False
    run_played = 0.0
    run_length: float | None = None
    seen: set[tuple[str, int | None]] = set()
    for e in events:
        at = e.at
        assert at >= last, f"{e} comes before an earlier event at {last}"
        if in_segment and not paused and last > -math.inf:
            played += at - last
            run_played += at - last
        last = at
        if isinstance(e, SegmentStarted):
            in_segment, seen, run_played, run_length = True, set(), 0.0, e.segment.seconds
        elif isinstance(e, SegmentFinished):
            assert in_segment
            in_segment = False
            if not e.skipped and run_length is not None:
                # A segment that ran out ran exactly its length, extensions included.
                assert math.isclose(run_played * speed, run_length, abs_tol=1e-6), (run_played, run_length)
        elif isinstance(e, Paused):
            paused = True
        elif isinstance(e, Resumed):
            paused = False
        elif isinstance(e, Extended):
            assert run_length is not None
            run_length += e.seconds
            assert e.remaining >= 0
        elif isinstance(e, CueFired) and e.cue != "finish":
            assert in_segment and not paused, f"{e} fired outside a running segment"
            key = (e.cue, e.count)
            assert key not in seen, f"{key} fired twice in one run of segment {e.index}"
            seen.add(key)
        elif isinstance(e, (RoutineFinished, Stopped)):
            assert not in_segment
    return played


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routines, st.sampled_from([0.5, 1.0, 2.0, 7.3]), STEPS_IN_TIME)
def test_engine_properties(steps: tuple[Step, ...], speed: float, actions: list[tuple[float, tuple[Any, ...]]]) -> None:
    s, events, now, snaps = play(steps, speed, actions)
    # Events in time order, each cue at most once per run, runs exact: checked while replaying.
    played = played_from_events(events, speed)
    # Played time equals the time segments ran (pauses and easing questions excluded).
    progress = s.progress(now)
    assert math.isclose(progress.played_seconds, played, abs_tol=1e-6)
    assert math.isclose(progress.routine_seconds, played * speed, abs_tol=1e-6)
    # Remaining time is never negative; elapsed never runs backwards while paused.
    for snap in snaps:
        assert snap.remaining is None or snap.remaining >= 0
        assert snap.routine_remaining >= 0 and snap.elapsed >= 0
    for before, after in zip(snaps, snaps[1:]):
        assert after.routine_elapsed >= before.routine_elapsed - 1e-9
        if before.paused and after.paused and before.index == after.index:
            assert after.routine_elapsed == before.routine_elapsed  # paused time never counts
    # Exactly one ending.
    endings = [e for e in events if isinstance(e, (RoutineFinished, Stopped))]
    assert len(endings) == 1
    assert progress.completed == isinstance(endings[0], RoutineFinished)


@settings(max_examples=100, deadline=None)
@given(routines, st.sampled_from([1.0, 3.0]))
def test_untouched_play_takes_exactly_the_total(steps: tuple[Step, ...], speed: float) -> None:
    """Left alone (manual segments ended at once, every hold eased), a routine lasts its total."""
    s = Session(timeline(*steps), speed=speed)
    events = s.start(0.0)
    now = 0.0
    for _ in range(10_000):
        if s.state is State.ASKING:
            events += s.answer_easing(True, now)
        elif s.snapshot(now).remaining is None and s.state is State.RUNNING:
            events += s.done(now)
        else:
            d = s.next_deadline()
            if d is None:
                break
            now = d
            events += s.advance(now)
    end = [e for e in events if isinstance(e, RoutineFinished)]
    assert end and math.isclose(end[0].at, timeline(*steps).total_seconds / speed, abs_tol=1e-6)
