"""The player screen under Pilot with a fake clock and a recording cue player: every key, what is shown, played and logged."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button
from test_ui_support import (
    CRAMP, HOLDS, MANUAL, FakeClock, async_test, history, load, make_app, played, run_for, texts,
)

from player.engine import State
from player.ui.before import BeforeScreen
from player.ui.dialogs import ConfirmStop
from player.ui.player_screen import PlayerScreen
from player.ui.summary import SummaryScreen
from player.ui.widgets import Text


async def start(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Dismiss the safety notes and wait for the player."""
    await pilot.pause()
    assert isinstance(app.screen, BeforeScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, PlayerScreen)


def shown(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(selector, Text).text


def clock_digits(app) -> str:  # type: ignore[no-untyped-def]
    from textual.widgets import Digits

    return app.screen.query_one("#countdown", Digits).value


@async_test
async def test_safety_notes_first_then_player_counts_down_and_cues_play(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test() as pilot:
        await pilot.pause()
        before = texts(app.screen)
        assert "Stop if it hurts sharply." in before and "Second note." in before
        assert app.controller is None  # nothing runs before the notes are dismissed
        await pilot.press("enter")
        await pilot.pause()
        assert shown(app, "#kind") == "GET READY"
        assert shown(app, "#exercise") == "Quad set"
        assert clock_digits(app) == "0:05"
        assert "Next: Quad set left" in shown(app, "#next")
        assert played(app) == ["rest"]
        await run_for(app, pilot, clock, 2)
        assert clock_digits(app) == "0:03"
        assert played(app) == ["rest", "tick"]  # countdown 3 at 2 s in
        await run_for(app, pilot, clock, 3)
        assert shown(app, "#kind") == "WORK"
        assert shown(app, "#side") == "LEFT"
        assert shown(app, "#counts") == "Hold 1/2"
        assert shown(app, "#instructions") == "Tighten the thigh."
        assert shown(app, "#cues") == "• Press the knee down  • Keep breathing"
        assert clock_digits(app) == "0:10"
        assert played(app)[-1] == "start"
        assert app.screen.query_one("#kind").has_class("kind-work")


@async_test
async def test_every_segment_kind_has_its_own_colour_class_and_the_side_is_shown(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    seen: dict[str, tuple[str, str]] = {}
    async with app.run_test() as pilot:
        await start(app, pilot)
        for _ in range(12):
            kind = app.controller.snapshot().segment.kind
            badge = app.screen.query_one("#kind")
            classes = {c for c in badge.classes if c.startswith("kind-")}
            seen.setdefault(kind, (classes.pop(), shown(app, "#side")))
            await pilot.press("n")
            await pilot.pause()
            if not isinstance(app.screen, PlayerScreen) or app.controller.snapshot().segment.kind == "manual":
                break
    assert seen["prepare"][0] == "kind-prepare"
    assert seen["work"] == ("kind-work", "LEFT")
    assert seen["relax"] == ("kind-relax", "LEFT")
    assert seen["switch"] == ("kind-switch", "RIGHT")
    assert seen["rest"][0] == "kind-rest"
    assert len({c for c, _ in seen.values()}) == len(seen)


@async_test
async def test_space_pauses_unmistakably_and_resumes(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test() as pilot:
        await start(app, pilot)
        await run_for(app, pilot, clock, 1)
        await pilot.press("space")
        await pilot.pause()
        assert app.controller.state is State.PAUSED
        assert shown(app, "#prompt") == "PAUSED · space to resume"
        assert app.screen.has_class("-paused")
        assert str(app.screen.query_one("#btn-pause").label) == "Resume"
        await run_for(app, pilot, clock, 30)
        assert clock_digits(app) == "0:04"  # the clock held
        await pilot.press("space")
        await pilot.pause()
        assert app.controller.state is State.RUNNING
        assert not app.screen.has_class("-paused")
        await run_for(app, pilot, clock, 4)
        assert shown(app, "#kind") == "WORK"


@async_test
async def test_next_back_and_arrows(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test() as pilot:
        await start(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert app.controller.snapshot().index == 1
        await pilot.press("right")
        await pilot.pause()
        assert app.controller.snapshot().index == 2
        assert shown(app, "#kind") == "RELAX"
        await pilot.press("b")  # just began: back one
        await pilot.pause()
        assert app.controller.snapshot().index == 1
        await run_for(app, pilot, clock, 3)
        await pilot.press("left")  # 3 s in: restart the segment
        await pilot.pause()
        assert app.controller.snapshot().index == 1
        assert clock_digits(app) == "0:10"


@async_test
async def test_skip_exercise_and_ten_seconds_more_or_less(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test() as pilot:
        await start(app, pilot)
        await pilot.press("n")  # into the first hold: 10 s
        await pilot.pause()
        await pilot.press("plus")
        await pilot.pause()
        assert clock_digits(app) == "0:20"
        await pilot.press("minus")
        await pilot.press("minus")
        await pilot.pause()
        assert clock_digits(app) == "0:01"  # never below 1 s left
        await pilot.press("N")
        await pilot.pause()
        assert shown(app, "#kind") == "REST"
        assert shown(app, "#exercise") == "Rest"


@async_test
async def test_manual_segment_counts_up_and_ends_with_d_or_enter(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, MANUAL))
    async with app.run_test() as pilot:
        await start(app, pilot)
        assert shown(app, "#kind") == "YOUR PACE"
        assert shown(app, "#prompt") == "Do 8 reps at your own pace, then press Enter or d"
        assert clock_digits(app) == "0:00"
        await run_for(app, pilot, clock, 42)
        assert clock_digits(app) == "0:42"  # counts up
        assert app.screen.query_one("#btn-done").display
        await pilot.press("plus")  # no length to extend: ignored
        await pilot.pause()
        assert app.controller.snapshot().index == 0
        await pilot.press("d")
        await pilot.pause()
        assert shown(app, "#exercise") == "Calf raise"
        await pilot.press("b")
        await pilot.pause()
        assert shown(app, "#exercise") == "Lunges"
        await pilot.press("enter")
        await pilot.pause()
        assert shown(app, "#exercise") == "Calf raise"


@async_test
async def test_until_eased_asks_repeats_escalates_and_moves_on(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, CRAMP))
    async with app.run_test() as pilot:
        await start(app, pilot)
        await run_for(app, pilot, clock, 30)
        assert app.controller.state is State.ASKING
        assert shown(app, "#prompt") == "Is it easing? y/n"
        assert played(app)[-1] == "bell"  # the easing tone (voice off)
        assert app.screen.query_one("#btn-yes").display
        await pilot.press("n")  # not easing: the hold again
        await pilot.pause()
        assert app.controller.state is State.RUNNING
        assert shown(app, "#kind") == "WORK"
        assert shown(app, "#escalate") == ""
        await run_for(app, pilot, clock, 30)  # 60 s since it began: escalate
        assert shown(app, "#escalate") == "Still cramping: get urgent medical advice."
        await pilot.press("y")
        await pilot.pause()
        assert shown(app, "#exercise") == "Walk it off"


@async_test
async def test_mute_and_voice_toggle_what_plays(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test() as pilot:
        await start(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert app.cues.muted and app.muted
        assert str(app.screen.query_one("#btn-mute").label) == "Unmute"
        before = played(app)
        await run_for(app, pilot, clock, 5)
        assert played(app) == before  # muted: nothing
        await pilot.press("m")
        await pilot.press("v")  # voice on: spoken clips instead of tones
        await pilot.pause()
        assert app.cues.voice
        await run_for(app, pilot, clock, 8)
        assert played(app)[len(before):] == ["say-halfway", "say-three", "say-two"]


@async_test
async def test_quit_asks_first_then_stops_records_and_summarises(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test() as pilot:
        await start(app, pilot)
        await run_for(app, pilot, clock, 7)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStop)
        assert app.controller.state is State.PAUSED  # held while asking
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
        await pilot.press("q")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = texts(app.screen)
        assert "Stopped at Quad set" in summary
        assert "Time played: 7 s" in summary
        assert "Stop if it hurts sharply." in summary  # the safety notes again
        [record] = history(data_dir)
        assert not record.completed and record.stopped_at.exercise == "Quad set"
        assert record.player == "ui" and record.played_seconds == pytest.approx(7.0)
        await pilot.press("enter")  # `vmo play`: closing the summary quits
        await pilot.pause()
    assert app.return_code == 0


@async_test
async def test_playing_to_the_end_shows_completed_and_records_once(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, MANUAL))
    async with app.run_test() as pilot:
        await start(app, pilot)
        await pilot.press("n")  # skip the reps
        await pilot.pause()
        await run_for(app, pilot, clock, 10)
        assert isinstance(app.screen, SummaryScreen)
        summary = texts(app.screen)
        assert "Completed: Test manual" in summary
        assert "Segments skipped: 1" in summary
        assert played(app)[-1] == "finish"
        await pilot.press("q")
    app.finalize()  # what run_app does after the app ended: must not write twice
    [record] = history(data_dir)
    assert record.completed and record.segments_skipped == 1


@async_test
async def test_clock_display_is_exact_at_each_second_boundary(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, MANUAL))
    async with app.run_test() as pilot:
        await start(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        # The engine asks to be woken exactly when the shown second changes.
        for shown_value in ("0:10", "0:09", "0:08"):
            assert clock_digits(app) == shown_value
            clock.t = app.controller.wake_at()
            app.tick()
            await pilot.pause()
        assert app.controller.wake_at() == pytest.approx(clock.t + 1.0, abs=2e-3)


@async_test
async def test_mouse_buttons_drive_the_player(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test() as pilot:
        await start(app, pilot)
        await pilot.click("#btn-pause")
        await pilot.pause()
        assert app.controller.state is State.PAUSED
        # A second click on a button while it still shows the first (Textual's active effect, 0.2 s)
        # is the same press, in a real terminal too (tried in tmux with SGR mouse codes: clicks
        # 0.1-0.18 s apart toggled once, 0.25 s apart twice); a person clicks Resume after that.
        await pilot.pause(app.screen.query_one("#btn-pause", Button).active_effect_duration + 0.05)
        await pilot.click("#btn-pause")
        await pilot.click("#btn-next")
        await pilot.pause()
        assert app.controller.state is State.RUNNING and app.controller.snapshot().index == 1
        await pilot.click("#btn-longer")
        await pilot.pause()
        assert clock_digits(app) == "0:20"
        await pilot.click("#btn-quit")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStop)
        await pilot.click("#btn-keep")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)


@async_test
async def test_ctrl_c_and_sigterm_record_and_exit(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test() as pilot:
        await start(app, pilot)
        await run_for(app, pilot, clock, 3)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 130
    [record] = history(data_dir)
    assert not record.completed and record.played_seconds == pytest.approx(3.0)

    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test() as pilot:
        await start(app, pilot)
        app.interrupt(143)  # what the SIGTERM handler calls
        await pilot.pause()
    assert app.return_code == 143
    assert len(history(data_dir)) == 2


@async_test
async def test_resizing_mid_routine_adapts_the_layout(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#instructions").display and screen.query_one("#controls").styles.display == "block"
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert screen.has_class("-short") and screen.has_class("-narrow")
        region = screen.query_one("#countdown").region
        assert region.bottom <= 12 and region.height == 3  # the big clock still fits
        assert screen.query_one("#side").region.width > 0  # the side stays in sight
        await run_for(app, pilot, clock, 2)
        assert clock_digits(app) == "0:08"
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not screen.has_class("-short") and not screen.has_class("-narrow")


@async_test
async def test_theme_change_mid_routine(tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    async with app.run_test() as pilot:
        await start(app, pilot)
        work = app.screen.query_one("#kind").styles.background
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#kind").styles.background != work
        assert shown(app, "#kind") == "WORK"


@async_test
async def test_real_clock_at_high_speed_never_stalls(tmp_path: Path, data_dir: Path) -> None:
    """The app's own timer drives the routine to its end on the real clock (sub-millisecond waits included)."""
    import asyncio
    import time

    timed = HOLDS.replace("  - name: Lunges\n    reps: 8\n    prepare: 0\n", "")
    app = make_app(data_dir, time.monotonic, routine=load(tmp_path, timed), speed=40)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(600):  # up to 30 s on a very busy machine; normally well under one
            if isinstance(app.screen, SummaryScreen):
                break
            await asyncio.sleep(0.05)
        assert isinstance(app.screen, SummaryScreen)
        assert "Completed: Test holds" in texts(app.screen)
        assert played(app).count("start") == 4 and played(app)[-1] == "finish"
