"""Snapshot tests with a frozen clock: the screen's text, character by character, in tests/snapshots/*.txt.

A snapshot holds what a person reads on the screen (every character and where it stands), not
how Rich draws an SVG of it nor the colours of Textual's theme: a new Rich or Textual release
that only changes those leaves these tests alone, and a change to vmo's layout or wording fails
them. Update after an intended change with `VMO_UPDATE_SNAPSHOTS=1 scripts/test tests/test_ui_snapshots.py`
and read the diff before committing it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Awaitable, Callable

import pytest
from rich.console import Console
from test_ui_support import CRAMP, HOLDS, MANUAL, FakeClock, load, make_app, write_routine
from textual.pilot import Pilot
from textual.widgets import Input

from player.library import scan
from player.ui.app import VmoApp

SNAPSHOTS = Path(__file__).parent / "snapshots"


def screen_text(app: VmoApp) -> str:
    """The screen as text: one line per terminal row, trailing blanks dropped.

    The same composition App.export_screenshot prints, printed as plain text instead of an SVG.
    """
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True, color_system=None, record=True,
        legacy_windows=False, safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    rows = console.export_text(styles=False).split("\n")[:height]
    return "".join(row.rstrip() + "\n" for row in rows)


async def _shoot(app: VmoApp, run_before: Callable[[Pilot], Awaitable[None]], size: tuple[int, int]) -> str:
    async with app.run_test(size=size) as pilot:
        await run_before(pilot)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        return screen_text(app)


@pytest.fixture
def snap(request: pytest.FixtureRequest) -> Callable[..., bool]:
    """Compare the screen of `app` (after `run_before`) with tests/snapshots/TEST.txt."""

    def compare(
        app: VmoApp, run_before: Callable[[Pilot], Awaitable[None]], size: tuple[int, int] = (80, 24)
    ) -> bool:
        import asyncio

        text = asyncio.run(_shoot(app, run_before, size))
        path = SNAPSHOTS / f"{request.node.name}.txt"
        if os.environ.get("VMO_UPDATE_SNAPSHOTS") == "1":
            path.write_text(text, encoding="utf-8")
        elif not path.exists():
            path.write_text(text, encoding="utf-8")
            pytest.fail(f"no snapshot yet: wrote {path}; read it, then commit it")
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"the screen differs from {path.name}:\n{text}"
        return True

    return compare


def player_at(
    clock: FakeClock, presses: tuple[str, ...] = (), seconds: float = 0.0, then: tuple[str, ...] = ()
) -> Callable[[Pilot], Awaitable[None]]:
    """Dismiss the safety notes, press keys, let `seconds` pass on the frozen clock, press `then`."""

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        for key in presses:
            await pilot.press(key)
            await pilot.pause()
        clock.advance(seconds)
        app.tick()  # type: ignore[attr-defined]
        await pilot.pause()
        for key in then:
            await pilot.press(key)
            await pilot.pause()

    return run_before


def test_library(snap: Callable[..., bool], tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "lib"
    write_routine(folder, HOLDS, "holds.yaml")
    write_routine(folder, MANUAL, "manual.yaml")
    write_routine(folder, CRAMP, "cramp.yaml")
    write_routine(folder, "name: Broken\nsteps: nope\n", "broken.yaml")
    entries = [e for e in scan([str(folder)]) if e.source == "option"]
    app = make_app(data_dir, FakeClock(), entries=entries)

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        pilot.app.screen.query_one(Input).cursor_blink = False

    assert snap(app, run_before)


def test_player_mid_hold(snap: Callable[..., bool], tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    assert snap(app, player_at(clock, seconds=8.0))  # prepare 5 s, then 3 s into the first hold


def test_player_paused(snap: Callable[..., bool], tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    assert snap(app, player_at(clock, presses=("n", "space"), seconds=2.0))


def test_player_switch_sides(snap: Callable[..., bool], tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    assert snap(app, player_at(clock, presses=("n", "n", "n", "n"), seconds=1.5))


def test_player_manual_segment(snap: Callable[..., bool], tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, MANUAL))
    assert snap(app, player_at(clock, seconds=37.0))


def test_player_until_eased_question(snap: Callable[..., bool], tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, CRAMP))
    assert snap(app, player_at(clock, seconds=30.0))


def test_summary(snap: Callable[..., bool], tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    assert snap(app, player_at(clock, presses=("n",), seconds=8.0, then=("q", "y")))


def test_player_at_40x12(snap: Callable[..., bool], tmp_path: Path, data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load(tmp_path, HOLDS))
    assert snap(app, player_at(clock, presses=("n",), seconds=3.0), size=(40, 12))
