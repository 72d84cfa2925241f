"""--watch: change detection over the routine's files, and keeping the place in an edited routine."""

from __future__ import annotations

import os
from pathlib import Path

from player.loader import load_routine
from player.timeline import compile_timeline
from player.watch import Watcher, reposition, routine_files


def _write(path: Path, text: str, bump: int = 0) -> None:
    path.write_text(text)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump))


def test_routine_files_include_included_files(tmp_path: Path) -> None:
    _write(tmp_path / "part.yaml", "name: P\nsteps:\n  - name: In\n    duration: 5\n")
    _write(tmp_path / "main.yaml", "name: M\nsteps:\n  - include: part.yaml\n  - rest: 5\n")
    routine = load_routine(tmp_path / "main.yaml")
    assert routine_files(routine) == {tmp_path / "main.yaml", tmp_path / "part.yaml"}


def test_watcher_reports_each_change_once(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    _write(a, "x")
    _write(b, "y")
    w = Watcher([a, b])
    assert not w.changed()
    _write(b, "yy", bump=1_000_000)
    assert w.changed()
    assert not w.changed()
    a.unlink()  # an editor that saves by replacing: the file is gone for a moment
    assert w.changed()
    _write(a, "x2", bump=2_000_000)
    assert w.changed()
    c = tmp_path / "c.yaml"
    _write(c, "z")
    w.watch([c])
    assert not w.changed()


def _timeline(tmp_path: Path, text: str) -> list:
    _write(tmp_path / "r.yaml", text)
    return list(compile_timeline(load_routine(tmp_path / "r.yaml")).segments)


BASE = """name: R
steps:
  - name: Quad set
    hold: 10
    reps: 3
    sides: both
  - name: Squat
    reps: 5
    tempo: 2-1-2
"""


def test_same_segment_is_kept_when_durations_change(tmp_path: Path) -> None:
    old = _timeline(tmp_path, BASE)
    i = next(j for j, s in enumerate(old) if s.kind == "work" and s.side == "right" and s.rep == 2)
    new = _timeline(tmp_path, BASE.replace("hold: 10", "hold: 12").replace("reps: 3", "reps: 3\n    prepare: 0"))
    j = reposition(old, i, new)
    assert (new[j].kind, new[j].side, new[j].rep, new[j].seconds) == ("work", "right", 2, 12.0)


def test_falls_back_to_the_start_of_the_same_exercise(tmp_path: Path) -> None:
    old = _timeline(tmp_path, BASE)
    i = next(j for j, s in enumerate(old) if s.kind == "work" and s.side == "right" and s.rep == 3)
    new = _timeline(tmp_path, BASE.replace("reps: 3", "reps: 2"))  # rep 3 is gone
    j = reposition(old, i, new)
    assert (new[j].name, new[j].kind) == ("Quad set", "prepare")


def test_an_exercise_that_is_gone_keeps_the_index_inside_the_timeline(tmp_path: Path) -> None:
    old = _timeline(tmp_path, BASE)
    i = len(old) - 1  # the squat
    new = _timeline(tmp_path, BASE.replace("name: Squat", "name: Lunge"))
    assert reposition(old, i, new) == min(i, len(new) - 1)
    assert reposition(old, 0, []) == 0


def test_session_can_start_mid_timeline(tmp_path: Path) -> None:
    from player.engine import Session
    from player.events import SegmentStarted

    tl = compile_timeline(load_routine(_write_get(tmp_path, BASE)))
    s = Session(tl)
    events = s.start(100.0, at=3)
    assert isinstance(events[0], SegmentStarted) and events[0].index == 3 and events[0].at == 100.0
    assert s.snapshot(100.0).segment == tl.segments[3]
    import pytest

    with pytest.raises(ValueError):
        Session(tl).start(0.0, at=len(tl.segments))


def _write_get(tmp_path: Path, text: str) -> Path:
    _write(tmp_path / "s.yaml", text)
    return tmp_path / "s.yaml"


def test_ui_watch_reloads_in_place_shows_problems_and_records_nothing(tmp_path: Path, data_dir: Path) -> None:
    import asyncio

    from test_ui_support import FakeClock, make_app

    from player.ui.before import BeforeScreen
    from player.ui.player_screen import PlayerScreen

    path = tmp_path / "w.yaml"
    _write(path, BASE)
    clock = FakeClock()
    app = make_app(data_dir, clock, routine=load_routine(path))
    app.watch = str(path)

    async def scenario() -> None:
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, BeforeScreen)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, PlayerScreen)
            for _ in range(3):  # get ready, hold 1, relax: on to hold 2, left
                app.controller.skip()
            seg = app.controller.snapshot().segment
            assert (seg.kind, seg.side, seg.rep) == ("work", "left", 2)
            _write(path, BASE.replace("hold: 10", "hold: 12"), bump=1_000_000)
            # The app's own 0.5 s poll timer runs in real time and may already have polled at this
            # fake instant (a slow machine), which would make this poll wait: move the fake clock on.
            clock.advance(1)
            app.poll_watch()
            await pilot.pause()
            seg = app.controller.snapshot().segment
            assert (seg.kind, seg.side, seg.rep, seg.seconds) == ("work", "left", 2, 12.0)
            assert app.notices[-1] == f"{path} reloaded; carrying on at the same place"
            _write(path, BASE.replace("hold: 10", "hold: soon"), bump=2_000_000)
            clock.advance(1)
            app.poll_watch()
            await pilot.pause()
            assert app.notices[-1].splitlines() == [
                f"{path} has errors; still playing the version before:",
                f"{path}:4:11: error: steps[0].hold: expected a duration such as 30s, 1m30s or 0:45, got 'soon'",
            ]
            assert app.controller.snapshot().segment.seconds == 12.0  # the last good version plays on
            await pilot.press("q")
            await pilot.pause()

    asyncio.run(scenario())
    assert not (data_dir / "history.jsonl").exists()
