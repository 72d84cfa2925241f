"""Snapshot tests (pytest-textual-snapshot's SVG extension) with a frozen clock; files in tests/snapshots/.

Update after an intended change with `pytest tests/test_ui_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Awaitable, Callable

import pytest
from pytest_textual_snapshot import SVGImageExtension
from test_ui_support import CRAMP, HOLDS, MANUAL, FakeClock, load, make_app, write_routine
from textual._doc import take_svg_screenshot
from textual.pilot import Pilot
from textual.widgets import Input

from player.library import scan
from player.ui.app import VmoApp

SNAPSHOTS = Path(__file__).parent / "snapshots"


class _Extension(SVGImageExtension):
    """SVG snapshots kept in tests/snapshots rather than __snapshots__."""

    @classmethod
    def dirname(cls, *, test_location: Any) -> str:
        return str(SNAPSHOTS)


@pytest.fixture
def snap(snapshot: Any) -> Callable[..., bool]:
    """Compare a screenshot of `app` (after `run_before`) with the stored snapshot."""
    snapshot = snapshot.use_extension(_Extension)

    def compare(
        app: VmoApp, run_before: Callable[[Pilot], Awaitable[None]], size: tuple[int, int] = (80, 24)
    ) -> bool:
        svg = take_svg_screenshot(app=app, terminal_size=size, run_before=run_before)
        return bool(snapshot == svg)

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
