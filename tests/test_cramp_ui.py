"""The cramp screen under Textual's Pilot, on a fake clock: what is shown, what the keys do, what is recorded."""

from __future__ import annotations

import asyncio
import functools
import json
import shutil
from pathlib import Path
from typing import Any, Callable, Coroutine

import pytest
from textual.app import App
from textual.widgets import Digits, Static

from player.audio.backend import RecordingBackend
from player.audio.cues import CuePlayer
from player.cramp import RED_FLAGS_TITLE, SAFETY_LINE, load_cramp_routine
from player.history import HistoryFile
from player.ui.cramp import CrampApp, CrampOutcome, CrampScreen

SIZE = (100, 40)


def sync(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test in a fresh event loop (no asyncio plugin for pytest is installed)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(fn(*args, **kwargs))

    return wrapper


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return tmp_path / "history.jsonl"


def make_app(clock: FakeClock, history: Path, muscle: str | None = None) -> CrampApp:
    return CrampApp(muscle, clock=clock, store=HistoryFile(history), mute=True)


def text(screen: CrampScreen, selector: str) -> str:
    """The plain text a Static shows."""
    content = screen.query_one(selector, Static).content
    return str(getattr(content, "plain", content))


def shown(screen: CrampScreen, selector: str) -> bool:
    return screen.query_one(selector).display


def digits(screen: CrampScreen) -> str:
    return screen.query_one("#cramp-countdown", Digits).value


async def advance(pilot, screen: CrampScreen, clock: FakeClock, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Let `seconds` of fake time pass, as the screen's timer would see them."""
    clock.advance(seconds)
    screen.tick()
    await pilot.pause()


def records(history: Path) -> list[dict]:
    if not history.exists():
        return []
    return [json.loads(line) for line in history.read_text().splitlines() if line.strip()]


@sync
async def test_first_frame_is_the_hold_counting(clock: FakeClock, history: Path) -> None:
    app = make_app(clock, history)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.cramp_screen
        assert app.screen is screen
        assert digits(screen) == "30"
        assert text(screen, "#cramp-step") == "Gentle front-of-thigh stretch  ·  hold 1"
        assert "front of thigh (quadriceps / VMO)" in text(screen, "#cramp-head")
        assert text(screen, "#cramp-text").startswith("Stop running. Hold on to something solid")
        assert SAFETY_LINE in text(screen, "#cramp-text")  # the one calm safety line, same screen
        assert shown(screen, "#cramp-countdown")
        assert not shown(screen, "#cramp-question") and not shown(screen, "#cramp-urgent")
        await advance(pilot, screen, clock, 1.2)
        assert digits(screen) == "29"
        assert "cramp time 0:01" in text(screen, "#cramp-head")


@sync
async def test_after_the_hold_it_asks_is_it_easing(clock: FakeClock, history: Path) -> None:
    app = make_app(clock, history)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.cramp_screen
        await advance(pilot, screen, clock, 29.9)
        assert not shown(screen, "#cramp-question")
        await advance(pilot, screen, clock, 0.1)
        assert shown(screen, "#cramp-question")
        assert text(screen, "#cramp-question") == "Is it easing?"
        assert not shown(screen, "#cramp-countdown")
        assert "n: not yet" in text(screen, "#cramp-keys")


@sync
@pytest.mark.parametrize("key", ["enter", "space", "y"])
async def test_yes_moves_on_to_after_care(clock: FakeClock, history: Path, key: str) -> None:
    app = make_app(clock, history)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.cramp_screen
        await advance(pilot, screen, clock, 30)
        await pilot.press(key)
        assert not shown(screen, "#cramp-question")
        assert text(screen, "#cramp-step") == "Next: Gentle massage"
        assert digits(screen) == "3"
        assert screen.has_class("-aftercare")
        await advance(pilot, screen, clock, 3)
        assert text(screen, "#cramp-step") == "Gentle massage"
        assert digits(screen) == "45"
        assert text(screen, "#cramp-text").startswith("Keep a light stretch and rub the front and inner thigh")
        # Space moves on, step by step, through the after-care.
        await pilot.press("space")
        assert text(screen, "#cramp-step") == "Next: Rest and sip"
        assert "sip to thirst" in text(screen, "#cramp-text")


@sync
async def test_not_easing_plays_the_hold_again(clock: FakeClock, history: Path) -> None:
    app = make_app(clock, history)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.cramp_screen
        await advance(pilot, screen, clock, 30)
        await pilot.press("n")
        assert shown(screen, "#cramp-countdown") and not shown(screen, "#cramp-question")
        assert text(screen, "#cramp-step") == "Gentle front-of-thigh stretch  ·  hold 2"
        assert digits(screen) == "30"
        await advance(pilot, screen, clock, 30)
        assert shown(screen, "#cramp-question")


@sync
async def test_ten_minutes_without_easing_says_get_urgent_advice(clock: FakeClock, history: Path) -> None:
    app = make_app(clock, history)
    routine = load_cramp_routine("quadriceps")
    message = routine.exercises()[0].escalate
    async with app.run_test(size=SIZE) as pilot:
        screen = app.cramp_screen
        for _ in range(19):  # 19 holds, each answered "not yet": 570 s
            await advance(pilot, screen, clock, 30)
            await pilot.press("n")
        await advance(pilot, screen, clock, 29.9)
        assert not shown(screen, "#cramp-urgent")
        assert not screen.has_class("-escalated")
        await advance(pilot, screen, clock, 0.1)  # 600 s since the first hold began
        assert shown(screen, "#cramp-urgent")
        assert text(screen, "#cramp-urgent") == message
        assert "urgent medical advice" in text(screen, "#cramp-urgent")
        # The message stays while the user goes on.
        await pilot.press("y")
        assert shown(screen, "#cramp-urgent")
    record = records(history)[-1]
    assert record["cramp"] == {"muscle": "quadriceps", "eased_after_seconds": 600.0, "escalated": True}


@sync
async def test_escalation_counts_time_spent_on_the_question(clock: FakeClock, history: Path) -> None:
    app = make_app(clock, history)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.cramp_screen
        await advance(pilot, screen, clock, 30)
        await advance(pilot, screen, clock, 569)  # left on "Is it easing?"
        assert not shown(screen, "#cramp-urgent")
        await advance(pilot, screen, clock, 1)
        assert shown(screen, "#cramp-urgent")


@sync
async def test_red_flags_close_the_routine(clock: FakeClock, history: Path) -> None:
    app = make_app(clock, history)
    routine = load_cramp_routine("quadriceps")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.cramp_screen
        await advance(pilot, screen, clock, 30)
        await pilot.press("enter")
        await advance(pilot, screen, clock, 600)  # the after-care plays out
        assert screen.has_class("-finished")
        final = text(screen, "#cramp-text")
        assert RED_FLAGS_TITLE in final
        for note in routine.safety:
            assert note in final
        for flag in ("one calf", "several muscles", "confusion", "vomiting", "cola-coloured urine", "knee that locks"):
            assert flag in final
        assert not shown(screen, "#cramp-countdown")
        assert text(screen, "#cramp-keys") == "Space / Enter or q: close"
        await pilot.press("enter")
    assert app.return_value == CrampOutcome("quadriceps", 30.0, False, True)
    record = records(history)[-1]
    assert record["completed"] is True and record["player"] == "ui"
    assert record["cramp"] == {"muscle": "quadriceps", "eased_after_seconds": 30.0, "escalated": False}


@sync
async def test_q_quits_and_records_the_episode(clock: FakeClock, history: Path) -> None:
    app = make_app(clock, history)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.cramp_screen
        await advance(pilot, screen, clock, 30)
        await pilot.press("n")
        await advance(pilot, screen, clock, 30)
        await pilot.press("y")  # eased 60 s after the first hold began
        await advance(pilot, screen, clock, 10)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == CrampOutcome("quadriceps", 60.0, False, False)
    [record] = records(history)
    assert record["routine_id"] == "cramp-quadriceps"
    assert record["completed"] is False
    assert record["stopped_at"] == {"exercise": "Gentle massage", "segment_index": 3}
    assert record["played_seconds"] == 70.0
    assert record["cramp"] == {"muscle": "quadriceps", "eased_after_seconds": 60.0, "escalated": False}


@sync
async def test_quitting_during_the_first_hold_records_it_as_not_eased(clock: FakeClock, history: Path) -> None:
    app = make_app(clock, history, "calf")
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, app.cramp_screen, clock, 12)
        await pilot.press("q")
        await pilot.pause()
    [record] = records(history)
    assert record["routine_id"] == "cramp-calf"
    assert record["cramp"] == {"muscle": "calf", "eased_after_seconds": None, "escalated": False}


@sync
async def test_space_during_a_hold_means_it_has_eased(clock: FakeClock, history: Path) -> None:
    app = make_app(clock, history, "hamstring")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.cramp_screen
        await advance(pilot, screen, clock, 12)
        await pilot.press("space")
        assert text(screen, "#cramp-step") == "Next: Gentle massage"
        await pilot.press("q")
        await pilot.pause()
    assert records(history)[-1]["cramp"] == {"muscle": "hamstring", "eased_after_seconds": 12.0, "escalated": False}


@sync
async def test_one_key_picks_another_muscle_during_the_first_hold(clock: FakeClock, history: Path) -> None:
    app = make_app(clock, history)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.cramp_screen
        assert "▸ 1 front thigh" in text(screen, "#cramp-keys")
        await advance(pilot, screen, clock, 5)
        await pilot.press("3")
        assert screen.routine.id == "cramp-calf"
        assert "Cramp: calf" in text(screen, "#cramp-head")
        assert text(screen, "#cramp-step") == "Gentle calf stretch  ·  hold 1"
        assert digits(screen) == "30"  # a fresh hold for the right muscle
        await advance(pilot, screen, clock, 30)
        await pilot.press("n")
        await pilot.press("1")  # too late: the calf episode is under way
        assert screen.routine.id == "cramp-calf"
        assert "Cramp elsewhere?" not in text(screen, "#cramp-keys")
        await pilot.press("q")
        await pilot.pause()
    [record] = records(history)  # the wrong pick is not an episode
    assert record["cramp"]["muscle"] == "calf"


@sync
async def test_routine_text_is_shown_as_data_not_markup(clock: FakeClock, history: Path, tmp_path: Path) -> None:
    source = Path(load_cramp_routine("quadriceps", cache=False).path or "").read_text(encoding="utf-8")
    marked = source.replace("Stop running.", "[bold red]Stop[/] running.", 1)
    path = tmp_path / "marked.yaml"
    path.write_text(marked, encoding="utf-8")
    shutil.copytree(Path(load_cramp_routine("quadriceps", cache=False).path or "").parent / "pictures", tmp_path / "pictures")
    from player.loader import load_routine

    routine = load_routine(path)
    app = CrampApp("quadriceps", routine=routine, clock=clock, store=HistoryFile(history), mute=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown_text = text(app.cramp_screen, "#cramp-text")
        assert shown_text.startswith("[bold red]Stop[/] running.")


@sync
async def test_cues_play_through_the_cue_player(clock: FakeClock, history: Path) -> None:
    backend = RecordingBackend()
    cues = CuePlayer(backend, voice=False)

    class Host(App[None]):
        """A stand-in for the main UI: it pushes the cramp screen, as key `c` will."""

        def on_mount(self) -> None:
            self.push_screen(
                CrampScreen("quadriceps", clock=clock, store=HistoryFile(history), cues=cues, cues_prepared=True),
                callback=lambda outcome: setattr(self, "outcome", outcome),
            )

    host = Host()
    async with host.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = host.screen
        assert isinstance(screen, CrampScreen)
        assert backend.played == ["start"]
        await advance(pilot, screen, clock, 30)
        assert backend.played == ["start", "halfway", "tick", "tick", "tick", "bell"]
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(host.screen, CrampScreen)  # dismissed: back to the main UI
    assert host.outcome == CrampOutcome("quadriceps", None, False, False)  # type: ignore[attr-defined]
    assert records(history)[-1]["cramp"]["muscle"] == "quadriceps"


@sync
async def test_cues_before_the_sound_device_is_ready_are_played_if_still_fresh(clock: FakeClock, history: Path) -> None:
    backend = RecordingBackend()
    cues = CuePlayer(backend, voice=False)
    app = make_app(clock, history)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.cramp_screen
        await advance(pilot, screen, clock, 0.5)
        screen.attach_cues(cues, prepared=True)  # the device opened half a second late
        assert backend.played == ["start"]
        await advance(pilot, screen, clock, 14.5)
        assert backend.played == ["start", "halfway"]


@sync
async def test_ctrl_c_records_and_exits_130(clock: FakeClock, history: Path) -> None:
    app = make_app(clock, history)
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, app.cramp_screen, clock, 7)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 130
    [record] = records(history)
    assert record["completed"] is False and record["played_seconds"] == 7.0


@sync
async def test_the_screen_drives_itself_on_the_real_clock(history: Path) -> None:
    # No test pokes `tick` here: the screen's own wake-ups must carry it to the question.
    # At speed 1000 the 30 s hold takes 30 ms; the deadline only bounds a broken run.
    import time

    app = CrampApp(None, speed=1000.0, store=HistoryFile(history), mute=True)
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.monotonic() + 10
        while not app.cramp_screen.has_class("-asking") and time.monotonic() < deadline:
            await pilot.pause(0.01)
        assert app.cramp_screen.has_class("-asking")
        await pilot.press("y")
        while not app.cramp_screen.has_class("-finished") and time.monotonic() < deadline:
            await pilot.pause(0.01)
        assert app.cramp_screen.has_class("-finished")


@sync
async def test_the_no_sound_notice_never_covers_the_safety_text(clock: FakeClock, history: Path) -> None:
    """Issue 13 (11): the notice goes on its own line after the safety text, not in a toast over it."""
    from textual.widgets._toast import Toast

    backend = RecordingBackend()
    notice = "no sound device could be opened; cues are silent"
    app = CrampApp("calf", clock=clock, store=HistoryFile(history), open_cues=lambda bell: (CuePlayer(backend), notice))
    for size in (SIZE, (80, 24)):
        async with app.run_test(size=size) as pilot:
            for _ in range(20):
                await pilot.pause(0.05)
                if shown(app.cramp_screen, "#cramp-notices"):
                    break
            screen = app.cramp_screen
            assert text(screen, "#cramp-notices") == notice
            assert not list(app.query(Toast)) and not list(screen.query(Toast))
            safety = screen.query_one("#cramp-text").region
            notes = screen.query_one("#cramp-notices").region
            keys = screen.query_one("#cramp-keys").region
            assert SAFETY_LINE in text(screen, "#cramp-text")
            assert not safety.overlaps(notes) and notes.y >= safety.bottom
            if size == SIZE:  # room for everything: the notice is on screen, above the keys
                assert not notes.overlaps(keys) and notes.bottom <= size[1]
        app = CrampApp("calf", clock=clock, store=HistoryFile(history), open_cues=lambda bell: (CuePlayer(backend), notice))
