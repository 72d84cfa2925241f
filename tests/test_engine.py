"""Table tests of the timer engine: explicit `now` values, exact event lists, no sleeping."""

from __future__ import annotations

import pytest

from player.engine import TRANSITIONS, IllegalMove, Move, Session, State
from player.events import CueFired, RoutineFinished, SegmentFinished, SegmentStarted
from player.model import CueSettings, RepeatBlock
from test_engine_helpers import brief, ex, quiet, rest, run_out, started, timeline

# ----- cues -----


def test_work_segment_cues_start_halfway_countdown_finish() -> None:
    s, ev = started(ex("A", duration=20))
    seg = s.segments[0]
    assert ev == [SegmentStarted(0, seg, 0.0), CueFired("start", 0, 0.0, seg)]
    assert brief(run_out(s)) == [
        ("halfway", 0, 10.0),
        ("countdown 3", 0, 17.0),
        ("countdown 2", 0, 18.0),
        ("countdown 1", 0, 19.0),
        ("finished", 0, 20.0),
        ("finish", 0, 20.0),
        ("routine finished", 20.0, 20.0),
    ]
    assert s.state is State.FINISHED
    assert s.next_deadline() is None


@pytest.mark.parametrize(
    "seconds, countdown, expected",
    [
        (5, 3, [(3, 2.0), (2, 3.0), (1, 4.0)]),
        (3, 3, [(3, 0.0), (2, 1.0), (1, 2.0)]),  # end - 3 == start: still fires
        (2, 3, [(2, 0.0), (1, 1.0)]),  # end - 3 is before the start: 3 is not said
        (5, 0, []),  # 0 turns it off
        (7.5, 2, [(2, 5.5), (1, 6.5)]),  # whole seconds before the end, not on the clock's seconds
        (6, 5, [(5, 1.0), (4, 2.0), (3, 3.0), (2, 4.0), (1, 5.0)]),
    ],
)
def test_countdown_fires_at_end_minus_k(seconds: float, countdown: int, expected: list[tuple[int, float]]) -> None:
    s, ev = started(rest(seconds, cue_settings=CueSettings(countdown=countdown)))
    events = ev + run_out(s)
    got = [(e.count, e.at) for e in events if isinstance(e, CueFired) and e.cue == "countdown"]
    assert got == expected


@pytest.mark.parametrize(
    "step, expected",
    [
        (ex("W", duration=10), [5.0]),
        (ex("W", duration=9.5), []),  # under 10 s: no halfway
        (ex("W", duration=10, cue_settings=CueSettings(halfway=False)), []),
        (ex("H", hold=30), [15.0]),
        (rest(20), []),  # only work segments
        (ex("P", duration=1, prepare=20), []),  # prepare is not work; the 1 s work is too short
    ],
)
def test_halfway(step: object, expected: list[float]) -> None:
    s, ev = started(step)  # type: ignore[arg-type]
    events = ev + run_out(s)
    assert [e.at for e in events if isinstance(e, CueFired) and e.cue == "halfway"] == expected


def test_rep_cues_at_each_tempo_boundary_not_at_start_or_end() -> None:
    s, ev = started(ex("Squat", reps=3, tempo=(2.0, 1.0, 2.0)))
    assert brief(ev + run_out(s)) == [
        ("started", 0, 0.0),
        ("start", 0, 0.0),
        ("phase 2", 0, 2.0),
        ("phase 3", 0, 3.0),
        ("rep 2", 0, 5.0),
        ("phase 5", 0, 7.0),
        ("halfway", 0, 7.5),
        ("phase 6", 0, 8.0),
        ("rep 3", 0, 10.0),
        ("phase 8", 0, 12.0),  # phase changes come before a countdown number at the same instant
        ("countdown 3", 0, 12.0),
        ("phase 9", 0, 13.0),
        ("countdown 2", 0, 13.0),
        ("countdown 1", 0, 14.0),
        ("finished", 0, 15.0),
        ("finish", 0, 15.0),
        ("routine finished", 15.0, 15.0),
    ]


def test_cues_at_the_same_instant_come_rep_halfway_countdown() -> None:
    s, ev = started(ex("Squat", reps=4, tempo=(1.0, 1.0, 1.0)))
    names = [(n, t) for n, _, t in brief(run_out(s)) if not n.startswith("phase")][:6]
    assert names == [
        ("rep 2", 3.0), ("rep 3", 6.0), ("halfway", 6.0), ("rep 4", 9.0), ("countdown 3", 9.0), ("countdown 2", 10.0),
    ]
    s, ev = started(ex("Squat", reps=4, tempo=(1.0, 1.0, 1.0)))
    at_ten = [n for n, _, t in brief(run_out(s)) if t == 10.0]
    assert at_ten == ["phase 11", "countdown 2"]  # a phase change comes before a countdown number


PHASE_CASES = [
    # 3-1-3 x 2: phases 2 and 3 of each rep begin 3 s and 4 s into it; the rep cue marks rep 2 at 7 s.
    (dict(reps=2, tempo=(3.0, 1.0, 3.0)), [("phase", 2, 3.0), ("phase", 3, 4.0), ("rep", 2, 7.0),
                                            ("phase", 5, 10.0), ("phase", 6, 11.0)]),
    # Named phases: the same times.
    (dict(reps=2, tempo=(3.0, 1.0, 3.0), tempo_names=("down", "hold", "up")),
     [("phase", 2, 3.0), ("phase", 3, 4.0), ("rep", 2, 7.0), ("phase", 5, 10.0), ("phase", 6, 11.0)]),
    # A phase of 0 s begins with the next one: one cue; a trailing 0 s phase is the rep's end.
    (dict(reps=2, tempo=(2.0, 0.0, 2.0, 0.0)), [("phase", 3, 2.0), ("rep", 2, 4.0), ("phase", 7, 6.0)]),
    # A leading 0 s phase begins with the rep: no phase cue at a rep's start.
    (dict(reps=2, tempo=(0.0, 2.0)), [("rep", 2, 2.0)]),
]


@pytest.mark.parametrize("speed", [1.0, 10.0])
@pytest.mark.parametrize("kw, expected", PHASE_CASES)
def test_phase_cues_at_each_phase_change_inside_a_rep(kw: dict, expected: list, speed: float) -> None:
    step = ex("Squat", prepare=0, cue_settings=quiet(), **kw)
    s, ev = started(step, speed=speed)
    events = ev + run_out(s)
    got = [(e.cue, e.count, e.at) for e in events if isinstance(e, CueFired) and e.cue in ("phase", "rep")]
    assert got == [(cue, count, at / speed) for cue, count, at in expected]
    if speed == 1.0 and "tempo_names" in kw:
        seg = s.segments[0]
        assert [seg.phase(e.count) for e in events if isinstance(e, CueFired) and e.cue == "phase"] == [
            (2, "hold"), (3, "up"), (2, "hold"), (3, "up"),
        ]


def test_alternate_tempo_rep_cues_name_the_side() -> None:
    step = ex("Lunge", reps=2, tempo=(1.0, 1.0), sides=("left", "right"), alternate=True, cue_settings=quiet())
    s, ev = started(step)
    events = ev + run_out(s)
    seg = s.segments[0]
    assert seg.seconds == 8.0  # 2 reps a side, taking turns
    reps = [(e.at, seg.rep_of(e.count)) for e in events if isinstance(e, CueFired) and e.cue == "rep"]
    assert reps == [(2.0, (1, "right")), (4.0, (2, "left")), (6.0, (2, "right"))]


def test_opening_cue_of_each_kind() -> None:
    steps = (
        ex("A", prepare=2, hold=3, reps=2, relax=1, sides=("left", "right"), switch=1, sets=2, rest=2),
        rest(3),
        ex("M", reps=10),
    )
    s = Session(timeline(*steps))
    events = s.start(0.0) + run_out(s)
    opening = {e.index: e.cue for e in events if isinstance(e, CueFired) and e.at == _start_of(events, e.index)
               and e.cue in ("start", "rest", "switch")}
    kinds = [seg.kind for seg in s.segments]
    expected = {"prepare": "rest", "work": "start", "relax": "rest", "switch": "switch", "rest": "rest", "manual": "start"}
    assert set(kinds) == set(expected)
    assert {i: expected[k] for i, k in enumerate(kinds)} == opening


def _start_of(events: list[object], index: int) -> float:
    return next(e.at for e in events if isinstance(e, SegmentStarted) and e.index == index)  # type: ignore[attr-defined]


def test_speed_scales_every_duration() -> None:
    s, ev = started(ex("A", duration=10), rest(4), speed=2.0)
    assert brief(ev + run_out(s)) == [
        ("started", 0, 0.0), ("start", 0, 0.0), ("halfway", 0, 2.5),
        ("countdown 3", 0, 3.5), ("countdown 2", 0, 4.0), ("countdown 1", 0, 4.5), ("finished", 0, 5.0),
        ("started", 1, 5.0), ("rest", 1, 5.0),
        ("countdown 3", 1, 5.5), ("countdown 2", 1, 6.0), ("countdown 1", 1, 6.5), ("finished", 1, 7.0),
        ("finish", 1, 7.0), ("routine finished", 7.0, 7.0),
    ]
    assert s.progress(7.0).routine_seconds == 14.0


def test_late_advance_stamps_events_with_their_exact_times() -> None:
    s, _ = started(rest(5, cue_settings=quiet()), rest(5, cue_settings=quiet()))
    assert brief(s.advance(100.0)) == [
        ("finished", 0, 5.0), ("started", 1, 5.0), ("rest", 1, 5.0),
        ("finished", 1, 10.0), ("finish", 1, 10.0), ("routine finished", 10.0, 10.0),
    ]


def test_no_error_accumulates_over_many_segments() -> None:
    block = RepeatBlock(repeat=1000, steps=(rest(0.1, cue_settings=quiet()),))
    for speed in (1.0, 3.0):
        s, _ = started(block, speed=speed, at=12345.678)
        finished = [e for e in run_out(s) if isinstance(e, RoutineFinished)]
        assert finished[0].at == pytest.approx(12345.678 + 100.0 / speed, abs=1e-9)


# ----- pause and resume -----


def test_pause_holds_the_clock_and_resume_shifts_every_deadline() -> None:
    s, _ = started(rest(10))
    assert brief(s.advance(7.5)) == [("countdown 3", 0, 7.0)]
    assert brief(s.pause(7.5)) == [("paused", 0, 7.5)]
    assert s.next_deadline() is None
    assert s.advance(19.0) == []
    assert brief(s.resume(20.0)) == [("resumed", 0, 20.0, 12.5)]
    assert brief(run_out(s)) == [
        ("countdown 2", 0, 20.5), ("countdown 1", 0, 21.5), ("finished", 0, 22.5),
        ("finish", 0, 22.5), ("routine finished", 22.5, 10.0),
    ]


def test_pause_twice_is_illegal_and_changes_nothing() -> None:
    s, _ = started(rest(10))
    s.pause(3.0)
    before = s.snapshot(4.0)
    with pytest.raises(IllegalMove) as err:
        s.pause(4.0)
    assert (err.value.state, err.value.move) == (State.PAUSED, Move.PAUSE)
    assert s.snapshot(4.0) == before


def test_resume_while_running_is_illegal() -> None:
    s, _ = started(rest(10))
    with pytest.raises(IllegalMove):
        s.resume(1.0)
    assert s.state is State.RUNNING and s.next_deadline() == 7.0


# ----- skip, skip exercise, back -----


def test_skip_cuts_the_segment_and_starts_the_next_now() -> None:
    s, _ = started(rest(10, cue_settings=quiet()), rest(10, cue_settings=quiet()))
    assert brief(s.skip(4.0)) == [("skipped", 0, 4.0), ("started", 1, 4.0), ("rest", 1, 4.0)]
    assert s.next_deadline() == 14.0
    assert brief(s.skip(5.0)) == [
        ("skipped", 1, 5.0), ("finish", 1, 5.0), ("routine finished", 5.0, 5.0),
    ]
    p = s.progress(5.0)
    assert (p.segments_done, p.segments_skipped, p.completed, p.played_seconds) == (0, 2, True, 5.0)


def test_skip_while_paused_keeps_the_pause() -> None:
    s, _ = started(rest(10, cue_settings=quiet()), rest(10, cue_settings=quiet()))
    s.pause(2.0)
    assert brief(s.skip(5.0)) == [("skipped", 0, 5.0), ("started", 1, 5.0)]
    assert s.state is State.PAUSED and s.next_deadline() is None
    # The opening cue waits for the segment to actually run.
    assert brief(s.resume(8.0)) == [("resumed", 1, 8.0, 6.0), ("rest", 1, 8.0)]
    assert s.next_deadline() == 18.0
    assert s.progress(18.0).played_seconds == 12.0


def test_skip_exercise_jumps_to_the_next_step_occurrence() -> None:
    s, _ = started(ex("A", duration=10, sides=("left", "right"), switch=2, cue_settings=quiet()),
                   rest(5, cue_settings=quiet()))
    assert [seg.kind for seg in s.segments] == ["work", "switch", "work", "rest"]
    assert brief(s.skip_exercise(3.0)) == [("skipped", 0, 3.0), ("started", 3, 3.0), ("rest", 3, 3.0)]
    assert brief(s.skip_exercise(4.0)) == [("skipped", 3, 4.0), ("finish", 3, 4.0), ("routine finished", 4.0, 4.0)]
    assert s.progress(4.0).segments_skipped == 4


def test_skip_exercise_moves_to_the_next_round_of_a_block() -> None:
    s, _ = started(RepeatBlock(repeat=2, steps=(ex("A", duration=5, cue_settings=quiet()),)))
    assert brief(s.skip_exercise(1.0)) == [("skipped", 0, 1.0), ("started", 1, 1.0), ("start", 1, 1.0)]


@pytest.mark.parametrize(
    "now, expected_target",
    [(15.0, 1), (12.5, 1), (12.0, 0)],  # 5 s or 2.5 s into segment 1: restart it; exactly 2 s: go back
)
def test_back_restarts_after_two_seconds_else_goes_back(now: float, expected_target: int) -> None:
    s, _ = started(rest(10, cue_settings=quiet()), rest(10, cue_settings=quiet()))
    s.advance(10.0)
    events = brief(s.back(now))
    assert events == [("skipped", 1, now), ("started", expected_target, now), ("rest", expected_target, now)]
    assert s.next_deadline() == now + 10.0


def test_back_in_the_first_segment_restarts_it() -> None:
    s, _ = started(rest(10, cue_settings=quiet()))
    assert brief(s.back(1.0)) == [("skipped", 0, 1.0), ("started", 0, 1.0), ("rest", 0, 1.0)]


def test_back_replays_the_whole_segment_with_its_cues() -> None:
    s, _ = started(rest(10))
    s.advance(8.0)  # countdown 3 fired at 7
    s.back(8.0)
    counts = [e.count for e in run_out(s) if isinstance(e, CueFired) and e.cue == "countdown"]
    assert counts == [3, 2, 1]


# ----- extend -----


def test_extend_adds_time_and_moves_the_countdown() -> None:
    s, _ = started(rest(10))
    assert brief(s.extend(10, 3.0)) == [("extended", 0, 3.0, 10.0, 17.0)]
    assert brief(run_out(s))[:4] == [
        ("countdown 3", 0, 17.0), ("countdown 2", 0, 18.0), ("countdown 1", 0, 19.0), ("finished", 0, 20.0),
    ]


def test_extend_down_leaves_at_least_one_second() -> None:
    s, _ = started(rest(10))
    # New length 4 (3 played + 1 left); countdown 3 and 2 would be in the past, 1 is due now.
    assert brief(s.extend(-10, 3.0)) == [("extended", 0, 3.0, -6.0, 1.0), ("countdown 1", 0, 3.0)]
    assert s.next_deadline() == 4.0


def test_extend_down_never_lengthens() -> None:
    s, _ = started(rest(10, cue_settings=quiet()))
    assert brief(s.extend(-10, 9.5)) == [("extended", 0, 9.5, 0.0, 0.5)]
    assert s.next_deadline() == 10.0


def test_extend_never_repeats_a_cue_already_given() -> None:
    s, _ = started(ex("A", duration=10, cue_settings=CueSettings(countdown=0)))
    s.advance(6.0)  # halfway at 5
    s.extend(10, 6.0)
    assert [e.cue for e in run_out(s) if isinstance(e, CueFired)] == ["finish"]


def test_extend_can_bring_a_halfway_cue() -> None:
    s, _ = started(ex("A", duration=8, cue_settings=CueSettings(countdown=0)))
    s.extend(4, 1.0)
    assert [(e.cue, e.at) for e in run_out(s) if isinstance(e, CueFired)] == [("halfway", 6.0), ("finish", 12.0)]


def test_extend_while_paused() -> None:
    s, _ = started(rest(10, cue_settings=quiet()))
    s.pause(2.0)
    s.extend(5, 4.0)
    s.resume(6.0)
    assert s.next_deadline() == 19.0


def test_extend_a_manual_segment_is_illegal() -> None:
    s, _ = started(ex("M", reps=10))
    with pytest.raises(IllegalMove, match="no length"):
        s.extend(10, 1.0)


# ----- done (manual segments) -----


def test_done_ends_a_manual_segment() -> None:
    s, ev = started(ex("M", reps=10), rest(5, cue_settings=quiet()))
    assert brief(ev) == [("started", 0, 0.0), ("start", 0, 0.0)]
    assert s.next_deadline() is None
    assert s.advance(50.0) == []
    snap = s.snapshot(50.0)
    assert (snap.manual_elapsed, snap.remaining, snap.seconds) == (50.0, None, None)
    assert brief(s.done(50.0)) == [("finished", 0, 50.0), ("started", 1, 50.0), ("rest", 1, 50.0)]
    assert s.progress(50.0).segments_done == 1


def test_done_on_a_timed_segment_is_illegal() -> None:
    s, _ = started(rest(10))
    before = s.snapshot(1.0)
    with pytest.raises(IllegalMove, match="own pace"):
        s.done(1.0)
    assert s.snapshot(1.0) == before


# ----- until_eased holds -----


def _cramp(**kw: object) -> object:
    args: dict[str, object] = dict(hold=30, until_eased=True, relax=5, escalate="Get help", cue_settings=quiet())
    args.update(kw)
    return ex("Cramp stretch", **args)


def test_easing_no_plays_the_hold_again_after_relax_yes_moves_on() -> None:
    s, _ = started(_cramp(), rest(10, cue_settings=quiet()))  # type: ignore[arg-type]
    assert brief(s.advance(30.0)) == [("finished", 0, 30.0), ("asked", 0, 30.0, 1)]
    assert s.state is State.ASKING
    assert s.next_deadline() == 600.0  # only the escalation is scheduled
    assert brief(s.answer_easing(False, 35.0)) == [("answered", 0, 35.0, False), ("started", 1, 35.0), ("rest", 1, 35.0)]
    assert [seg.kind for seg in s.segments] == ["work", "relax", "work", "rest"]
    assert brief(s.advance(40.0)) == [("finished", 1, 40.0), ("started", 2, 40.0), ("start", 2, 40.0)]
    assert s.snapshot(41.0).attempt == 2
    assert brief(s.advance(70.0)) == [("finished", 2, 70.0), ("asked", 2, 70.0, 2)]
    assert brief(s.answer_easing(True, 71.0)) == [("answered", 2, 71.0, True), ("started", 3, 71.0), ("rest", 3, 71.0)]
    assert s.next_deadline() == 81.0  # eased: no escalation any more
    assert s.progress(81.0).played_seconds == pytest.approx(30 + 5 + 30 + 10)


def test_easing_no_without_relax_plays_the_hold_at_once() -> None:
    s, _ = started(_cramp(relax=0))  # type: ignore[arg-type]
    s.advance(30.0)
    assert brief(s.answer_easing(False, 32.0)) == [("answered", 0, 32.0, False), ("started", 1, 32.0), ("start", 1, 32.0)]
    assert [seg.kind for seg in s.segments] == ["work", "work"]


def test_escalation_fires_once_at_its_time() -> None:
    s, _ = started(_cramp(escalate_after=60))  # type: ignore[arg-type]
    s.advance(30.0)
    s.answer_easing(False, 31.0)  # relax 31-36, hold 36-66
    assert brief(s.advance(66.0)) == [
        ("finished", 1, 36.0), ("started", 2, 36.0), ("start", 2, 36.0),
        ("escalated", 2, 60.0, "Get help"), ("finished", 2, 66.0), ("asked", 2, 66.0, 2),
    ]
    assert s.snapshot(66.0).escalate_message == "Get help"
    s.answer_easing(False, 66.0)
    assert not any(e[0] == "escalated" for e in brief(s.advance(200.0)))


def test_escalation_counts_wall_time_even_while_paused_or_asked() -> None:
    s, _ = started(_cramp(escalate_after=40))  # type: ignore[arg-type]
    s.pause(10.0)
    assert brief(s.advance(40.0)) == [("escalated", 0, 40.0, "Get help")]
    s2, _ = started(_cramp(escalate_after=45))  # type: ignore[arg-type]
    s2.advance(30.0)
    assert s2.next_deadline() == 45.0
    assert brief(s2.advance(50.0)) == [("escalated", 0, 45.0, "Get help")]


def test_escalation_scales_with_speed_and_stops_after_yes_or_leaving() -> None:
    s, _ = started(_cramp(escalate_after=60), speed=10.0)  # type: ignore[arg-type]
    s.advance(3.0)
    assert s.next_deadline() == 6.0
    s.answer_easing(True, 3.0)
    assert not any(e[0] == "escalated" for e in brief(s.advance(1000.0)))
    s2, _ = started(_cramp(escalate_after=60), rest(100, cue_settings=quiet()))  # type: ignore[arg-type]
    s2.advance(30.0)
    s2.skip(31.0)
    assert not any(e[0] == "escalated" for e in brief(s2.advance(120.0)))


def test_back_while_asked_replays_the_hold() -> None:
    s, _ = started(_cramp())  # type: ignore[arg-type]
    s.advance(30.0)
    assert brief(s.back(40.0)) == [("started", 0, 40.0), ("start", 0, 40.0)]
    assert s.next_deadline() == 70.0


# ----- stop -----


def test_stop_records_where_it_stopped() -> None:
    s, _ = started(rest(10, cue_settings=quiet()), rest(10, cue_settings=quiet()))
    s.advance(12.0)
    assert brief(s.stop(14.0)) == [("skipped", 1, 14.0), ("stopped", 1, 14.0, 14.0)]
    p = s.progress(30.0)
    assert (p.completed, p.stopped_at, p.played_seconds, p.segments_done, p.segments_skipped) == (False, 1, 14.0, 1, 1)
    assert p.stopped_segment == s.segments[1]
    with pytest.raises(IllegalMove):
        s.resume(15.0)


def test_stop_before_start() -> None:
    s = Session(timeline(rest(10)))
    assert brief(s.stop(3.0)) == [("stopped", None, 3.0, 0.0)]


# ----- the state table -----


def _in_state(state: State, move: Move) -> tuple[Session, float]:
    """A session in `state`, and a time to make `move` at without time changing the state."""
    manual = move is Move.DONE and state in (State.RUNNING, State.PAUSED)
    first = ex("M", reps=5) if manual else _cramp()  # `done` needs a manual segment
    s = Session(timeline(first, ex("M", reps=5), rest(10)))  # type: ignore[arg-type]
    if state is State.IDLE:
        return s, 0.0
    s.start(0.0)
    if state is State.RUNNING:
        return s, 1.0
    if state is State.PAUSED:
        s.pause(1.0)
    elif state is State.ASKING:
        s.advance(30.0)
    elif state is State.FINISHED:
        s.advance(30.0)
        s.skip_exercise(30.0)
        s.skip_exercise(30.0)
        s.skip_exercise(30.0)
    elif state is State.STOPPED:
        s.stop(1.0)
    assert s.state is state
    return s, 31.0


def _call(s: Session, move: Move, now: float) -> object:
    if move is Move.EXTEND:
        return s.extend(10, now)
    if move is Move.ANSWER_EASING:
        return s.answer_easing(True, now)
    return getattr(s, move.value)(now)


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("move", list(Move))
def test_state_table(state: State, move: Move) -> None:
    s, now = _in_state(state, move)
    if move in TRANSITIONS[state]:
        _call(s, move, now)
        assert s.state in (TRANSITIONS[state][move], State.FINISHED)
        return
    before = s.snapshot(now)
    with pytest.raises(IllegalMove):
        _call(s, move, now)
    assert s.state is state
    assert s.snapshot(now) == before


def test_events_of_time_passing_are_kept_when_a_move_is_illegal() -> None:
    s, _ = started(rest(10, cue_settings=quiet()))
    with pytest.raises(IllegalMove):
        s.pause(20.0)  # the routine ended at 10
    assert brief(s.advance(20.0)) == [("finished", 0, 10.0), ("finish", 0, 10.0), ("routine finished", 10.0, 10.0)]


def test_a_clock_stepping_back_counts_as_standing_still() -> None:
    s, _ = started(rest(10, cue_settings=quiet()))
    s.advance(5.0)
    assert s.advance(3.0) == []
    assert brief(s.pause(2.0)) == [("paused", 0, 5.0)]


# ----- snapshot and progress -----


def test_snapshot_for_displays() -> None:
    s, _ = started(ex("A", duration=20), rest(10), ex("M", reps=3))
    snap = s.snapshot(5.0)
    assert (snap.index, snap.count, snap.elapsed, snap.remaining, snap.seconds) == (0, 3, 5.0, 15.0, 20)
    assert (snap.routine_elapsed, snap.routine_remaining, snap.untimed_left) == (5.0, 25.0, 1)
    assert snap.next_segment == s.segments[1] and snap.segment == s.segments[0]
    assert (snap.paused, snap.asking_easing, snap.manual_elapsed) == (False, False, None)
    s.pause(5.0)
    snap = s.snapshot(9.0)
    assert (snap.paused, snap.elapsed, snap.routine_elapsed, snap.state) == (True, 5.0, 5.0, State.PAUSED)
    s.resume(9.0)
    s.advance(40.0)
    snap = s.snapshot(40.0)
    # The 4 s pause moved everything: the manual segment began at 34.
    assert (snap.index, snap.manual_elapsed, snap.routine_remaining, snap.untimed_left) == (2, 6.0, 0.0, 1)
    assert snap.next_segment is None
    assert snap.routine_elapsed == 36.0


def test_segment_finished_is_not_skipped_when_it_ran_out() -> None:
    s, _ = started(rest(1, cue_settings=quiet()))
    assert SegmentFinished(0, s.segments[0], 1.0) in s.advance(1.0)
