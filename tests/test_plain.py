"""The plain player on a fake clock: exact output lines, keys, line input, interrupts, terminals."""

from __future__ import annotations

import io
import os
import termios
from typing import Any

import pytest

from player.engine import Session
from player.events import CueFired, Event, RoutineFinished
from player.model import CueSettings, Exercise
from player.plain import (
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    LineInput,
    PlainPlayer,
    _Terminated,
    clean,
    describe,
    terminal_keys,
)
from test_engine_helpers import ex, quiet, rest, timeline


class FakeClock:
    """A clock that only moves when the fake input says time passed."""

    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


class FakeKeys:
    """Scripted input: (routine-clock time, token) pairs; waiting moves the fake clock."""

    def __init__(self, clock: FakeClock, script: list[tuple[float, Any]] = ()) -> None:  # type: ignore[assignment]
        self.clock = clock
        self.script = [(clock.t + t, tok) for t, tok in script]
        self.waits: list[float | None] = []

    def wait(self, timeout: float | None, want_line: bool) -> list[str]:
        self.waits.append(timeout)
        limit = float("inf") if timeout is None else self.clock.t + timeout
        if self.script and self.script[0][0] <= limit:
            at, tok = self.script.pop(0)
            self.clock.t = max(self.clock.t, at)
            if isinstance(tok, BaseException):
                raise tok
            return [tok]
        if timeout is None:
            raise AssertionError("the player would wait forever")
        self.clock.t = limit
        return []


def make(steps: tuple[Any, ...], script: list[tuple[float, Any]] = (), **kw: Any) -> tuple[PlainPlayer, io.StringIO]:  # type: ignore[assignment]
    clock = FakeClock()
    out = io.StringIO()
    session = Session(timeline(*steps), speed=kw.pop("speed", 1.0))
    player = PlainPlayer(session, out, FakeKeys(clock, script), title="Knee", clock=clock, **kw)
    return player, out


QUAD = Exercise(
    name="Quad set", hold=4, reps=2, relax=2, sets=2, rest=3, sides=("left",), prepare=2, switch=0,
    instructions="Tighten\tthe thigh.", cue_settings=CueSettings(countdown=2),
)


def test_lines_for_each_segment_and_cue() -> None:
    player, out = make((QUAD,))
    assert player.run() == 0
    assert out.getvalue().splitlines() == [
        "00:00  prepare  Quad set · 2 s",
        "       Tighten the thigh.",
        "00:00  2",
        "00:01  1",
        "00:02  work  Quad set · left · set 1/2 · hold 1/2 · 4 s",
        "00:04  2",
        "00:05  1",
        "00:06  relax  Quad set · left · set 1/2 · after hold 1/2 · 2 s",
        "00:06  2",
        "00:07  1",
        "00:08  work  Quad set · left · set 1/2 · hold 2/2 · 4 s",
        "00:10  2",
        "00:11  1",
        "00:12  rest  Quad set · after set 1/2 · 3 s",
        "00:13  2",
        "00:14  1",
        "00:15  work  Quad set · left · set 2/2 · hold 1/2 · 4 s",
        "00:17  2",
        "00:18  1",
        "00:19  relax  Quad set · left · set 2/2 · after hold 1/2 · 2 s",
        "00:19  2",
        "00:20  1",
        "00:21  work  Quad set · left · set 2/2 · hold 2/2 · 4 s",
        "00:23  2",
        "00:24  1",
        "00:25  finish  Complete: Knee · played 00:25 · 8 segments done",
    ]


def test_halfway_rep_and_speed_lines() -> None:
    player, out = make((ex("Squats", reps=2, tempo=(2.0, 1.0, 2.0), cue_settings=CueSettings(countdown=1)),), speed=5)
    player.run()
    # The first column is routine time, whatever the speed.
    assert out.getvalue().splitlines() == [
        "00:00  work  Squats · 2 reps · 10 s",
        "00:05  rep 2/2",
        "00:05  halfway",
        "00:09  1",
        "00:10  finish  Complete: Knee · played 00:10 at speed 5 · 1 segment done",
    ]


def test_sleeps_exactly_until_each_deadline_when_not_live() -> None:
    player, _ = make((rest(3, cue_settings=CueSettings(countdown=2)),))
    player.run()
    assert player.keys.waits == [1.0, 1.0, 1.0]  # type: ignore[attr-defined]


def test_plain_output_has_no_escape_sequences_live_output_redraws_one_line() -> None:
    plain_player, plain = make((rest(3),))
    plain_player.run()
    assert "\x1b" not in plain.getvalue() and "\r" not in plain.getvalue()
    live_player, live = make((rest(3),), live=True, width=lambda: 40)
    live_player.run()
    text = live.getvalue()
    assert "\r\x1b[2K00:03 left  rest Rest" in text
    assert "\r\x1b[2K00:01 left  rest Rest" in text
    # Never wider than the terminal, so \r can always redraw it.
    for chunk in text.split("\r\x1b[2K"):
        status = chunk.split("\n")[-1]
        assert len(status) <= 39
    assert text.endswith("\r\x1b[2K") or text.endswith("\n")


def test_space_pauses_and_resumes() -> None:
    player, out = make((rest(10, cue_settings=quiet()),), [(3, " "), (20, " ")], keys_are_terminal=True)
    player.run()
    assert out.getvalue().splitlines() == [
        "00:00  rest  Rest · 10 s",
        "00:03  paused",
        "00:03  resumed",
        "00:10  finish  Complete: Knee · played 00:10 · 1 segment done",
    ]
    assert player.clock() == 1000 + 27


def test_next_back_and_extend_keys() -> None:
    steps = (rest(10, "One", cue_settings=quiet()), rest(10, "Two", cue_settings=quiet()))
    player, out = make(steps, [(1, "n"), (4, "b"), (5, "+"), (6, "-"), (7, "-")], keys_are_terminal=True)
    player.run()
    assert out.getvalue().splitlines() == [
        "00:00  rest  One · 10 s",
        "00:01  rest  Two · 10 s",
        "00:04  rest  Two · 10 s",  # 3 s in: back restarts it
        "00:05  +10 s, 19 s left",
        "00:06  -10 s, 8 s left",
        "00:07  -6 s, 1 s left",  # never below 1 s left
        "00:08  finish  Complete: Knee · played 00:08 · 1 segment done, 1 skipped",
    ]


def test_q_stops_with_a_summary_and_status_0() -> None:
    player, out = make((ex("A", duration=10, cue_settings=quiet()), rest(5)), [(3, "q")], keys_are_terminal=True)
    assert player.run() == 0
    assert out.getvalue().splitlines()[-1] == "Stopped: Knee at work A · 10 s (segment 1 of 2) · played 00:03"


def test_ctrl_c_exits_130_with_one_summary_line() -> None:
    player, out = make((ex("A", duration=10, cue_settings=quiet()), rest(5)), [(3, KeyboardInterrupt())])
    assert player.run() == EXIT_INTERRUPTED
    lines = out.getvalue().splitlines()
    assert lines[-1] == "Stopped (interrupted): Knee at work A · 10 s (segment 1 of 2) · played 00:03"
    assert player.session.progress(player.clock()).stopped_at == 0


def test_sigterm_exits_143_with_a_summary() -> None:
    player, out = make((rest(10),), [(2, _Terminated())])
    assert player.run() == EXIT_TERMINATED
    assert out.getvalue().splitlines()[-1].startswith("Stopped (terminated): Knee at rest Rest")


def test_enter_or_d_ends_a_manual_segment() -> None:
    steps = (ex("Calf raises", reps=10), ex("Lunges", reps=1), rest(2, cue_settings=quiet()))
    player, out = make(steps, [(30, "\n"), (40, "d")], keys_are_terminal=True)
    player.run()
    assert out.getvalue().splitlines() == [
        "00:00  manual  Calf raises · 10 reps · own pace · Enter when done",
        "00:30  manual  Lunges · 1 rep · own pace · Enter when done",
        "00:40  rest  Rest · 2 s",
        "00:42  finish  Complete: Knee · played 00:42 · 3 segments done",
    ]


def test_a_line_of_input_ends_a_manual_segment_and_answers_yes() -> None:
    cramp = ex("Stretch", hold=3, until_eased=True, cue_settings=quiet())
    player, out = make((ex("Calf raises", reps=10), cramp), [(5, "line"), (9, "eof")])
    player.run()
    assert out.getvalue().splitlines() == [
        "00:00  manual  Calf raises · 10 reps · own pace",
        "00:05  work  Stretch · until it eases · 3 s",
        "00:08  Is it easing? (a line of input, or end of input, answers yes)",
        "00:08  easing: moving on",
        "00:08  finish  Complete: Knee · played 00:08 · 2 segments done",
    ]


def test_easing_keys_y_and_n_and_the_escalation_line() -> None:
    cramp = ex("Stretch", hold=30, relax=5, until_eased=True, escalate_after=60, escalate="Get\x1b[31m help", cue_settings=quiet())
    player, out = make((cramp,), [(31, "n"), (67, "y")], keys_are_terminal=True)
    player.run()
    assert out.getvalue().splitlines() == [
        "00:00  work  Stretch · until it eases · 30 s",
        "00:30  Is it easing? (y = yes, n = no)",
        "00:30  not easing yet: the stretch again",
        "00:30  relax  Stretch · 5 s",
        "00:35  work  Stretch · again (2) · until it eases · 30 s",
        "00:59  !! GetU+001B[31m help",  # 60 s of wall time after the start; the minute of asking not played
        "01:05  Is it easing? (y = yes, n = no)",
        "01:05  easing: moving on",
        "01:05  finish  Complete: Knee · played 01:05 · 3 segments done",
    ]


def test_keys_that_make_no_sense_now_do_nothing() -> None:
    player, out = make((rest(5, cue_settings=quiet()),), [(1, "y"), (2, "d"), (3, "x"), (4, "\x1b")], keys_are_terminal=True)
    assert player.run() == 0
    assert out.getvalue().splitlines() == ["00:00  rest  Rest · 5 s", "00:05  finish  Complete: Knee · played 00:05 · 1 segment done"]


def test_every_event_goes_to_the_cue_sink_and_a_failing_sink_is_dropped() -> None:
    got: list[Event] = []
    player, _ = make((rest(3),), sink=got.append)
    player.run()
    assert got == player.events
    assert [e.count for e in got if isinstance(e, CueFired) and e.cue == "countdown"] == [3, 2, 1]
    assert isinstance(got[-1], RoutineFinished)

    def broken(event: Event) -> None:
        raise OSError("device gone")

    warn = io.StringIO()
    player, out = make((rest(3),), sink=broken, warn=warn)
    assert player.run() == 0
    assert warn.getvalue() == "vmo: sound turned off: device gone\n"
    assert out.getvalue().splitlines()[-1].startswith("00:03  finish")


def test_routine_text_is_sanitized() -> None:
    name = "Evil\x1b]0;pwned\x07\u202eeman\nname\x9b"
    assert clean(name) == "EvilU+001B]0;pwnedU+0007U+202Eeman nameU+009B"
    player, out = make((ex(name, duration=1, cue_settings=quiet(), instructions="a\x1b[2Jb"),))
    player.run()
    text = out.getvalue()
    assert not any(ch in text for ch in "\x1b\x07\x9b\u202e")
    assert "a U+001B" not in text and "aU+001B[2Jb" in text


def test_describe_a_switch_and_a_round() -> None:
    tl = timeline(ex("Lunge", duration=20, sides=("left", "right"), switch=5))
    switch = [s for s in tl.segments if s.kind == "switch"][0]
    assert describe(switch) == "Lunge · to right · 5 s"


# ----- input sources -----


def test_line_input_reads_only_when_a_line_is_wanted() -> None:
    r, w = os.pipe()
    slept: list[float] = []
    src = LineInput(r, sleep=slept.append)
    try:
        os.write(w, b"done\nnext\n")
        assert src.wait(0.5, want_line=False) == [] and slept == [0.5]
        assert src.wait(0.5, want_line=True) == ["line"]
        assert src.wait(0.5, want_line=True) == ["line"]  # the second line was already read
        assert src.wait(0.0, want_line=True) == []
        os.close(w)
        assert src.wait(0.5, want_line=True) == ["eof"]
        assert src.wait(None, want_line=True) == ["eof"]  # stays at the end
    finally:
        os.close(r)


def test_no_stdin_at_all_is_end_of_input() -> None:
    assert LineInput(None).wait(1.0, want_line=True) == ["eof"]


def _pty() -> tuple[int, int]:
    master, slave = os.openpty()
    return master, slave


def test_terminal_keys_cbreak_and_restore_on_every_way_out() -> None:
    master, slave = _pty()
    try:
        before = termios.tcgetattr(slave)
        with terminal_keys(slave) as keys:
            mode = termios.tcgetattr(slave)
            assert not mode[3] & termios.ECHO and not mode[3] & termios.ICANON
            assert mode[3] & termios.ISIG  # Ctrl-C still interrupts
            os.write(master, b" n")
            assert keys.wait(1.0, want_line=False) == [" ", "n"]
            os.write(master, b"\x1b[A")
            assert keys.wait(1.0, want_line=False) == []  # an arrow key
            assert keys.wait(0.0, want_line=False) == []
        assert termios.tcgetattr(slave) == before
        with pytest.raises(KeyboardInterrupt):
            with terminal_keys(slave):
                raise KeyboardInterrupt
        assert termios.tcgetattr(slave) == before
    finally:
        os.close(master)
        os.close(slave)


# ----- play_plain: the wiring of `vmo play --plain` -----


def test_play_plain_plays_cues_through_the_audio_package_and_records_history(
    data_dir: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import json

    import player.audio
    from conftest import FIXTURES
    from player.audio import CuePlayer, RecordingBackend
    from player.loader import load_routine
    from player.plain import play_plain

    backend = RecordingBackend()
    opened: dict[str, Any] = {}

    def fake_open(audio: str, **kw: Any) -> tuple[CuePlayer, str | None]:
        opened.update(kw, audio=audio)
        return CuePlayer(backend, voice=False), "a notice"

    monkeypatch.setattr(player.audio, "open_cue_player", fake_open)
    out, err = io.StringIO(), io.StringIO()
    routine = load_routine(FIXTURES / "play" / "short.yaml")
    status = play_plain(routine, speed=500, audio="bell", voice=False, stdin=io.StringIO(""), stdout=out, stderr=err)
    assert status == 0
    assert (opened["audio"], opened["voice"]) == ("bell", False)
    assert err.getvalue() == "vmo: a notice\n"
    # Every cue was handed to the sound system, in order; the easing question has its own sound.
    countdown = ["tick", "tick"]
    assert backend.played == [
        "rest", *countdown, "start", *countdown, "rest", *countdown, "start", *countdown,  # prepare, left side
        "switch", *countdown, "start", *countdown, "rest", *countdown, "start", *countdown,  # right side
        # squats: prepare, tempo 2-1-2 x 2: phases at 2 and 3 s, rep 2 and halfway at 5 s, phases at 7 and 8 s
        "rest", *countdown, "start", "phase", "phase", "rep", "halfway", "phase", "phase", *countdown,
        "start",  # calf raises, at your own pace
        "rest", *countdown, "start", *countdown, "bell", "finish",  # rest; the stretch until it eases
    ]
    assert backend.closed
    [record] = [json.loads(line) for line in (data_dir / "history.jsonl").read_text().splitlines()]
    assert record["completed"] is True and record["segments_total"] == 13


def test_play_plain_mute_opens_no_audio(data_dir: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import player.audio
    from conftest import FIXTURES
    from player.loader import load_routine
    from player.plain import play_plain

    def refuse(*a: Any, **kw: Any) -> None:
        raise AssertionError("muted: no audio")

    monkeypatch.setattr(player.audio, "open_cue_player", refuse)
    out = io.StringIO()
    status = play_plain(load_routine(FIXTURES / "play" / "short.yaml"), speed=500, mute=True,
                        stdin=io.StringIO(""), stdout=out, stderr=io.StringIO())
    assert status == 0 and "finish  Complete" in out.getvalue()
